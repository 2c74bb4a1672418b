"""Tables as users hold them: mixed-type DataFrames, object arrays, booleans, integers, dates,
sparse matrices and values too large for float64 arithmetic, through every GAN sampler."""

import pickle

import numpy as np
import pytest
from scipy import sparse

import imbgan.base
from imbgan import CGANSampler, GAMOSampler
from imbgan._data import DataCodec

from ._samplers import FAST, gan_sampler_classes

pd = pytest.importorskip("pandas")

N_MAJORITY, N_MINORITY = 30, 10
TINY = {**FAST, "epochs": 1}


def with_categorical_features(cls):
    return "categorical_features" in cls().get_params()


@pytest.fixture
def frame():
    """A mixed-type table of 40 rows (30 / 10) with a non-default integer index."""
    rng = np.random.RandomState(0)
    n = N_MAJORITY + N_MINORITY
    X = pd.DataFrame(
        {
            "make": rng.choice(["toyota", "ford", "bmw"], n),  # pandas' default text dtype
            "colour": rng.choice(["red", "blue"], n).astype(object),
            "size": pd.Categorical(
                rng.choice(["S", "M", "L"], n), categories=["S", "M", "L", "XL"]
            ),
            "grade": pd.Categorical(rng.choice([10, 20, 30], n)),
            "used": rng.rand(n) < 0.52,
            "doors": rng.randint(2, 6, n),
            "region": rng.choice([3, 7, 11], n),  # integer-coded category, declared
            "price": rng.normal(20, 5, n).astype(np.float32),
            "km": rng.exponential(1e4, n),
        },
        index=rng.permutation(np.arange(500, 500 + n)),
    )
    y = pd.Series(np.repeat([0, 1], [N_MAJORITY, N_MINORITY]), index=X.index, name="sold")
    return X, y


def generated_part(X_res, n):
    return X_res.iloc[n:]


@pytest.mark.parametrize("cls", gan_sampler_classes(), ids=lambda c: c.__name__)
def test_mixed_frame_round_trips(cls, frame):
    X, y = frame
    params = dict(TINY)
    if with_categorical_features(cls):
        params["categorical_features"] = ["region"]
    sampler = cls(**params)
    X_res, y_res = sampler.fit_resample(X, y)

    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list(X.columns)
    assert X_res.dtypes.to_dict() == X.dtypes.to_dict()
    assert len(X_res) == 2 * N_MAJORITY
    # The original rows come back untouched, index included; the generated ones continue it.
    pd.testing.assert_frame_equal(X_res.iloc[: len(X)], X)
    new_index = X_res.index[len(X) :]
    assert new_index.tolist() == list(range(X.index.max() + 1, X.index.max() + 1 + len(new_index)))
    assert X_res.index.is_unique
    assert isinstance(y_res, pd.Series) and y_res.name == "sold"
    assert y_res.index.equals(X_res.index)
    assert (y_res.iloc[len(X) :] == 1).all()

    # The added rows, and plain draws of the generator (fit_resample may also add copies of
    # real rows, depending on generated_share and selection).
    drawn = sampler.generate(np.ones(40, dtype=int), random_state=0)
    assert drawn.dtypes.to_dict() == X.dtypes.to_dict()
    for new in (generated_part(X_res, len(X)), drawn):
        for column in ["make", "colour", "grade", "used", "region"]:
            assert set(new[column]) <= set(X[column]), column
        assert set(new["size"]) <= {"S", "M", "L"}  # observed categories only, never "XL" or NaN
        assert not new.isna().any().any()
        assert new["doors"].between(X["doors"].min(), X["doors"].max()).all()
        assert new["price"].between(X["price"].min(), X["price"].max()).all()


@pytest.mark.parametrize("cls", gan_sampler_classes(), ids=lambda c: c.__name__)
def test_booleans_stay_booleans_and_take_both_values(cls):
    rng = np.random.RandomState(1)
    n = 40 + 40
    X = rng.rand(n, 2) < 0.52
    y = np.repeat([0, 1], [60, 20])
    sampler = cls(**TINY)
    X_res, _ = sampler.fit_resample(X, y)
    assert X_res.dtype == bool and X_res[n:].shape == (40, 2)
    # The old codec rounded a scaled output and returned True in every generated value.
    drawn = sampler.generate(np.ones(40, dtype=int), random_state=0)
    assert drawn.dtype == bool and 0 < drawn.mean() < 1


