"""Tests of imbgan.datasets: loaders (no downloads) and the two imbalance protocols."""

import gzip
import struct

import numpy as np
import pandas as pd
import pytest

from imbgan.datasets import (
    imbalanced_class_counts,
    load_dataset,
    load_idx,
    make_drop_split,
    make_imbalanced_split,
)

# ---------------------------------------------------------------- embedded data


@pytest.mark.parametrize(
    "name, n_samples, n_features, image_shape",
    [
        ("digits", 1797, 64, (1, 8, 8)),
        ("breast_cancer", 569, 30, None),
        ("wine", 178, 13, None),
    ],
)
def test_embedded_datasets(name, n_samples, n_features, image_shape):
    X, y, shape = load_dataset(name)
    assert X.shape == (n_samples, n_features)
    assert y.shape == (n_samples,)
    assert shape == image_shape


def test_unknown_name_and_unsupported_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="neither an embedded data set"):
        load_dataset("mnist-please-download")
    text = tmp_path / "data.txt"
    text.write_text("1 2 3\n")
    with pytest.raises(ValueError, match="expected a .npz file"):
        load_dataset(text)


# ---------------------------------------------------------------- npz


def test_npz_with_and_without_image_shape(tmp_path):
    rng = np.random.RandomState(0)
    X, y = rng.rand(10, 12), np.arange(10) % 2
    np.savez(tmp_path / "tabular.npz", X=X, y=y)
    X_loaded, y_loaded, shape = load_dataset(tmp_path / "tabular.npz")
    np.testing.assert_array_equal(X_loaded, X)
    np.testing.assert_array_equal(y_loaded, y)
    assert shape is None

    np.savez(tmp_path / "images.npz", X=X, y=y, image_shape=np.array([3, 2, 2]))
    assert load_dataset(str(tmp_path / "images.npz"))[2] == (3, 2, 2)


def test_npz_image_array_is_flattened(tmp_path):
    images = np.arange(5 * 4 * 3, dtype=np.uint8).reshape(5, 4, 3)
    np.savez(tmp_path / "stack.npz", X=images, y=np.zeros(5))
    X, _, shape = load_dataset(tmp_path / "stack.npz")
    assert X.shape == (5, 12)
    assert shape == (1, 4, 3)
    np.testing.assert_array_equal(X[2], images[2].ravel())


def test_npz_errors(tmp_path):
    np.savez(tmp_path / "no_y.npz", X=np.zeros((3, 2)))
    with pytest.raises(ValueError, match="'y'"):
        load_dataset(tmp_path / "no_y.npz")
    np.savez(tmp_path / "rows.npz", X=np.zeros((3, 2)), y=np.zeros(4))
    with pytest.raises(ValueError, match="3 rows but y has 4"):
        load_dataset(tmp_path / "rows.npz")
    np.savez(tmp_path / "shape.npz", X=np.zeros((3, 6)), y=np.zeros(3), image_shape=[1, 2, 2])
    with pytest.raises(ValueError, match="image_shape"):
        load_dataset(tmp_path / "shape.npz")
    (tmp_path / "broken.npz").write_bytes(b"not a zip archive")
    with pytest.raises(ValueError, match="not a readable"):
        load_dataset(tmp_path / "broken.npz")


# ---------------------------------------------------------------- csv


