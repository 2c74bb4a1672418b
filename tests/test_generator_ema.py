"""The moving average of the generator's weights (``generator_ema``), written once in the engine."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits

from imbgan import BAGANSampler, CAGANSampler, CGANSampler


@pytest.fixture
def digits():
    X, y = load_digits(return_X_y=True)
    keep = np.concatenate([np.flatnonzero(y == label)[: 40 - 10 * label] for label in range(3)])
    return X[keep], y[keep]


@pytest.mark.parametrize("sampler_class", [CGANSampler, CAGANSampler, BAGANSampler])
def test_zero_decay_draws_with_the_last_weights(digits, sampler_class):
    """A decay of 0 makes the average the last iterate: the same samples as no average."""
    X, y = digits
    # Plain draws: after two epochs a selection judge may reject every generated row, and
    # copies of real rows would then hide the weights the rows were drawn with.
    params = dict(image_shape=(8, 8), epochs=2, selection=None, random_state=0)
    plain = sampler_class(**params).fit_resample(X, y)[0]
    zero = sampler_class(generator_ema=0.0, **params).fit_resample(X, y)[0]
    averaged = sampler_class(generator_ema=0.9, **params).fit_resample(X, y)[0]
    assert np.array_equal(plain, zero)
    assert not np.array_equal(plain, averaged)


def test_average_is_not_kept_after_training(digits):
    X, y = digits
    sampler = CGANSampler(image_shape=(8, 8), epochs=1, generator_ema=0.9, random_state=0)
    sampler.fit_resample(X, y)
    assert "_generator_average" not in vars(sampler)
    restored = pickle.loads(pickle.dumps(sampler))
    assert np.array_equal(
        restored.generate([1, 2], random_state=0), sampler.generate([1, 2], random_state=0)
    )


def test_bad_decay_is_refused(digits):
    X, y = digits
    with pytest.raises(ValueError, match="generator_ema"):
        CGANSampler(epochs=1, generator_ema=1.0).fit_resample(X, y)


def test_average_warms_up_so_short_fits_forget_the_initial_weights():
    """The decay starts low ((1 + t) / (10 + t) after t updates): one update at a nominal decay
    of 0.999 already moves the average most of the way to the trained weights."""
    sampler = CGANSampler(generator_ema=0.999)
    generator = torch.nn.Linear(3, 2)
    initial = generator.weight.detach().clone()
    sampler._start_generator_average(generator)
    with torch.no_grad():
        generator.weight.add_(1.0)
    sampler._update_generator_average()
    sampler._finish_generator_average(generator)
    decay = 2.0 / 11.0
    expected = decay * initial + (1.0 - decay) * (initial + 1.0)
    assert torch.allclose(generator.weight, expected)
