import numpy as np
import pytest
import torch

# The test networks are tiny: one thread avoids thread start-up costs and oversubscription
# when tests share a 2-core machine with other work.
torch.set_num_threads(1)


@pytest.fixture
def blobs():
    """Three well-separated Gaussian classes in 4-D, imbalanced 60 / 12 / 4."""
    rng = np.random.RandomState(0)
    centers = np.array([[0, 0, 0, 0], [6, 6, 0, 0], [0, 6, 6, 6]], dtype=float)
    counts = [60, 12, 4]
    X = np.vstack([c + rng.normal(scale=0.5, size=(n, 4)) for c, n in zip(centers, counts)])
    y = np.repeat([0, 1, 2], counts)
    # Shuffled, so that a bug that detaches labels from their rows cannot hide behind sorted y.
    order = rng.permutation(len(y))
    return X[order], y[order]


@pytest.fixture
def tiny_images():
    """Two classes of 6x6 one-channel images: a bright left half or a bright right half."""
    rng = np.random.RandomState(0)
    counts = [30, 6]
    images = rng.uniform(0, 40, size=(sum(counts), 6, 6))
    images[: counts[0], :, :3] += 200
    images[counts[0] :, :, 3:] += 200
    y = np.repeat([0, 1], counts)
    order = rng.permutation(len(y))
    return np.clip(images, 0, 255).astype(np.uint8)[order], y[order]


@pytest.fixture
def recorded_judges(monkeypatch):
    """The classifiers each ``fit_resample`` hands to the selection, in call order."""
    import imbgan.base

    judges = []
    real_selector = imbgan.base.ConfidenceSelector

    def recording_selector(classifier, near_copy_ratio):
        judges.append(classifier)
        return real_selector(classifier, near_copy_ratio)

    monkeypatch.setattr(imbgan.base, "ConfidenceSelector", recording_selector)
    return judges
