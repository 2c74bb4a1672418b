"""BAGANSampler: autoencoder initialisation, class-conditional latents, exact counts."""

import pickle
from collections import Counter

import numpy as np
import pytest
import torch
from sklearn.covariance import OAS, LedoitWolf
from sklearn.neighbors import KNeighborsClassifier

from imbgan import BAGANSampler
from imbgan.over_sampling._bagan import ClassConditionalLatent, class_latent_statistics

FAST = {"epochs": 2, "batch_size": 16, "latent_dim": 4, "random_state": 0}


def _encoded_codes(sampler, X):
    with torch.no_grad():
        rows = torch.as_tensor(sampler.codec_.encode(X), device=sampler.device_)
        return sampler.encoder_(rows).cpu().numpy().astype(np.float64)


def test_tabular_counts_and_originals_first(blobs):
    X, y = blobs
    X_res, y_res = BAGANSampler(**FAST).fit_resample(X, y)
    assert Counter(y_res) == {0: 60, 1: 60, 2: 60}
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    assert X_res.shape == (180, 4)
    assert np.isfinite(X_res).all()


def test_image_array_counts_and_layout(tiny_images):
    images, y = tiny_images
    sampler = BAGANSampler(**FAST, sampling_strategy={1: 16})
    X_res, y_res = sampler.fit_resample(images, y)
    assert X_res.shape == (len(images) + 10, 6, 6)
    assert X_res.dtype == images.dtype
    assert Counter(y_res[len(y) :]) == {1: 10}
    assert sampler.image_shape_ == (1, 6, 6)
    assert sampler.generate([0, 0, 1]).shape == (3, 6, 6)


@pytest.mark.parametrize("counts", [(40, 1), (40, 2, 5), (30, 1, 2, 5)])
def test_tiny_classes(counts):
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(loc=3 * c, size=(n, 5)) for c, n in enumerate(counts)])
    y = np.repeat(np.arange(len(counts)), counts)
    sampler = BAGANSampler(**FAST)
    _, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res) == dict.fromkeys(range(len(counts)), counts[0])
    for covariance in sampler.class_covariances_:
        assert np.all(np.linalg.eigvalsh(covariance) > -1e-10)
    # Even a class with a single sample gets varied samples, not copies of one point.
    generated = sampler.generate(np.full(20, len(counts) - 1 if counts[-1] == 1 else 1))
    assert generated.std(axis=0).max() > 0


def test_latent_statistics_match_encoded_data(blobs):
    X, y = blobs
    sampler = BAGANSampler(**FAST)
    sampler.fit_resample(X, y)
    codes = _encoded_codes(sampler, X)
    for c in range(3):
        class_codes = codes[y == c]
        np.testing.assert_allclose(sampler.class_means_[c], class_codes.mean(axis=0), atol=1e-5)
        expected = LedoitWolf().fit(class_codes).covariance_
        np.testing.assert_allclose(sampler.class_covariances_[c], expected, atol=1e-5)
    assert sampler.class_means_.shape == (3, 4)
    assert sampler.class_covariances_.shape == (3, 4, 4)


def test_oas_estimator_is_used(blobs):
    X, y = blobs
    sampler = BAGANSampler(**FAST, covariance_estimator="oas")
    sampler.fit_resample(X, y)
    codes = _encoded_codes(sampler, X)[y == 1]
    np.testing.assert_allclose(
        sampler.class_covariances_[1], OAS().fit(codes).covariance_, atol=1e-5
    )


def test_single_sample_class_borrows_pooled_covariance():
    rng = np.random.RandomState(0)
    codes = np.vstack([rng.normal(size=(30, 3)), rng.normal(loc=5, size=(1, 3))])
    labels = np.array([0] * 30 + [1])
    means, covariances = class_latent_statistics(codes, labels, 2)
    np.testing.assert_allclose(means[1], codes[30])
    pooled = LedoitWolf(assume_centered=True).fit(codes - means[labels]).covariance_
    np.testing.assert_allclose(covariances[1], pooled)
    np.testing.assert_allclose(covariances[0], LedoitWolf().fit(codes[:30]).covariance_)


