"""Tests of imbgan.metrics: classification scores and generated-sample quality."""

import numpy as np
import pytest
from sklearn.datasets import load_digits, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import GridSearchCV

from imbgan.metrics import (
    acsa_score,
    acsa_scorer,
    generated_accuracy,
    gm_score,
    gm_scorer,
    sample_quality_report,
    ssim,
    ssim_diversity,
    ssim_novelty,
)


@pytest.fixture(scope="module")
def digit_images():
    """Scikit-learn's 8x8 digits scaled to [0, 1]."""
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


# ---------------------------------------------------------------- scores


def test_acsa_is_mean_per_class_recall():
    y_true = [0, 0, 0, 0, 1, 1, 2, 2]
    y_pred = [0, 0, 0, 1, 1, 0, 2, 2]
    expected = np.mean([3 / 4, 1 / 2, 1.0])
    assert acsa_score(y_true, y_pred) == pytest.approx(expected)
    assert acsa_score(y_true, y_pred) == pytest.approx(balanced_accuracy_score(y_true, y_pred))


def test_gm_is_geometric_mean_and_zero_recall_is_corrected_on_request():
    y_true = [0, 0, 1, 1, 2, 2]
    y_pred = [0, 1, 1, 1, 2, 2]
    assert gm_score(y_true, y_pred) == pytest.approx((0.5 * 1 * 1) ** (1 / 3))

    never_class_2 = [0, 0, 1, 1, 0, 0]
    assert gm_score(y_true, never_class_2) == 0.0
    corrected = gm_score(y_true, never_class_2, correction=1e-3)
    assert corrected == pytest.approx((1 * 1 * 1e-3) ** (1 / 3))


def test_gm_counts_only_the_classes_of_y_true():
    # Class 2 is predicted but absent (a rare class missing from a fold): it has no recall.
    y_true, y_pred = [0, 0, 1, 1], [0, 0, 1, 2]
    assert gm_score(y_true, y_pred) == pytest.approx((1.0 * 0.5) ** 0.5)
    assert gm_score(y_true, y_pred, correction=1e-3) == pytest.approx((1.0 * 0.5) ** 0.5)


@pytest.mark.parametrize("scorer", [acsa_scorer, gm_scorer])
def test_scorers_drive_a_grid_search(scorer):
    X, y = make_classification(
        n_samples=120, n_classes=3, n_informative=4, weights=[0.6, 0.3, 0.1], random_state=0
    )
    search = GridSearchCV(LogisticRegression(max_iter=500), {"C": [0.1, 1.0]}, scoring=scorer, cv=3)
    search.fit(X, y)
    assert 0.0 <= search.best_score_ <= 1.0
    best = search.best_estimator_
    direct = (
        acsa_score(y, best.predict(X)) if scorer is acsa_scorer else gm_score(y, best.predict(X))
    )
    assert scorer(best, X, y) == pytest.approx(direct)


# ---------------------------------------------------------------- SSIM


def test_ssim_of_identical_images_is_one_and_differs_otherwise(digit_images):
    X, _ = digit_images
    values = ssim(X[:20], X[:20], (1, 8, 8), data_range=1.0)
    np.testing.assert_allclose(values, 1.0)
    assert np.all(ssim(X[:20], X[20:40], (8, 8), data_range=1.0) < 1.0)


def test_ssim_is_symmetric_and_bounded(digit_images):
    X, _ = digit_images
    forward = ssim(X[:30], X[30:60], (1, 8, 8), data_range=1.0)
    backward = ssim(X[30:60], X[:30], (1, 8, 8), data_range=1.0)
    np.testing.assert_allclose(forward, backward)
    assert np.all((forward >= -1) & (forward <= 1))


@pytest.mark.parametrize("image_shape", [(1, 8, 8), (3, 9, 7), (1, 28, 28)])
def test_torch_ssim_matches_scikit_image(image_shape):
    pytest.importorskip("skimage")
    rng = np.random.RandomState(0)
    n_features = int(np.prod(image_shape))
    X_a, X_b = rng.rand(12, n_features), rng.rand(12, n_features)
    # Correlated pairs too, so that values near 1 are compared, not only values near 0.
    X_b[6:] = np.clip(X_a[6:] + 0.05 * rng.randn(6, n_features), 0, 1)
    torch_values = ssim(X_a, X_b, image_shape, data_range=1.0, backend="torch")
    skimage_values = ssim(X_a, X_b, image_shape, data_range=1.0, backend="skimage")
    np.testing.assert_allclose(torch_values, skimage_values, atol=1e-10)


