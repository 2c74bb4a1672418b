"""BAGANGPSampler: supervised autoencoder, label embedding, gradient penalty, exact counts."""

import pickle
from collections import Counter

import numpy as np
import pytest
import torch
from sklearn.neighbors import KNeighborsClassifier

from imbgan import BAGANGPSampler
from imbgan.over_sampling._bagan_gp import wrong_labels

FAST = {"epochs": 2, "batch_size": 16, "latent_dim": 4, "random_state": 0}


def test_tabular_counts_and_originals_first(blobs):
    X, y = blobs
    X_res, y_res = BAGANGPSampler(**FAST).fit_resample(X, y)
    assert Counter(y_res) == {0: 60, 1: 60, 2: 60}
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    assert np.isfinite(X_res).all()


def test_image_array_counts_and_layout(tiny_images):
    images, y = tiny_images
    sampler = BAGANGPSampler(**FAST, sampling_strategy={1: 16})
    X_res, y_res = sampler.fit_resample(images, y)
    assert X_res.shape == (len(images) + 10, 6, 6)
    assert X_res.dtype == images.dtype
    assert Counter(y_res[len(y) :]) == {1: 10}
    assert sampler.generate([0, 1, 1]).shape == (3, 6, 6)


@pytest.mark.parametrize("counts", [(40, 1), (40, 2, 5)])
def test_tiny_classes(counts):
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(loc=3 * c, size=(n, 5)) for c, n in enumerate(counts)])
    y = np.repeat(np.arange(len(counts)), counts)
    _, y_res = BAGANGPSampler(**FAST).fit_resample(X, y)
    assert Counter(y_res) == dict.fromkeys(range(len(counts)), counts[0])


def test_wrong_labels_are_never_the_true_label():
    torch.manual_seed(0)
    labels = torch.randint(4, (5000,))
    wrong = wrong_labels(labels, 4)
    assert not (wrong == labels).any()
    # Uniform over the three other classes.
    for c in range(4):
        others = wrong[labels == c]
        shares = torch.bincount(others, minlength=4).float() / len(others)
        assert shares[c] == 0
        assert torch.all((shares[torch.arange(4) != c] - 1 / 3).abs() < 0.05)


def test_history_and_critic_ratio(blobs):
    X, y = blobs  # 76 rows, batch_size 16: 4 discriminator steps per epoch
    sampler = BAGANGPSampler(**{**FAST, "epochs": 4, "autoencoder_epochs": 15, "n_critic": 4})
    sampler.fit_resample(X, y)
    assert len(sampler.history_["autoencoder"]) == 15
    assert sampler.history_["autoencoder"][-1] < sampler.history_["autoencoder"][0]
    assert len(sampler.history_["discriminator"]) == 4
    assert len(sampler.history_["gradient_penalty"]) == 4
    # One generator step every 4 discriminator steps: one per epoch here.
    assert len(sampler.history_["generator"]) == 4
    assert sampler._discriminator_steps == 16


@pytest.mark.parametrize("from_encoder", [True, False])
def test_discriminator_initialisation(blobs, from_encoder):
    X, y = blobs
    # A vanishing discriminator rate keeps its trunk at its starting weights.
    sampler = BAGANGPSampler(
        **{**FAST, "learning_rate": (2e-4, 1e-12)}, discriminator_from_encoder=from_encoder
    )
    sampler.fit_resample(X, y)
    encoder = sampler.encoder_.trunk.state_dict()
    critic = sampler.discriminator_.trunk.state_dict()
    same = all(torch.allclose(critic[name], encoder[name], atol=1e-6) for name in encoder)
    assert same == from_encoder


def test_generator_is_decoder_of_embedded_latent(blobs):
    X, y = blobs
    sampler = BAGANGPSampler(**FAST)
    sampler.fit_resample(X, y)
    generator = sampler.generator_
    latent = torch.randn(5, 4, device=sampler.device_)
    labels = torch.tensor([0, 1, 2, 1, 0], device=sampler.device_)
    with torch.no_grad():
        expected = generator.decoder(latent * generator.embedding(labels))
        np.testing.assert_allclose(generator(latent, labels).cpu().numpy(), expected.cpu().numpy())


def test_deterministic_and_picklable(blobs):
    X, y = blobs
    first = BAGANGPSampler(**FAST).fit_resample(X, y)[0]
    sampler = BAGANGPSampler(**FAST)
    second = sampler.fit_resample(X, y)[0]
    np.testing.assert_array_equal(first, second)
    restored = pickle.loads(pickle.dumps(sampler))
    np.testing.assert_array_equal(
        restored.generate([2, 0], random_state=1), sampler.generate([2, 0], random_state=1)
    )


@pytest.mark.parametrize(
    "params, match",
    [
        ({"n_critic": 0}, "n_critic"),
        ({"gp_weight": -1.0}, "gp_weight"),
        ({"autoencoder_epochs": 0}, "autoencoder_epochs"),
        ({"discriminator_from_encoder": "yes"}, "discriminator_from_encoder"),
    ],
)
def test_bad_parameters(blobs, params, match):
    X, y = blobs
    with pytest.raises(ValueError, match=match):
        BAGANGPSampler(**FAST, **params).fit_resample(X, y)


def test_generated_samples_are_recognised_as_their_class(blobs):
    X, y = blobs
    classifier = KNeighborsClassifier(n_neighbors=3).fit(X, y)
    sampler = BAGANGPSampler(epochs=100, batch_size=16, latent_dim=16, random_state=0)
    sampler.fit_resample(X, y)
    labels = np.repeat([0, 1, 2], 100)
    predicted = classifier.predict(sampler.generate(labels, random_state=0))
    for c in range(3):
        # Chance is 1/3; each class must be recognised far more often.
        assert np.mean(predicted[labels == c] == c) > 0.7