def test_latent_sampler_draws_from_the_class_distribution():
    means = np.array([[0.0, 0.0], [10.0, -5.0]])
    covariances = np.array([np.eye(2), [[4.0, 1.0], [1.0, 1.0]]])
    sampler = ClassConditionalLatent(means, covariances)
    torch.manual_seed(0)
    draws = sampler(torch.ones(20000, dtype=torch.long)).numpy()
    np.testing.assert_allclose(draws.mean(axis=0), means[1], atol=0.05)
    np.testing.assert_allclose(np.cov(draws.T), covariances[1], atol=0.1)


def test_history_has_autoencoder_loss(blobs):
    X, y = blobs
    sampler = BAGANSampler(**{**FAST, "epochs": 3, "autoencoder_epochs": 20})
    sampler.fit_resample(X, y)
    assert len(sampler.history_["autoencoder"]) == 20
    assert len(sampler.history_["discriminator"]) == 3
    assert len(sampler.history_["generator"]) == 3
    assert sampler.history_["autoencoder"][-1] < sampler.history_["autoencoder"][0]


def test_autoencoder_epochs_default_to_epochs(blobs):
    X, y = blobs
    sampler = BAGANSampler(**{**FAST, "epochs": 3})
    sampler.fit_resample(X, y)
    assert len(sampler.history_["autoencoder"]) == 3


def test_discriminator_trunk_starts_from_encoder(blobs):
    X, y = blobs
    # A vanishing discriminator / autoencoder rate keeps both trunks at their starting weights.
    sampler = BAGANSampler(**{**FAST, "learning_rate": (2e-4, 1e-12)})
    sampler.fit_resample(X, y)
    for name, value in sampler.encoder_.trunk.state_dict().items():
        np.testing.assert_allclose(
            sampler.discriminator_.trunk.state_dict()[name].cpu().numpy(),
            value.cpu().numpy(),
            atol=1e-6,
        )


def test_deterministic_and_picklable(blobs):
    X, y = blobs
    first = BAGANSampler(**FAST).fit_resample(X, y)[0]
    sampler = BAGANSampler(**FAST)
    second = sampler.fit_resample(X, y)[0]
    np.testing.assert_array_equal(first, second)
    restored = pickle.loads(pickle.dumps(sampler))
    np.testing.assert_array_equal(
        restored.generate([2, 2, 1], random_state=3), sampler.generate([2, 2, 1], random_state=3)
    )
    np.testing.assert_array_equal(restored.class_covariances_, sampler.class_covariances_)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"autoencoder_epochs": 0}, "autoencoder_epochs"),
        ({"covariance_estimator": "empirical"}, "covariance_estimator"),
    ],
)
def test_bad_parameters(blobs, params, match):
    X, y = blobs
    with pytest.raises(ValueError, match=match):
        BAGANSampler(**FAST, **params).fit_resample(X, y)


def test_generated_samples_are_recognised_as_their_class(blobs):
    X, y = blobs
    classifier = KNeighborsClassifier(n_neighbors=3).fit(X, y)
    sampler = BAGANSampler(epochs=60, batch_size=16, latent_dim=4, random_state=0)
    sampler.fit_resample(X, y)
    labels = np.repeat([0, 1, 2], 100)
    predicted = classifier.predict(sampler.generate(labels, random_state=0))
    for c in range(3):
        # Chance is 1/3; each class must be recognised far more often.
        assert np.mean(predicted[labels == c] == c) > 0.8


def test_more_classes_than_batch_size():
    # 10 classes (0 and 3 to 11) and batches of 8: the discriminator's 1/(n+1) share of fakes
    # is a single row, which a batch-normalised generator could not take on its own.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(120, 4)) + np.repeat(np.arange(12), 10)[:, None]
    y = np.repeat(np.arange(12), 10)
    y[:30] = 0  # imbalanced: class 0 has 30 rows, classes 1 and 2 none left
    X_res, y_res = BAGANSampler(epochs=1, batch_size=8, latent_dim=4, random_state=0).fit_resample(
        X, y
    )
    counts = np.bincount(y_res)
    assert (counts[counts > 0] == 30).all()
