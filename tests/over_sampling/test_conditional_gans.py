"""Learning checks for the conditional GANs of the engine issue: on well-separated classes,
generated samples must be recognised as their conditioned class, far above chance."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from imbgan import ACGANSampler, CAGANSampler, CGANSampler
from imbgan.losses import fake_term, generator_term, gradient_penalty, real_term


def separated_classes(seed=0):
    rng = np.random.RandomState(seed)
    centers = np.array([[-4.0, -4.0], [4.0, 4.0], [-4.0, 4.0]])
    counts = [150, 30, 15]
    X = np.vstack([c + rng.normal(scale=0.6, size=(n, 2)) for c, n in zip(centers, counts)])
    y = np.repeat([0, 1, 2], counts)
    order = rng.permutation(len(y))
    return X[order], y[order]


@pytest.mark.parametrize(
    "sampler",
    [
        CGANSampler(epochs=60, batch_size=32, latent_dim=8, random_state=0),
        CGANSampler(
            epochs=300, batch_size=32, latent_dim=8, loss="wgan-gp", n_critic=2, random_state=0
        ),
        ACGANSampler(epochs=60, batch_size=32, latent_dim=8, random_state=0),
        CAGANSampler(epochs=60, batch_size=32, latent_dim=8, random_state=0),
        # The spectrally normalised discriminator learns more slowly: 150 epochs, not 60.
        CGANSampler(
            epochs=150,
            batch_size=32,
            latent_dim=8,
            loss="hinge",
            spectral_norm=True,
            conditioning="projection",
            random_state=0,
        ),
    ],
    ids=["cgan-lsgan", "cgan-wgan-gp", "acgan", "cagan", "cgan-sngan-projection"],
)
def test_generated_samples_are_recognised_as_their_class(sampler):
    X, y = separated_classes()
    judge = LogisticRegression().fit(X, y)
    sampler.fit_resample(X, y)
    # Labels out of class order and more than one generation chunk (1024 rows) of them: every
    # row must follow its own label.
    wanted = np.repeat([2, 0, 1], 400)
    recognised = judge.predict(sampler.generate(wanted, random_state=0)) == wanted
    per_class = [recognised[wanted == k].mean() for k in range(3)]
    # Chance is 1/3; a conditional generator that learned nothing scores about that. (All four
    # score 1.0 here; the margin is for other CPUs' arithmetic.)
    assert min(per_class) > 0.9, per_class


def test_image_gan_learns_the_class_pattern(tiny_images):
    images, y = tiny_images
    sampler = CAGANSampler(epochs=150, batch_size=16, latent_dim=8, random_state=0)
    sampler.fit_resample(images, y)
    new = sampler.generate(np.repeat([0, 1], 50), random_state=0).astype(float)
    left_brighter = new[:, :, :3].mean(axis=(1, 2)) > new[:, :, 3:].mean(axis=(1, 2))
    assert left_brighter[:50].mean() > 0.8
    assert (~left_brighter[50:]).mean() > 0.8


def test_loss_terms_have_their_optimum_where_expected():
    import torch

    scores = torch.tensor([[-3.0], [0.0], [3.0]])
    assert real_term("lsgan", torch.ones(1)).item() == 0
    assert fake_term("lsgan", torch.zeros(1)).item() == 0
    bce_real = real_term("bce", scores).squeeze()
    assert bce_real[2] < bce_real[1] < bce_real[0]
    assert torch.equal(generator_term("wgan-gp", scores), -scores)
    assert real_term("lsgan", torch.ones(1), smoothing=0.1).item() == pytest.approx(0.01)
    # Hinge: no loss beyond the margin (real score >= 1, fake score <= -1), linear inside it.
    assert real_term("hinge", scores).squeeze().tolist() == [4.0, 1.0, 0.0]
    assert fake_term("hinge", scores).squeeze().tolist() == [0.0, 1.0, 4.0]
    assert torch.equal(generator_term("hinge", scores), -scores)


def test_gradient_penalty_is_zero_for_a_unit_slope_critic():
    import torch

    weights = torch.tensor([0.6, 0.8])  # norm 1
    real, fake = torch.randn(16, 2), torch.randn(16, 2)
    assert gradient_penalty(lambda rows: rows @ weights, real, fake).item() == pytest.approx(
        0.0, abs=1e-10
    )
    steep = gradient_penalty(lambda rows: rows @ (3 * weights), real, fake)
    assert steep.item() == pytest.approx(4.0)


@pytest.mark.parametrize("sampler_class", [CGANSampler, ACGANSampler, CAGANSampler])
def test_spectral_norm_bounds_every_discriminator_layer(tiny_images, sampler_class):
    """With spectral_norm=True each conv / linear weight of the fitted discriminator has a
    largest singular value of about 1 (baked in after training, so the sampler pickles), and
    the discriminator has no batch normalisation."""
    import pickle

    import torch

    images, y = tiny_images
    sampler = sampler_class(
        epochs=3, batch_size=16, latent_dim=8, spectral_norm=True, random_state=0
    )
    sampler.fit_resample(images, y)
    layers = [
        m
        for m in sampler.discriminator_.modules()
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))
    ]
    assert layers
    for layer in layers:
        sigma = torch.linalg.matrix_norm(layer.weight.detach().flatten(1), ord=2).item()
        # One power iteration per step estimates the top singular value from below.
        assert 0.9 < sigma < 1.1, (layer, sigma)
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in sampler.discriminator_.modules())
    restored = pickle.loads(pickle.dumps(sampler))
    assert np.array_equal(
        restored.generate([0, 1], random_state=0), sampler.generate([0, 1], random_state=0)
    )


def test_acgan_class_weight_balances_the_real_classification_loss(tiny_images):
    """class_weight="balanced" changes training (the rare class weighs more in the classifier's
    loss), is dropped after training, and an unknown value is refused by name."""
    images, y = tiny_images
    params = dict(epochs=2, batch_size=16, latent_dim=8, selection=None, random_state=0)
    plain = ACGANSampler(**params).fit_resample(images, y)[0]
    weighted_sampler = ACGANSampler(class_weight="balanced", **params)
    weighted = weighted_sampler.fit_resample(images, y)[0]
    assert not np.array_equal(plain, weighted)
    assert "_class_weights" not in vars(weighted_sampler)
    with pytest.raises(ValueError, match="class_weight"):
        ACGANSampler(class_weight="inverse", **params).fit_resample(images, y)


def test_cagan_discriminator_learns_twice_as_fast_by_default():
    """CA-GAN's default ``learning_rate`` is the pair (2e-4, 4e-4): each optimiser gets its own."""
    rates = {}

    def record_rates(sampler, epoch, losses):
        for name, optimizer in sampler._optimizers.items():
            rates[name] = [group["lr"] for group in optimizer.param_groups]

    X, y = separated_classes()
    CAGANSampler(epochs=1, latent_dim=8, random_state=0, callbacks=[record_rates]).fit_resample(
        X, y
    )
    assert rates == {"generator": [2e-4], "discriminator": [4e-4]}