def test_ssim_data_range_is_required_and_checked(digit_images):
    X, _ = digit_images
    with pytest.raises(TypeError):
        ssim(X[:2], X[2:4], (1, 8, 8))
    for bad in (0, -1.0, None, "1", float("inf"), float("nan"), True):
        with pytest.raises(ValueError, match="data_range"):
            ssim(X[:2], X[2:4], (1, 8, 8), data_range=bad)


def test_ssim_data_range_changes_the_constants(digit_images):
    X, _ = digit_images
    narrow = ssim(X[:10], X[10:20], (1, 8, 8), data_range=1.0)
    wide = ssim(X[:10], X[10:20], (1, 8, 8), data_range=100.0)
    assert not np.allclose(narrow, wide)


def test_ssim_rejects_bad_shapes_and_windows(digit_images):
    X, _ = digit_images
    with pytest.raises(ValueError, match="image_shape"):
        ssim(X[:2], X[2:4], (1, 7, 7), data_range=1.0)
    with pytest.raises(ValueError, match="win_size"):
        ssim(X[:2], X[2:4], (1, 8, 8), data_range=1.0, win_size=9)
    with pytest.raises(ValueError, match="win_size"):
        ssim(X[:2], X[2:4], (1, 8, 8), data_range=1.0, win_size=4)
    with pytest.raises(ValueError, match="win_size"):
        ssim(X[:2], X[2:4], (1, 8, 8), data_range=1.0, win_size=7.0)
    with pytest.raises(ValueError, match="image_shape"):
        ssim(X[:2], X[2:4], (8.0, 8), data_range=1.0)
    with pytest.raises(ValueError, match="at least 3 x 3"):
        ssim(X[:2, :4], X[2:4, :4], (2, 2), data_range=1.0)
    with pytest.raises(ValueError, match="backend"):
        ssim(X[:2], X[2:4], (1, 8, 8), data_range=1.0, backend="opencv")


def test_small_images_get_a_smaller_window():
    rng = np.random.RandomState(0)
    X = rng.rand(4, 36)
    values = ssim(X, X, (6, 6), data_range=1.0)
    np.testing.assert_allclose(values, 1.0)


# ---------------------------------------------------------------- diversity and novelty


def test_diversity_is_one_for_copies_and_lower_for_real_digits(digit_images):
    X, y = digit_images
    copies = np.repeat(X[:1], 10, axis=0)
    assert ssim_diversity(copies, (1, 8, 8), data_range=1.0, random_state=0) == pytest.approx(1.0)
    real = ssim_diversity(X[y == 3], (1, 8, 8), data_range=1.0, random_state=0)
    assert 0.0 < real < 0.9


def test_diversity_is_reproducible_and_nan_for_one_sample(digit_images):
    X, y = digit_images
    first = ssim_diversity(X[y == 5], (1, 8, 8), data_range=1.0, n_pairs=50, random_state=3)
    second = ssim_diversity(X[y == 5], (1, 8, 8), data_range=1.0, n_pairs=50, random_state=3)
    assert first == second
    assert np.isnan(ssim_diversity(X[:1], (1, 8, 8), data_range=1.0))


def test_diversity_uses_all_pairs_when_few(digit_images):
    X, _ = digit_images
    four = X[:4]
    expected = np.mean(
        [ssim(four[i], four[j], (1, 8, 8), data_range=1.0)[0] for i in range(4) for j in range(i)]
    )
    assert ssim_diversity(four, (1, 8, 8), data_range=1.0, n_pairs=100) == pytest.approx(expected)


@pytest.mark.parametrize("neighbour", ["ssim", "euclidean"])
def test_novelty_is_one_for_copies_of_real_samples(digit_images, neighbour):
    X, y = digit_images
    real = X[y == 7][:40]
    copies = real[[3, 5, 5, 11]]
    novelty = ssim_novelty(copies, real, (1, 8, 8), data_range=1.0, neighbour=neighbour)
    assert novelty == pytest.approx(1.0)


def test_novelty_of_real_to_other_real_excludes_the_sample_itself(digit_images):
    X, y = digit_images
    real = X[y == 7][:40]
    to_other = ssim_novelty(real, real, (1, 8, 8), data_range=1.0, exclude_identical=True)
    assert to_other < 1.0
    # A duplicated row has an identical *other* row: its nearest neighbour is a perfect match.
    five = real[:5]
    without = ssim_novelty(five, five, (1, 8, 8), data_range=1.0, exclude_identical=True)
    with_duplicate = np.vstack([five, five[:1]])
    values = ssim_novelty(
        with_duplicate, with_duplicate, (1, 8, 8), data_range=1.0, exclude_identical=True
    )
    assert values > without