@pytest.mark.parametrize("cls, epochs", [(CGANSampler, 20), (GAMOSampler, 2)])
def test_booleans_come_back_in_the_data_proportion(cls, epochs):
    rng = np.random.RandomState(0)
    n0, n1 = 120, 40
    X = np.c_[rng.rand(n0 + n1) < 0.8, rng.rand(n0 + n1) < 0.3]
    y = np.repeat([0, 1], [n0, n1])
    sampler = cls(**{**FAST, "epochs": epochs})
    sampler.fit_resample(X, y)
    # generate() gives plain draws of the generator (no selection, no copies of real rows).
    drawn = sampler.generate(np.ones(400, dtype=int), random_state=0)
    assert drawn.dtype == bool
    np.testing.assert_allclose(drawn.mean(axis=0), X[y == 1].mean(axis=0), atol=0.15)


def test_gamo_categories_stay_in_their_class(frame):
    X, y = frame
    X = X.copy()
    X.loc[y == 1, "make"] = "ford"  # the minority class has a single make
    sampler = GAMOSampler(**TINY)
    X_res, y_res = sampler.fit_resample(X, y)
    assert set(X_res["make"].iloc[len(X) :]) == {"ford"}
    assert set(sampler.generate(np.ones(30, dtype=int), random_state=0)["make"]) == {"ford"}
    # GAMO's classifier takes rows of the same table.
    assert sampler.classifier_.predict_proba(X.iloc[:5]).shape == (5, 2)


@pytest.mark.parametrize(
    "spec",
    [["region"], [6], [False] * 6 + [True] + [False] * 2],
    ids=["names", "indices", "mask"],
)
def test_categorical_features_by_name_index_or_mask(spec, frame):
    X, y = frame
    sampler = CGANSampler(**TINY, categorical_features=spec)
    X_res, _ = sampler.fit_resample(X, y)
    # make 3, colour 2, size 3, grade 3, used 2, region 3 categories; doors, price, km numbers.
    widths = [b - a for a, b in sampler.codec_.discrete_groups_]
    assert widths == [3, 2, 3, 3, 2, 3]
    assert sampler.spec_.n_features == 3 + 2 + 3 + 3 + 2 + 1 + 3 + 1 + 1
    assert set(X_res["region"].iloc[len(X) :]) <= {3, 7, 11}


@pytest.mark.parametrize(
    "cls",
    [c for c in gan_sampler_classes() if "continuous_encoding" in c().get_params()],
    ids=lambda c: c.__name__,
)
def test_mode_specific_normalisation_round_trips(cls, frame):
    X, y = frame
    sampler = cls(**TINY, continuous_encoding="mode-specific")
    X_res, _ = sampler.fit_resample(X, y)
    assert X_res.dtypes.to_dict() == X.dtypes.to_dict()
    pd.testing.assert_frame_equal(X_res.iloc[: len(X)], X)
    new = X_res.iloc[len(X) :]
    for column in ["doors", "region", "price", "km"]:
        assert new[column].between(X[column].min(), X[column].max()).all(), column
    # Each of the 4 numeric columns adds a group of mode codes to the 5 categorical groups.
    assert len(sampler.codec_.discrete_groups_) == 5 + 4


def test_integer_coded_categories_in_a_numeric_array():
    rng = np.random.RandomState(0)
    X = np.c_[rng.choice([5, 50, 500], 40), rng.normal(size=40)]
    y = np.repeat([0, 1], [30, 10])
    sampler = CGANSampler(**TINY, categorical_features=[0])
    X_res, _ = sampler.fit_resample(X, y)
    assert X_res.dtype == X.dtype
    np.testing.assert_array_equal(X_res[: len(X)], X)
    assert set(X_res[len(X) :, 0]) <= {5.0, 50.0, 500.0}
    assert sampler.codec_.discrete_groups_ == ((0, 3),)


def test_object_and_string_arrays_and_lists():
    y = np.repeat([0, 1], [12, 4])
    X = np.array([["a", 1, 2.5, True], ["b", 3, -1.0, False]] * 8, dtype=object)
    X_res, _ = CGANSampler(**TINY).fit_resample(X, y)
    assert X_res.dtype == object and X_res.shape == (24, 4)
    new = X_res[len(X) :]
    assert set(new[:, 0]) <= {"a", "b"} and set(new[:, 3]) <= {True, False}
    assert all(isinstance(v, int) and 1 <= v <= 3 for v in new[:, 1])
    assert all(isinstance(v, float) for v in new[:, 2])

    text = np.array([["x", "p"], ["y", "q"]] * 8)
    X_res, _ = CGANSampler(**TINY).fit_resample(text, y)
    assert X_res.dtype == text.dtype and set(X_res[len(text) :, 1]) <= {"p", "q"}

    X_res, y_res = CGANSampler(**TINY).fit_resample(X.tolist(), y.tolist())
    assert isinstance(X_res, list) and X_res[:16] == X.tolist() and len(y_res) == 24