def test_csv_label_column_default_last_and_by_name(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("a,label,b\n1.5,0,2\n3,1,4\n5,1,6.5\n")
    X, y, shape = load_dataset(path)
    np.testing.assert_array_equal(X, [[1.5, 0], [3, 1], [5, 1]])
    np.testing.assert_array_equal(y, [2, 4, 6.5])
    assert shape is None

    X, y, _ = load_dataset(path, label_column="label")
    np.testing.assert_array_equal(X, [[1.5, 2], [3, 4], [5, 6.5]])
    np.testing.assert_array_equal(y, [0, 1, 1])
    assert y.dtype.kind == "i"


def test_csv_string_labels_and_errors(tmp_path):
    path = tmp_path / "named.csv"
    path.write_text("x,y,kind\n1,2,cat\n3,4,dog\n")
    _, y, _ = load_dataset(path)
    assert list(y) == ["cat", "dog"]
    with pytest.raises(ValueError, match="no column 'species'"):
        load_dataset(path, label_column="species")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("a,b\n1,2\n3\n")
    with pytest.raises(ValueError, match="fields"):
        load_dataset(ragged)


# ---------------------------------------------------------------- idx


def _write_idx(path, array, compress):
    """Write ``array`` (uint8) in the idx format, gzip-compressed when asked."""
    array = np.asarray(array, dtype=np.uint8)
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    payload = header + array.tobytes()
    if compress:
        with gzip.open(path, "wb") as handle:
            handle.write(payload)
    else:
        path.write_bytes(payload)


@pytest.fixture
def idx_directory(tmp_path):
    """A tiny MNIST-like directory: a gzip train pair and an uncompressed t10k pair."""
    rng = np.random.RandomState(0)
    train_images = rng.randint(0, 256, size=(6, 4, 5))
    test_images = rng.randint(0, 256, size=(3, 4, 5))
    _write_idx(tmp_path / "train-images-idx3-ubyte.gz", train_images, compress=True)
    _write_idx(tmp_path / "train-labels-idx1-ubyte.gz", [0, 1, 2, 0, 1, 2], compress=True)
    _write_idx(tmp_path / "t10k-images-idx3-ubyte", test_images, compress=False)
    _write_idx(tmp_path / "t10k-labels-idx1-ubyte", [2, 1, 0], compress=False)
    return tmp_path, train_images, test_images


def test_load_idx_reads_gzip_and_plain_files(idx_directory):
    directory, train_images, test_images = idx_directory
    np.testing.assert_array_equal(load_idx(directory / "train-images-idx3-ubyte.gz"), train_images)
    np.testing.assert_array_equal(load_idx(directory / "t10k-labels-idx1-ubyte"), [2, 1, 0])


def test_idx_directory_subsets(idx_directory):
    directory, train_images, test_images = idx_directory
    X, y, shape = load_dataset(directory)
    assert shape == (1, 4, 5)
    assert X.shape == (9, 20) and X.dtype == np.float32
    np.testing.assert_array_equal(y, [0, 1, 2, 0, 1, 2, 2, 1, 0])
    np.testing.assert_array_equal(X[:6], train_images.reshape(6, -1))

    X_test, y_test, _ = load_dataset(directory, subset="test")
    np.testing.assert_array_equal(X_test, test_images.reshape(3, -1))
    np.testing.assert_array_equal(y_test, [2, 1, 0])
    assert load_dataset(directory, subset="train")[0].shape == (6, 20)


def test_idx_directory_errors(tmp_path, idx_directory):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FileNotFoundError, match="No idx files"):
        load_dataset(empty)

    lonely = tmp_path / "lonely"
    lonely.mkdir()
    _write_idx(lonely / "train-images-idx3-ubyte", np.zeros((2, 3, 3)), compress=False)
    with pytest.raises(FileNotFoundError, match="no matching labels"):
        load_dataset(lonely)

    mismatch = tmp_path / "mismatch"
    mismatch.mkdir()
    _write_idx(mismatch / "train-images-idx3-ubyte", np.zeros((2, 3, 3)), compress=False)
    _write_idx(mismatch / "train-labels-idx1-ubyte", [0, 1, 2], compress=False)
    with pytest.raises(ValueError, match="2 images but"):
        load_dataset(mismatch)

    bad = tmp_path / "bad-magic"
    bad.write_bytes(b"\x01\x02\x08\x01\x00\x00\x00\x01\x00")
    with pytest.raises(ValueError, match="magic"):
        load_idx(bad)
    truncated = tmp_path / "truncated"
    truncated.write_bytes(struct.pack(">BBBBI", 0, 0, 0x08, 1, 10) + b"\x00" * 4)
    with pytest.raises(ValueError, match="10 bytes"):
        load_idx(truncated)
    with pytest.raises(ValueError, match="subset"):
        load_dataset(idx_directory[0], subset="validation")


# ---------------------------------------------------------------- GAMO protocol


def test_imbalanced_class_counts_are_geometric():
    counts = imbalanced_class_counts(10, 4000, 100)
    assert counts[0] == 4000 and counts[-1] == 40
    assert np.all(np.diff(counts) <= 0)
    ratios = counts[:-1] / counts[1:]
    np.testing.assert_allclose(ratios, 100 ** (1 / 9), rtol=0.05)
    assert imbalanced_class_counts(4, 3, 100).min() == 1
    with pytest.raises(ValueError, match="imbalance_ratio"):
        imbalanced_class_counts(3, 10, 0.5)


def _indexed_digits():
    """Digits with the row index appended as a last feature, to check that splits are disjoint."""
    X, y, _ = load_dataset("digits")
    return np.hstack([X, np.arange(len(X))[:, None]]), y


def test_imbalanced_split_counts_and_disjoint_balanced_test():
    X, y = _indexed_digits()
    X_train, X_test, y_train, y_test = make_imbalanced_split(
        X, y, imbalance_ratio=20, max_per_class=100, n_test_per_class=40, random_state=0
    )
    np.testing.assert_array_equal(np.bincount(y_train), imbalanced_class_counts(10, 100, 20))
    np.testing.assert_array_equal(np.bincount(y_test), [40] * 10)
    assert not set(X_train[:, -1]) & set(X_test[:, -1])
    # Rows keep their labels.
    _, y_all = load_dataset("digits")[:2]
    np.testing.assert_array_equal(y_all[X_train[:, -1].astype(int)], y_train)


def test_imbalanced_split_defaults_and_reproducibility():
    X, y = _indexed_digits()
    X_train, X_test, y_train, y_test = make_imbalanced_split(X, y, random_state=1)
    smallest = np.bincount(y).min()
    assert np.bincount(y_train).max() == smallest // 2
    assert len(set(np.bincount(y_test))) == 1
    again = make_imbalanced_split(X, y, random_state=1)
    np.testing.assert_array_equal(again[0], X_train)
    different = make_imbalanced_split(X, y, random_state=2)
    assert not np.array_equal(different[0], X_train)


