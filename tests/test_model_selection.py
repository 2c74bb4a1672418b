"""The imbalance protocols as scikit-learn splitters."""

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import make_pipeline
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_validate

from imbgan.datasets import make_drop_split, make_imbalanced_split
from imbgan.metrics import acsa_scorer
from imbgan.model_selection import DropSplit, ImbalancedSplit, imbalanced_class_counts


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    keep = y < 4
    return X[keep] / 16.0, y[keep]


def test_imbalanced_split_yields_geometric_train_and_balanced_disjoint_test(digits):
    X, y = digits
    cv = ImbalancedSplit(8, max_per_class=40, n_test_per_class=20, n_repeats=3, random_state=0)
    splits = list(cv.split(X, y))
    assert len(splits) == cv.get_n_splits() == 3
    for train, test in splits:
        assert np.bincount(y[train]).tolist() == [40, 20, 10, 5]
        assert np.bincount(y[test]).tolist() == [20, 20, 20, 20]
        assert not set(train) & set(test)
    # Repeats are fresh draws; an int random_state repeats them on every call of split.
    assert not np.array_equal(splits[0][0], splits[1][0])
    for (train, _test), (again, _) in zip(splits, cv.split(X, y)):
        np.testing.assert_array_equal(train, again)
    # The first repeat is make_imbalanced_split's split.
    X_train, X_test, y_train, _ = make_imbalanced_split(
        X, y, 8, max_per_class=40, n_test_per_class=20, random_state=0
    )
    np.testing.assert_array_equal(X_train, X[splits[0][0]])
    np.testing.assert_array_equal(X_test, X[splits[0][1]])
    np.testing.assert_array_equal(y_train, y[splits[0][0]])


def test_imbalanced_split_class_counts_and_errors(digits):
    X, y = digits
    classes, counts, n_test = ImbalancedSplit(10, max_per_class=40).class_counts(y)
    assert classes.tolist() == [0, 1, 2, 3]
    assert counts.tolist() == imbalanced_class_counts(4, 40, 10).tolist()
    # The default test size: what every class still has after its training rows.
    assert n_test == int(np.min(np.bincount(y) - counts))
    with pytest.raises(ValueError, match="Not enough rows"):
        next(ImbalancedSplit(max_per_class=170, n_test_per_class=50).split(X, y))
    with pytest.raises(ValueError, match="imbalance_ratio must be at least 1"):
        next(ImbalancedSplit(0.5).split(X, y))
    with pytest.raises(ValueError, match="n_repeats"):
        next(ImbalancedSplit(n_repeats=0).split(X, y))
    with pytest.raises(ValueError, match="needs the labels"):
        next(ImbalancedSplit().split(X, None))
    with pytest.raises(ValueError, match="rows but y has"):
        next(ImbalancedSplit().split(X[:10], y))


def test_drop_split_drops_the_minority_class_in_train_only(digits):
    X, y = digits
    cv = DropSplit(minority_class=2, drop_fraction=0.9, n_repeats=2, random_state=0)
    splits = list(cv.split(X, y))
    assert len(splits) == cv.get_n_splits() == 2
    full_train = np.bincount(y).tolist()[2] - int(np.ceil(0.2 * np.bincount(y)[2]))
    for train, test in splits:
        assert not set(train) & set(test)
        assert (y[train] == 2).sum() == full_train - round(0.9 * full_train)
        # The test split keeps the data's proportions.
        assert abs((y[test] == 2).mean() - (y == 2).mean()) < 0.02
    X_train, X_test, y_train, y_test = make_drop_split(X, y, 2, 0.9, random_state=0)
    np.testing.assert_array_equal(X_train, X[splits[0][0]])
    np.testing.assert_array_equal(y_test, y[splits[0][1]])
    # None picks the least frequent class; with ties, the first.
    train, _ = next(DropSplit(drop_fraction=0.5, random_state=0).split(X, y))
    counts = np.bincount(y[train])
    assert counts.argmin() == np.bincount(y).argmin()
    with pytest.raises(ValueError, match="does not occur"):
        next(DropSplit(minority_class=9).split(X, y))
    with pytest.raises(ValueError, match="drop_fraction"):
        next(DropSplit(drop_fraction=1.0).split(X, y))


def test_splitters_work_in_cross_validate_and_grid_search(digits):
    X, y = digits
    pipeline = make_pipeline(RandomOverSampler(random_state=0), LogisticRegression(max_iter=300))
    cv = ImbalancedSplit(8, max_per_class=40, n_test_per_class=20, n_repeats=2, random_state=0)
    scores = cross_validate(pipeline, X, y, cv=cv, scoring=acsa_scorer, return_train_score=True)
    assert len(scores["test_score"]) == 2
    assert np.all(scores["test_score"] > 0.7)
    # The same test score by hand: resample the split's training rows, score its test rows.
    train, test = next(cv.split(X, y))
    by_hand = acsa_scorer(pipeline.fit(X[train], y[train]), X[test], y[test])
    assert scores["test_score"][0] == pytest.approx(by_hand)

    search = GridSearchCV(
        pipeline,
        {"logisticregression__C": [0.01, 1.0]},
        cv=DropSplit(minority_class=3, drop_fraction=0.9, n_repeats=2, random_state=0),
        scoring=acsa_scorer,
    )
    search.fit(X, y)
    assert search.n_splits_ == 2
    assert search.best_params_["logisticregression__C"] in (0.01, 1.0)
    assert "DropSplit(drop_fraction=0.9" in repr(search.cv)


def test_split_functions_keep_a_dataframe():
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"colour": rng.choice(["red", "blue"], 90), "size": rng.rand(90)})
    y = np.repeat([0, 1, 2], 30)
    X_train, X_test, y_train, y_test = make_imbalanced_split(
        X, y, 4, max_per_class=12, random_state=0
    )
    assert isinstance(X_train, pd.DataFrame) and list(X_train.columns) == ["colour", "size"]
    assert np.bincount(y_train).tolist() == [12, 6, 3]
    assert X_train["colour"].isin(["red", "blue"]).all()
    X_train, X_test, _, _ = make_drop_split(X, y, 1, 0.5, random_state=0)
    assert isinstance(X_test, pd.DataFrame) and X_test["colour"].dtype == X["colour"].dtype