def test_generate_returns_rows_of_the_table(frame):
    X, y = frame
    sampler = CGANSampler(**TINY)
    sampler.fit_resample(X, y)
    new = sampler.generate([0, 1, 1])
    assert isinstance(new, pd.DataFrame) and list(new.columns) == list(X.columns)
    assert new.dtypes.to_dict() == X.dtypes.to_dict()
    assert new.index.tolist() == [0, 1, 2]
    restored = pickle.loads(pickle.dumps(sampler))
    pd.testing.assert_frame_equal(
        restored.generate([1, 1], random_state=3), sampler.generate([1, 1], random_state=3)
    )


def test_numeric_frame_keeps_its_index():
    X = pd.DataFrame(
        {"a": np.arange(40.0), "b": np.arange(40) % 5}, index=[f"r{i}" for i in range(40)]
    )
    y = np.repeat([0, 1], [30, 10])
    X_res, _ = CGANSampler(**TINY).fit_resample(X, y)
    assert X_res.index[:40].tolist() == X.index.tolist()
    assert X_res.index[40:].tolist() == list(range(40, 60))
    assert X_res.dtypes.to_dict() == X.dtypes.to_dict()


def test_mixed_frame_in_a_pipeline_with_one_hot_encoding(frame):
    from imblearn.pipeline import make_pipeline
    from sklearn.compose import make_column_selector, make_column_transformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    X, y = frame
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
        (StandardScaler(), make_column_selector(dtype_include="number")),
    )
    pipe = make_pipeline(CGANSampler(**TINY), encode, LogisticRegression())
    assert pipe.fit(X, y).predict(X).shape == (len(X),)


def test_declared_integer_category_keeps_its_dtype(frame):
    X, y = frame
    sampler = CGANSampler(**TINY, categorical_features=["region"])
    X_res, _ = sampler.fit_resample(X[["region", "price"]], y)
    assert X_res["region"].dtype == X["region"].dtype


# ----------------------------------------------------------------------- sparse input


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("dtype", [np.float64, np.int64])
def test_sparse_in_sparse_out_with_zeros_kept(fmt, dtype):
    rng = np.random.RandomState(0)
    dense = (rng.poisson(0.3, size=(40, 30)) * rng.uniform(0.5, 2, size=(40, 30))).astype(dtype)
    X = sparse.csr_matrix(dense).asformat(fmt)
    y = np.repeat([0, 1], [30, 10])
    X_res, _ = CGANSampler(**TINY).fit_resample(X, y)
    assert sparse.issparse(X_res) and X_res.format == fmt and X_res.dtype == dtype
    np.testing.assert_array_equal(X_res[:40].toarray(), dense)
    # A generated value nearer 0 than half the smallest non-zero of its column is exactly 0.
    new = np.abs(X_res[40:].toarray())
    smallest = np.where(dense > 0, dense, np.inf).min(axis=0)
    assert ((new == 0) | (new >= smallest / 2)).all()


def test_sparse_zero_snapping_in_the_codec():
    X = np.array([[0.0, 0.0], [0.2, 0.0], [1.0, 4.0]])
    plain = DataCodec(per_feature=True).fit(X)
    snapping = DataCodec(per_feature=True, snap_zeros=True).fit(X)
    codes = plain.encode(np.array([[0.09, 1.9], [0.11, 2.1]]))
    np.testing.assert_allclose(plain.decode(codes), [[0.09, 1.9], [0.11, 2.1]], rtol=1e-5)
    # Column 0: smallest non-zero 0.2, so |v| < 0.1 is 0; column 1: smallest 4, so < 2 is 0.
    np.testing.assert_allclose(snapping.decode(codes), [[0.0, 0.0], [0.11, 2.1]], rtol=1e-5)


def test_sparse_input_too_large_to_densify_is_refused_up_front(monkeypatch):
    monkeypatch.setattr(imbgan.base, "MAX_DENSE_MEGABYTES", 0.01)
    X = sparse.random(100, 2000, density=0.001, random_state=0, format="csr")
    y = np.repeat([0, 1], [80, 20])
    seen = []
    sampler = CGANSampler(**TINY, callbacks=[lambda *args: seen.append(args)])
    with pytest.raises(ValueError, match=r"dense copy would take 2 MiB.*MAX_DENSE_MEGABYTES"):
        sampler.fit_resample(X, y)
    assert not seen and not hasattr(sampler, "history_")