def test_imbalanced_split_needs_enough_rows():
    X, y = _indexed_digits()
    with pytest.raises(ValueError, match="Not enough rows"):
        make_imbalanced_split(X, y, max_per_class=150, n_test_per_class=50)
    with pytest.raises(ValueError, match="leaves no test rows"):
        make_imbalanced_split(X, y, max_per_class=190)
    with pytest.raises(ValueError, match="n_test_per_class must be at least 1"):
        make_imbalanced_split(X, y, max_per_class=20, n_test_per_class=0)


def test_csv_index_column_of_pandas_is_not_a_feature(tmp_path):
    path = tmp_path / "frame.csv"
    path.write_text(",a,b,label\n0,0.5,1.5,x\n1,0.25,2.5,y\n2,0.75,3.5,x\n")
    X, y, _ = load_dataset(path)
    np.testing.assert_array_equal(X, [[0.5, 1.5], [0.25, 2.5], [0.75, 3.5]])
    assert y.tolist() == ["x", "y", "x"]


def test_csv_label_column_by_position_and_lenient_text(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("label, f1, f2\ncat, 1, 2\ndog, 3, 4\n", encoding="utf-8-sig")
    for column in ("label", 0, "0", -3):
        X, y, _ = load_dataset(path, label_column=column)
        assert y.tolist() == ["cat", "dog"] and X.tolist() == [[1, 2], [3, 4]]
    with pytest.raises(ValueError, match="out of range"):
        load_dataset(path, label_column=3)


@pytest.mark.parametrize(
    "text, message",
    [
        ("a;b;label\n0.1;0.5;1\n", "no feature columns"),
        ("a,label\n1,0\nnan,1\n", "missing or infinite"),
        ("a,label\n1,0\n2,\n", "empty label"),
    ],
)
def test_csv_problems_are_named(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        load_dataset(path)


def test_npz_image_arrays_follow_the_samplers_layout_rule(tmp_path):
    rng = np.random.RandomState(0)
    images = rng.rand(6, 5, 7, 3)  # channels last
    path = tmp_path / "nhwc.npz"
    np.savez(path, X=images, y=np.arange(6) % 2)
    X, _, image_shape = load_dataset(path)
    assert image_shape == (3, 5, 7)
    np.testing.assert_array_equal(X, np.moveaxis(images, -1, 1).reshape(6, -1))
    np.savez(path, X=rng.rand(6, 64), y=np.arange(6) % 2, image_shape=np.array(64))
    with pytest.raises(ValueError, match="1-D integer array"):
        load_dataset(path)


# ---------------------------------------------------------------- BAGAN protocol


def test_drop_split_makes_one_class_minority():
    X, y = _indexed_digits()
    X_train, X_test, y_train, y_test = make_drop_split(X, y, 4, 0.8, test_size=0.25, random_state=0)
    full_train = make_drop_split(X, y, 4, 0.0, test_size=0.25, random_state=0)[2]
    n_before = int(np.sum(full_train == 4))
    assert int(np.sum(y_train == 4)) == n_before - round(0.8 * n_before)
    for label in set(range(10)) - {4}:
        assert np.sum(y_train == label) == np.sum(full_train == label)
    # The test set keeps the class at its original share and shares no row with training.
    assert abs(np.mean(y_test == 4) - np.mean(y == 4)) < 0.01
    assert not set(X_train[:, -1]) & set(X_test[:, -1])


def test_drop_split_keeps_at_least_one_row_and_checks_arguments():
    X, y = _indexed_digits()
    y_train = make_drop_split(X, y, 0, 0.9999, random_state=0)[2]
    assert np.sum(y_train == 0) == 1
    with pytest.raises(ValueError, match="drop_fraction"):
        make_drop_split(X, y, 0, 1.0)
    with pytest.raises(ValueError, match="does not occur"):
        make_drop_split(X, y, 11, 0.5)


def test_csv_with_text_columns_loads_as_a_dataframe(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("make,age,price,label\ntoyota,3,1.5,0\nford,10,2,1\ntoyota,7,3.25,1\n")
    X, y, shape = load_dataset(path)
    assert isinstance(X, pd.DataFrame) and shape is None
    assert list(X.columns) == ["make", "age", "price"]
    assert list(X["make"]) == ["toyota", "ford", "toyota"]
    assert X["age"].dtype == np.int64 and X["price"].dtype == np.float64
    assert y.tolist() == [0, 1, 1]
    # The label can be a text column too; the rest stays as it is.
    X, y, _ = load_dataset(path, label_column="make")
    assert list(y) == ["toyota", "ford", "toyota"] and not isinstance(X, pd.DataFrame)
    mixed = tmp_path / "mixed_column.csv"
    mixed.write_text("a,b,label\n1,x,0\ntwo,y,1\n")
    with pytest.raises(ValueError, match="column 'a' mixes numbers and text"):
        load_dataset(mixed)
    empty = tmp_path / "empty_text.csv"
    empty.write_text("a,b,label\n1,x,0\n2,,1\n")
    with pytest.raises(ValueError, match="column 'b' has empty values"):
        load_dataset(empty)
