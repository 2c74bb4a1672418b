"""Selection of generated samples and the share of generated rows, as every GAN sampler has them."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification

from imbgan import BAGANSampler, CAGANSampler, CGANSampler, GAMOSampler, NearestRowClassifier
from imbgan._selection import (
    ConfidenceSelector,
    logistic_selection_classifier,
    typical_neighbour_distance,
)

from ._samplers import FAST, gan_sampler_classes


class FavouriteClass(ClassifierMixin, BaseEstimator):
    """A judge that is certain every row belongs to ``favourite`` (a class index)."""

    def __init__(self, favourite=0):
        self.favourite = favourite

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        probabilities = np.zeros((len(X), len(self.classes_)))
        probabilities[:, list(self.classes_).index(self.favourite)] = 1.0
        return probabilities


@pytest.fixture
def tiny():
    X, y = make_classification(
        n_samples=60,
        n_features=6,
        n_informative=4,
        n_classes=3,
        weights=[0.7, 0.2, 0.1],
        random_state=0,
    )
    return X, y


def new_part(X, X_res, y_res):
    return X_res[len(X) :], y_res[len(X) :]


def is_real_row_of(row, X, y, label):
    return bool(np.any(np.all(X[y == label] == row, axis=1)))


@pytest.mark.parametrize("sampler_class", [CGANSampler, CAGANSampler, BAGANSampler, GAMOSampler])
def test_selection_keeps_exact_counts_and_original_rows(tiny, sampler_class):
    X, y = tiny
    sampler = sampler_class(epochs=1, random_state=0)  # selection and the share: defaults
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.array_equal(X_res[: len(X)], X)
    counts = np.bincount(y_res)
    assert len(set(counts)) == 1, counts
    kept = sampler.selection_counts_["kept"]
    for label, n_new in sampler.sampling_strategy_.items():
        assert kept[label] <= n_new
        n_generated = round(sampler.generated_share * n_new)
        assert kept[label] <= n_generated
        # selection_candidates: 4 by default, 8 for CA-GAN.
        n_candidates = int(np.ceil(sampler.selection_candidates * n_generated))
        assert sampler.selection_counts_["candidates"][label] == n_candidates


def test_cagan_draws_eight_candidates_per_generated_row_by_default(tiny):
    X, y = tiny
    sampler = CAGANSampler(epochs=1, random_state=0)
    sampler.fit_resample(X, y)
    for label, n_new in sampler.sampling_strategy_.items():
        n_generated = round(sampler.generated_share * n_new)
        assert sampler.selection_counts_["candidates"][label] == int(np.ceil(8 * n_generated))


def test_rejected_candidates_are_never_returned(tiny):
    """A judge that calls every row class 0 rejects every candidate of classes 1 and 2: their
    new rows must all be copies of their own real rows, and class 0 needs none."""
    X, y = tiny
    sampler = CGANSampler(
        epochs=1,
        generated_share=1.0,
        selection_classifier=FavouriteClass(0),
        random_state=0,
    )
    X_res, y_res = sampler.fit_resample(X, y)
    X_new, y_new = new_part(X, X_res, y_res)
    assert set(np.unique(y_new)) == {1, 2}
    for row, label in zip(X_new, y_new):
        assert is_real_row_of(row, X, y, label)
    assert sampler.selection_counts_["kept"] == {1: 0, 2: 0}
    assert sampler.selection_counts_["wrong_class"][1] == sampler.selection_counts_["candidates"][1]


def test_accepted_candidates_are_generated_rows(tiny):
    """With a judge that accepts class 1 (the only one it predicts) and nothing rejected as a
    near-copy, every new row of class 1 is generated, none a copy."""
    X, y = tiny
    sampler = CGANSampler(
        epochs=1,
        generated_share=1.0,
        selection_classifier=FavouriteClass(1),
        near_copy_ratio=0.0,
        random_state=0,
    )
    X_res, y_res = sampler.fit_resample(X, y)
    X_new, y_new = new_part(X, X_res, y_res)
    class_1 = X_new[y_new == 1]
    assert len(class_1) == sampler.sampling_strategy_[1]
    assert not any(is_real_row_of(row, X, y, 1) for row in class_1)
    assert all(is_real_row_of(row, X, y, 2) for row in X_new[y_new == 2])


def test_near_copy_ratio_rejects_candidates_close_to_real_rows(tiny):
    X, y = tiny
    sampler = CGANSampler(
        epochs=1,
        generated_share=1.0,
        selection_classifier=FavouriteClass(1),
        near_copy_ratio=1e9,
        random_state=0,
    )
    X_res, y_res = sampler.fit_resample(X, y)
    counts = sampler.selection_counts_
    assert counts["kept"][1] == 0
    assert counts["near_copy"][1] == counts["candidates"][1]
    X_new, y_new = new_part(X, X_res, y_res)
    assert all(is_real_row_of(row, X, y, label) for row, label in zip(X_new, y_new))


def test_classes_of_one_sample_work_with_selection():
    X, y = make_classification(n_samples=40, n_features=5, n_classes=2, random_state=1)
    X = np.vstack([X, X[:1] + 3.0])
    y = np.append(y, 2)
    sampler = CAGANSampler(epochs=1, generated_share=1.0, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res)[2] == np.bincount(y_res).max()
    X_new, y_new = new_part(X, X_res, y_res)
    assert len(X_new[y_new == 2]) == sampler.sampling_strategy_[2]


def test_generated_share_zero_is_random_oversampling(tiny):
    X, y = tiny
    sampler = CGANSampler(epochs=1, generated_share=0.0, selection=None, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    X_new, y_new = new_part(X, X_res, y_res)
    assert all(is_real_row_of(row, X, y, label) for row, label in zip(X_new, y_new))


def test_generated_share_splits_each_class(tiny):
    X, y = tiny
    sampler = CGANSampler(epochs=1, generated_share=0.5, selection=None, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    X_new, y_new = new_part(X, X_res, y_res)
    for label, n_new in sampler.sampling_strategy_.items():
        rows = X_new[y_new == label]
        copies = sum(is_real_row_of(row, X, y, label) for row in rows)
        assert len(rows) == n_new
        assert copies == n_new - round(0.5 * n_new)


def test_copied_from_names_each_copy_and_marks_generated_rows(tiny):
    X, y = tiny
    sampler = CGANSampler(epochs=1, generated_share=0.5, selection="confidence", random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    X_new, y_new = new_part(X, X_res, y_res)
    source = sampler.copied_from_
    assert source.shape == (len(X_new),)
    copies = source >= 0
    assert np.array_equal(X_new[copies], X[source[copies]])
    assert np.array_equal(y_new[copies], y[source[copies]])
    kept = sum(sampler.selection_counts_["kept"].values())
    assert (~copies).sum() == kept
    assert not any(
        is_real_row_of(row, X, y, label) for row, label in zip(X_new[~copies], y_new[~copies])
    )


def test_full_share_without_selection_adds_only_generated_rows(tiny):
    """The papers' recipe: every new row is a plain draw of the generator."""
    X, y = tiny
    sampler = CGANSampler(epochs=1, generated_share=1.0, selection=None, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    X_new, y_new = new_part(X, X_res, y_res)
    assert not any(is_real_row_of(row, X, y, label) for row, label in zip(X_new, y_new))
    assert np.array_equal(sampler.copied_from_, np.full(len(X_new), -1))


def test_selection_is_deterministic(tiny):
    X, y = tiny
    params = dict(epochs=1, selection="confidence", generated_share=0.5, random_state=3)
    first = CGANSampler(**params).fit_resample(X, y)[0]
    second = CGANSampler(**params).fit_resample(X, y)[0]
    assert np.array_equal(first, second)


def test_selector_keeps_the_most_confident_of_the_right_class():
    rng = np.random.RandomState(0)
    real = np.vstack([rng.normal(-3, 1, (30, 2)), rng.normal(3, 1, (30, 2))])
    labels = np.repeat([0, 1], 30)
    judge = logistic_selection_classifier()  # ranks by confidence; 1-NN's are all 0 or 1
    selector = ConfidenceSelector(judge, near_copy_ratio=0.0).fit(real, labels)
    candidates = np.array([[-6.0, -6.0], [-1.0, -1.0], [4.0, 4.0], [-3.0, -3.0]])
    kept, counts = selector.select(candidates, np.zeros(4, dtype=int), {0: 2})
    assert kept[0].tolist() == [0, 3]
    assert counts["wrong_class"][0] == 1
    assert counts["kept"][0] == 2


@pytest.mark.parametrize("sampler_class", gan_sampler_classes(), ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("passed", [False, True])
def test_default_judge_is_one_nearest_neighbour_on_tables_logistic_for_gamo(
    tiny, recorded_judges, sampler_class, passed
):
    from sklearn.linear_model import LogisticRegression

    X, y = tiny
    judge = LogisticRegression() if passed else None
    sampler = sampler_class(**{**FAST, "epochs": 1}, selection_classifier=judge)
    X_res, y_res = sampler.fit_resample(X, y)
    assert len(set(np.bincount(y_res))) == 1
    (used,) = recorded_judges
    if passed:
        assert used is judge
    elif sampler_class is GAMOSampler:
        assert type(used).__name__ == "LogisticRegression" and used.class_weight == "balanced"
    else:
        assert type(used).__name__ == "KNeighborsClassifier" and used.n_neighbors == 1


@pytest.mark.parametrize(
    "sampler_class", [CGANSampler, CAGANSampler, BAGANSampler], ids=lambda cls: cls.__name__
)
def test_default_judge_ranks_typical_images_first_for_cgan_and_cagan(
    recorded_judges, sampler_class
):
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(40, 64))
    y = np.repeat([0, 1], [32, 8])
    sampler = sampler_class(**{**FAST, "epochs": 1}, image_shape=(1, 8, 8))
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [32, 32]
    (used,) = recorded_judges
    if sampler_class is BAGANSampler:
        assert type(used).__name__ == "KNeighborsClassifier"
    else:
        assert type(used) is NearestRowClassifier


def test_nearest_row_judge_decides_like_one_nearest_neighbour_and_ranks_typical_rows_first():
    from sklearn.neighbors import KNeighborsClassifier

    rng = np.random.RandomState(0)
    real = rng.normal(size=(40, 3))
    labels = rng.randint(3, size=40)
    queries = rng.normal(size=(200, 3))
    judge = NearestRowClassifier().fit(real, labels)
    plain = KNeighborsClassifier(n_neighbors=1).fit(real, labels)
    assert np.array_equal(judge.predict(queries), plain.predict(queries))
    probabilities = judge.predict_proba(queries)
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert np.array_equal(probabilities.argmax(axis=1), plain.predict(queries))

    # On a line with class 0 at 0 and 1 and class 1 at 10: every candidate below 5.5 is
    # accepted as class 0, and the selection keeps the ones nearest class 0 first.
    line = np.array([[0.0], [1.0], [10.0]])
    selector = ConfidenceSelector(NearestRowClassifier(), near_copy_ratio=0.0)
    selector.fit(line, np.array([0, 0, 1]))
    candidates = np.array([[5.0], [0.5], [8.0], [3.0]])
    kept, counts = selector.select(candidates, np.zeros(4, dtype=int), {0: 2})
    assert kept[0].tolist() == [1, 3]
    assert counts["wrong_class"][0] == 1


def test_selector_without_a_judge_uses_one_nearest_neighbour():
    rows = np.array([[0.0], [1.0], [10.0], [11.0]])
    selector = ConfidenceSelector(near_copy_ratio=0.0).fit(rows, np.array([0, 0, 1, 1]))
    assert type(selector.classifier_).__name__ == "KNeighborsClassifier"
    assert selector.classifier_.n_neighbors == 1


def test_typical_neighbour_distance_handles_singletons():
    rows = np.array([[0.0], [1.0], [3.0], [10.0]])
    assert typical_neighbour_distance(rows, np.array([0, 0, 0, 1])) == 1.0
    assert typical_neighbour_distance(rows, np.array([0, 1, 2, 3])) == 1.5
    assert typical_neighbour_distance(rows[:1], np.array([0])) == 0.0


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(generated_share=1.5), "generated_share"),
        (dict(selection="best"), "selection"),
        (dict(selection_candidates=0.5), "selection_candidates"),
        (dict(near_copy_ratio=-1.0), "near_copy_ratio"),
    ],
)
def test_bad_selection_parameters_are_refused(tiny, params, message):
    X, y = tiny
    with pytest.raises(ValueError, match=message):
        CGANSampler(epochs=1, **params).fit_resample(X, y)