def test_sparse_with_categorical_features_is_refused():
    X = sparse.csr_matrix(np.eye(20))
    with pytest.raises(ValueError, match="categorical_features is not supported with a sparse"):
        CGANSampler(**TINY, categorical_features=[0]).fit_resample(X, np.repeat([0, 1], [15, 5]))


# ----------------------------------------------------------------------- bad input


def test_datetime_column_is_refused_naming_the_column(frame):
    X, y = frame
    X = X.assign(bought=pd.date_range("2020-01-01", periods=len(X), freq="D"))
    with pytest.raises(
        ValueError,
        match=r"column 'bought' \(index 9\) has dtype datetime64.*"
        r"Convert it to a number",
    ):
        CGANSampler(**TINY).fit_resample(X, y)


@pytest.mark.parametrize(
    "X",
    [
        np.arange(20).astype("datetime64[D]").reshape(10, 2),
        np.array([[np.datetime64("2020-01-01"), 1.0]] * 10, dtype=object),
    ],
    ids=["datetime64-array", "object-array"],
)
def test_datetime_arrays_are_refused(X):
    with pytest.raises(ValueError, match="Convert it to a number"):
        CGANSampler(**TINY).fit_resample(X, np.repeat([0, 1], [7, 3]))


def test_missing_categories_are_refused_naming_the_column(frame):
    X, y = frame
    X = X.copy()
    X.loc[X.index[3], "colour"] = None
    with pytest.raises(ValueError, match=r"column 'colour' \(index 1\) has missing values"):
        CGANSampler(**TINY).fit_resample(X, y)


def test_a_column_mixing_text_and_numbers_is_refused(frame):
    X, y = frame
    X = X.assign(code=pd.Series([1, "a"] * 20, index=X.index, dtype=object))
    with pytest.raises(ValueError, match=r"column 'code' \(index 9\) mixes values.*astype\(str\)"):
        CGANSampler(**TINY).fit_resample(X, y)


@pytest.mark.parametrize(
    "spec, message",
    [(["no_such_column"], "does not select columns"), ([42], "does not select columns")],
)
def test_bad_categorical_features_are_refused(spec, message, frame):
    X, y = frame
    with pytest.raises(ValueError, match=message):
        CGANSampler(**TINY, categorical_features=spec).fit_resample(X, y)


def test_column_names_need_a_dataframe():
    with pytest.raises(ValueError, match="categorical_features holds column names"):
        CGANSampler(**TINY, categorical_features=["a"]).fit_resample(
            np.zeros((20, 2)), np.repeat([0, 1], [15, 5])
        )


@pytest.mark.parametrize("as_frame", [True, False])
def test_values_overflowing_float64_are_refused_before_training(as_frame):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20, 3))
    X[:, 1] = np.where(np.arange(20) % 2, 1e308, -1e308)
    if as_frame:
        X = pd.DataFrame(X, columns=["a", "huge", "c"])
    seen = []
    sampler = CGANSampler(**TINY, callbacks=[lambda *args: seen.append(args)])
    name = r"column 'huge' \(index 1\)" if as_frame else "column 1"
    with pytest.raises(ValueError, match=name + r" of X spans \[-1e\+308, 1e\+308\]"):
        sampler.fit_resample(X, np.repeat([0, 1], [15, 5]))
    assert not seen


def test_image_shape_with_a_table_is_refused(frame):
    X, y = frame
    with pytest.raises(ValueError, match="image_shape is for images"):
        CGANSampler(**TINY, image_shape=(3, 3)).fit_resample(X, y)


def test_frame_with_labels_in_a_list(frame):
    X, y = frame
    X_res, y_res = CGANSampler(**TINY).fit_resample(X, y.tolist())
    assert isinstance(y_res, list) and len(y_res) == len(X_res) == 2 * N_MAJORITY


def test_text_labels_in_a_series_with_the_default_parameters(frame):
    # pandas' default text dtype gives y as an array of Python str objects.
    X, y = frame
    labels = y.map({0: "sold", 1: "kept"})
    X_res, y_res = CGANSampler(epochs=1, random_state=0).fit_resample(X, labels)
    assert y_res.value_counts().to_dict() == {"sold": 30, "kept": 30}
    assert y_res.index.equals(X_res.index)