def test_novelty_excluding_identical_rows_needs_one_array(digit_images):
    X, y = digit_images
    real, other = X[y == 7][:10], X[y == 7][10:20]
    with pytest.raises(ValueError, match="same array"):
        ssim_novelty(other, real, (1, 8, 8), data_range=1.0, exclude_identical=True)
    assert ssim_novelty(real.copy(), real, (1, 8, 8), data_range=1.0, exclude_identical=True) < 1


def test_diversity_checks_its_arguments(digit_images):
    X, _ = digit_images
    for bad in (0, -1, 2.5):
        with pytest.raises(ValueError, match="n_pairs"):
            ssim_diversity(X[:5], (1, 8, 8), data_range=1.0, n_pairs=bad)
    with pytest.raises(ValueError, match="data_range"):
        ssim_diversity(X[:1], (1, 8, 8), data_range=-1)


def test_novelty_by_ssim_finds_a_neighbour_at_least_as_similar_as_euclidean(digit_images):
    X, y = digit_images
    real, generated = X[y == 2][:50], X[y == 2][50:70]
    by_ssim = ssim_novelty(generated, real, (1, 8, 8), data_range=1.0, neighbour="ssim")
    by_distance = ssim_novelty(generated, real, (1, 8, 8), data_range=1.0, neighbour="euclidean")
    assert by_ssim >= by_distance - 1e-12


def test_novelty_caps_queries_reproducibly(digit_images):
    X, y = digit_images
    kwargs = dict(data_range=1.0, max_samples=10, max_reference=30, random_state=0)
    first = ssim_novelty(X[y == 1], X[y == 1][::-1], (1, 8, 8), **kwargs)
    assert first == ssim_novelty(X[y == 1], X[y == 1][::-1], (1, 8, 8), **kwargs)
    with pytest.raises(ValueError, match="neighbour"):
        ssim_novelty(X[:3], X[3:6], (1, 8, 8), data_range=1.0, neighbour="cosine")


def test_skimage_backend_gives_the_same_novelty(digit_images):
    pytest.importorskip("skimage")
    X, y = digit_images
    args = (X[y == 4][:6], X[y == 4][6:20], (1, 8, 8))
    fast = ssim_novelty(*args, data_range=1.0, backend="torch")
    reference = ssim_novelty(*args, data_range=1.0, backend="skimage")
    assert fast == pytest.approx(reference, abs=1e-10)


# ---------------------------------------------------------------- accuracy and report


class _AlwaysPredicts:
    """A stand-in classifier that predicts one class for everything."""

    def __init__(self, label):
        self.label = label

    def predict(self, X):
        return np.full(len(X), self.label)


def test_generated_accuracy_is_per_class():
    X = np.zeros((5, 4))
    y = np.array([1, 1, 2, 2, 2])
    assert generated_accuracy(_AlwaysPredicts(2), X, y) == {1: 0.0, 2: 1.0}
    assert generated_accuracy(_AlwaysPredicts(2), X[:0], y[:0]) == {}


def test_sample_quality_report_rows(digit_images):
    X, y = digit_images
    keep = np.isin(y, [0, 1, 2])
    X_real, y_real = X[keep][:150], y[keep][:150]
    classifier = LogisticRegression(max_iter=1000).fit(X_real, y_real)
    # "Generated" rows: copies of real rows of classes 1 and 2, a stand-in for random oversampling.
    pick = np.flatnonzero(y_real != 0)[:20]
    rows = sample_quality_report(
        classifier,
        X_real,
        y_real,
        X_real[pick],
        y_real[pick],
        (1, 8, 8),
        data_range=1.0,
        random_state=0,
    )
    assert [row["class"] for row in rows] == sorted(set(y_real[pick]))
    for row in rows:
        assert set(row) == {
            "class",
            "n_real",
            "n_generated",
            "accuracy",
            "diversity_generated",
            "diversity_real",
            "novelty_generated",
            "novelty_real",
        }
        assert row["novelty_generated"] == pytest.approx(1.0)
        assert row["novelty_real"] < 1.0
        assert 0.0 <= row["accuracy"] <= 1.0
        assert row["n_real"] == int(np.sum(y_real == row["class"]))
    again = sample_quality_report(
        classifier,
        X_real,
        y_real,
        X_real[pick],
        y_real[pick],
        (1, 8, 8),
        data_range=1.0,
        random_state=0,
    )
    assert rows == again


def test_sample_quality_report_without_classifier_or_samples(digit_images):
    X, y = digit_images
    assert sample_quality_report(None, X, y, X[:0], y[:0], (1, 8, 8), data_range=1.0) == []
    rows = sample_quality_report(None, X[:50], y[:50], X[:5], y[:5], (1, 8, 8), data_range=1.0)
    assert all(np.isnan(row["accuracy"]) for row in rows)
