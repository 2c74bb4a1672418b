"""Data sets and the two imbalance protocols of the GAN-oversampling literature.

Nothing here downloads: :func:`load_dataset` reads data embedded in scikit-learn or files the
user already has (``.npz``, ``.csv``, or a directory of MNIST-format idx files, the layout in which
MNIST, Fashion-MNIST and KMNIST are distributed).

Two ways of making a balanced data set imbalanced, each returning a train and a test split
(the arrays of the first split of the scikit-learn splitters in :mod:`imbgan.model_selection`):

* :func:`make_imbalanced_split`, the GAMO protocol (Mullick et al., 2019; the splitter
  :class:`~imbgan.model_selection.ImbalancedSplit`): class counts fall geometrically from
  ``max_per_class`` to ``max_per_class / imbalance_ratio``; the test set is balanced.
* :func:`make_drop_split`, the BAGAN protocol (Mariani et al., 2018; the splitter
  :class:`~imbgan.model_selection.DropSplit`): one class becomes the minority by dropping a
  fraction of its training rows; the test split keeps the original proportions.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import numpy as np
from sklearn.utils import _safe_indexing
from sklearn.utils.validation import _num_samples

from ._data import ImageLayout, check_image_shape
from .model_selection import (
    DropSplit,
    ImbalancedSplit,
    imbalanced_class_counts,  # re-exported: it lived here before imbgan.model_selection
)

__all__ = [
    "EMBEDDED_DATASETS",
    "load_dataset",
    "load_idx",
    "make_imbalanced_split",
    "make_drop_split",
    "imbalanced_class_counts",
]

#: Names :func:`load_dataset` accepts without a file, with whether each holds images.
EMBEDDED_DATASETS = {"digits": True, "breast_cancer": False, "wine": False}


# --------------------------------------------------------------------------------------------------
# Loaders
# --------------------------------------------------------------------------------------------------


def load_dataset(name_or_path, *, label_column=None, subset="all"):
    """Load a data set without downloading anything.

    Parameters
    ----------
    name_or_path : str or path-like
        One of

        * ``"digits"``: scikit-learn's embedded 8 x 8 handwritten digits (1797 images, pixel values
          0 to 16), image shape ``(1, 8, 8)``;
        * ``"breast_cancer"``, ``"wine"``: scikit-learn's embedded tabular data sets;
        * a ``.npz`` file holding arrays ``X`` and ``y`` and optionally ``image_shape``; an
          image array ``X`` of shape ``(n, H, W)``, ``(n, H, W, C)`` or ``(n, C, H, W)`` has its
          layout inferred as the samplers infer it (see :ref:`input_layouts`), with
          ``image_shape`` settling ambiguous cases;
        * a ``.csv`` file with a header row, feature columns and one label column
          (comma-separated; a first column with an empty header, the index that
          ``DataFrame.to_csv`` writes, is not a feature and is left out). Numeric columns only:
          ``X`` is a float64 array. Any text column: ``X`` is a pandas DataFrame that keeps the
          text columns as strings and the numeric ones as int64 or float64;
        * a directory holding MNIST-format idx files: ``*images-idx3-ubyte`` with the matching
          ``*labels-idx1-ubyte`` (either may end in ``.gz``; a ``.`` instead of the ``-`` before
          ``idx`` is accepted too).
    label_column : str or int, optional
        CSV only: the name or position (0-based, negative from the end) of the label column;
        a string of digits that is not a column name counts as a position. Defaults to the
        last column.
    subset : {"all", "train", "test"}, default="all"
        Idx directories only: which of the ``train`` and ``t10k`` file pairs to read; ``"all"``
        concatenates every pair found, train first.

    Returns
    -------
    X : ndarray or DataFrame of shape (n_samples, n_features)
        One row per sample; images are flattened in (channels, height, width) order. Idx images
        are float32 with their raw pixel values (0 to 255 for MNIST). A DataFrame for a CSV
        file with text columns.
    y : ndarray of shape (n_samples,)
        Labels.
    image_shape : tuple of int or None
        ``(channels, height, width)`` for images, None for tabular data.

    Raises
    ------
    FileNotFoundError
        The path does not exist, or an idx directory lacks a matching images/labels pair.
    ValueError
        An unknown name, an unsupported file type, or a malformed file.

    Examples
    --------
    >>> from imbgan.datasets import load_dataset
    >>> X, y, image_shape = load_dataset("digits")
    >>> X.shape, image_shape
    ((1797, 64), (1, 8, 8))
    """
    if isinstance(name_or_path, str) and name_or_path in EMBEDDED_DATASETS:
        return _load_embedded(name_or_path)

    path = Path(name_or_path)
    if not path.exists():
        raise FileNotFoundError(
            f"{str(name_or_path)!r} is neither an embedded data set "
            f"({', '.join(sorted(EMBEDDED_DATASETS))}) nor an existing file or directory."
        )
    if path.is_dir():
        return _load_idx_directory(path, subset)
    suffix = path.suffix.lower()
    if suffix == ".npz":
        return _load_npz(path)
    if suffix == ".csv":
        return _load_csv(path, label_column)
    raise ValueError(
        f"Cannot read {path}: expected a .npz file, a .csv file or a directory of idx files."
    )


def _load_embedded(name):
    from sklearn import datasets

    loader = {
        "digits": datasets.load_digits,
        "breast_cancer": datasets.load_breast_cancer,
        "wine": datasets.load_wine,
    }[name]
    bunch = loader()
    image_shape = (1, 8, 8) if name == "digits" else None
    return np.asarray(bunch.data), np.asarray(bunch.target), image_shape


def _load_npz(path):
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, EOFError, ValueError) as exc:
        # np.load falls back to reading a pickle (refused: ValueError) when the file is not a zip.
        raise ValueError(f"{path} is not a readable .npz archive: {exc}") from exc
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(f"{path} holds a single array; expected an .npz archive with X and y.")
    with archive:
        missing = {"X", "y"} - set(archive.files)
        if missing:
            raise ValueError(
                f"{path} must hold arrays named 'X' and 'y'; missing {sorted(missing)} "
                f"(found {sorted(archive.files)})."
            )
        X, y = archive["X"], archive["y"]
        image_shape = None
        if "image_shape" in archive.files:
            stored = archive["image_shape"]
            if stored.ndim != 1 or not np.issubdtype(stored.dtype, np.integer):
                raise ValueError(
                    f"{path}: image_shape must be a 1-D integer array (C, H, W) or (H, W); "
                    f"got {stored!r}."
                )
            image_shape = tuple(int(v) for v in stored)
    return _finish_arrays(X, y, image_shape, str(path))


def _finish_arrays(X, y, image_shape, source):
    """Flatten image arrays to rows and check that X, y and image_shape agree."""
    X, y = np.asarray(X), np.asarray(y).ravel()
    if X.ndim > 2:
        # An image array carries its own image shape; read its layout as the samplers do.
        try:
            layout = ImageLayout.infer(X.shape, image_shape)
        except ValueError as exc:
            raise ValueError(f"{source}: {exc}") from exc
        image_shape = layout.image_shape
        X = layout.to_rows(X)
    if X.ndim != 2:
        raise ValueError(f"{source}: X must be 2-D (one row per sample); got shape {X.shape}.")
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"{source}: X has {X.shape[0]} rows but y has {y.shape[0]} labels.")
    if image_shape is not None:
        try:
            image_shape = check_image_shape(
                image_shape,
                X.shape[1],
                hint="Expected (channels, height, width) whose product is the number of features.",
            )
        except ValueError as exc:
            raise ValueError(f"{source}: {exc}") from exc
    return X, y, image_shape


def _load_csv(path, label_column):
    import csv

    # utf-8-sig drops a byte-order mark; skipinitialspace reads "a, b" as "a" and "b".
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, skipinitialspace=True))
    rows = [row for row in rows if row]
    if len(rows) < 2:
        raise ValueError(f"{path} needs a header row and at least one data row.")
    header, body = rows[0], rows[1:]
    if any(len(row) != len(header) for row in body):
        raise ValueError(f"{path}: every row must have {len(header)} fields like the header.")
    if header[0] == "" and len(header) > 1:
        # The unnamed index column of DataFrame.to_csv: row numbers, which would leak the
        # order of the rows (often sorted by class) into the features.
        header, body = header[1:], [row[1:] for row in body]
    label_index = _label_index(path, header, label_column)
    table = np.array(body, dtype=object)
    labels = table[:, label_index]
    features = np.delete(table, label_index, axis=1)
    if features.shape[1] == 0:
        raise ValueError(
            f"{path} has no feature columns besides the label column {header[label_index]!r}; "
            "is it comma-separated?"
        )
    names = [name for index, name in enumerate(header) if index != label_index]
    X = _csv_features(path, features, names)
    if not hasattr(X, "iloc") and not np.isfinite(X).all():
        bad_rows = np.flatnonzero(~np.isfinite(X).all(axis=1))
        raise ValueError(
            f"{path}: {len(bad_rows)} rows hold missing or infinite values (the first is data "
            f"row {bad_rows[0] + 1}); impute or drop them first."
        )
    if np.any(labels == ""):
        raise ValueError(f"{path}: some rows have an empty label in {header[label_index]!r}.")
    # Keep numeric labels numeric, so that "0", "1" become integers and not strings.
    try:
        y = labels.astype(np.int64)
    except ValueError:
        try:
            y = labels.astype(np.float64)
        except ValueError:
            y = labels.astype(str)
    return X, y, None


def _csv_features(path, features, names):
    """The feature columns: a float64 array when every column is numeric, else a DataFrame.

    In the DataFrame, text columns keep their strings and numeric columns become int64 (when
    every value is an integer) or float64, so that a table with text categories reaches the
    samplers and classifiers as a user would hold it.
    """
    try:
        return features.astype(np.float64)
    except ValueError:
        pass
    import pandas as pd

    frame = pd.DataFrame(features, columns=names)
    for name in names:
        column = frame[name]
        if (column == "").any():
            row = int(np.flatnonzero(column == "")[0])
            raise ValueError(
                f"{path}: column {name!r} has empty values (the first in data row {row + 1}); "
                "impute or drop them first."
            )
        numeric = pd.to_numeric(column, errors="coerce")
        if numeric.notna().all():
            integral = np.all(np.isfinite(numeric)) and np.all(numeric == np.round(numeric))
            frame[name] = numeric.astype(np.int64 if integral else np.float64)
        elif numeric.notna().any():
            value = column[numeric.isna()].iloc[0]
            raise ValueError(
                f"{path}: column {name!r} mixes numbers and text (for example {value!r}); "
                "make it all numbers or all text. Is the file comma-separated?"
            )
        else:
            frame[name] = column.astype(str)
    return frame


def _label_index(path, header, label_column):
    """Position of the label column, from a name or a position (or None: the last)."""
    if label_column is None:
        return len(header) - 1
    if isinstance(label_column, str) and label_column in header:
        return header.index(label_column)
    position = label_column
    if isinstance(label_column, str) and re.fullmatch(r"-?\d+", label_column.strip()):
        position = int(label_column)
    if isinstance(position, (int, np.integer)) and not isinstance(position, bool):
        if -len(header) <= position < len(header):
            return int(position) % len(header)
        raise ValueError(
            f"{path} has {len(header)} columns; label column position {position} is out of range."
        )
    raise ValueError(f"{path} has no column {label_column!r}; columns are {header}.")


# Element types of the idx format, by the code in the third byte of the magic number.
_IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def load_idx(path):
    """Read one idx file (the MNIST format), gzip-compressed or not.

    The format is a 4-byte magic number (two zero bytes, an element-type code, the number of
    dimensions), one big-endian 32-bit size per dimension, then the elements in C order.

    Parameters
    ----------
    path : str or path-like
        The file; a name ending in ``.gz`` is decompressed.

    Returns
    -------
    array : ndarray
        With the file's dimensions and element type (in native byte order).

    Raises
    ------
    ValueError
        A bad magic number, an unknown element type, or a size that does not match the data.
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            content = handle.read()
    except (OSError, EOFError) as exc:
        raise ValueError(f"Cannot read idx file {path}: {exc}") from exc
    if len(content) < 4 or content[0] != 0 or content[1] != 0:
        raise ValueError(f"{path} is not an idx file (bad magic number).")
    type_code, n_dims = content[2], content[3]
    if type_code not in _IDX_DTYPES:
        raise ValueError(f"{path}: unknown idx element type 0x{type_code:02x}.")
    header_size = 4 + 4 * n_dims
    if len(content) < header_size:
        raise ValueError(f"{path}: truncated idx header.")
    shape = tuple(int(s) for s in np.frombuffer(content, dtype=">u4", count=n_dims, offset=4))
    dtype = _IDX_DTYPES[type_code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(content) - header_size != expected:
        raise ValueError(
            f"{path}: header announces shape {shape} ({expected} bytes of data) but the file "
            f"holds {len(content) - header_size} bytes."
        )
    array = np.frombuffer(content, dtype=dtype, offset=header_size).reshape(shape)
    return array.astype(dtype.newbyteorder("="))


_IMAGES_PATTERN = re.compile(r"^(?P<prefix>.*)images[-.]idx3-ubyte(?P<gz>\.gz)?$")


def _idx_pairs(directory):
    """Find (split name, images file, labels file) triples, train first then test."""
    pairs = []
    for images_path in sorted(directory.iterdir()):
        match = _IMAGES_PATTERN.match(images_path.name)
        if not match:
            continue
        prefix = match["prefix"]
        # Prefer the labels file with the same compression, then accept the other one.
        candidates = [
            directory / f"{prefix}labels{sep}idx1-ubyte{gz}"
            for gz in (match["gz"] or "", "" if match["gz"] else ".gz")
            for sep in ("-", ".")
        ]
        labels_path = next((c for c in candidates if c.exists()), None)
        if labels_path is None:
            raise FileNotFoundError(
                f"{images_path} has no matching labels file (looked for "
                f"{', '.join(c.name for c in candidates)})."
            )
        split = "test" if "t10k" in prefix or "test" in prefix else "train"
        pairs.append((split, images_path, labels_path))
    # One file of a pair may exist both compressed and not: keep the first of each prefix.
    unique, seen = [], set()
    for split, images_path, labels_path in pairs:
        key = _IMAGES_PATTERN.match(images_path.name)["prefix"]
        if key not in seen:
            seen.add(key)
            unique.append((split, images_path, labels_path))
    return sorted(unique, key=lambda item: (item[0] != "train", item[1].name))


def _load_idx_directory(directory, subset):
    if subset not in ("all", "train", "test"):
        raise ValueError(f"subset must be 'all', 'train' or 'test'; got {subset!r}.")
    pairs = _idx_pairs(directory)
    if subset != "all":
        pairs = [pair for pair in pairs if pair[0] == subset]
    if not pairs:
        raise FileNotFoundError(
            f"No {'' if subset == 'all' else subset + ' '}idx files in {directory}: expected "
            "files named like train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz] "
            "(MNIST, Fashion-MNIST and KMNIST use these names)."
        )
    X_parts, y_parts, image_shape = [], [], None
    for _, images_path, labels_path in pairs:
        images, labels = load_idx(images_path), load_idx(labels_path)
        if images.ndim != 3 or labels.ndim != 1:
            raise ValueError(
                f"{images_path.name} must be 3-D (n, height, width) and {labels_path.name} 1-D; "
                f"got {images.shape} and {labels.shape}."
            )
        if images.shape[0] != labels.shape[0]:
            raise ValueError(
                f"{images_path.name} holds {images.shape[0]} images but {labels_path.name} "
                f"holds {labels.shape[0]} labels."
            )
        shape = (1, *images.shape[1:])
        if image_shape is not None and shape != image_shape:
            raise ValueError(f"{images_path.name} has images of shape {shape}, not {image_shape}.")
        image_shape = shape
        X_parts.append(images.reshape(images.shape[0], -1).astype(np.float32))
        y_parts.append(labels.astype(np.int64))
    return np.concatenate(X_parts), np.concatenate(y_parts), image_shape


# --------------------------------------------------------------------------------------------------
# Protocols
# --------------------------------------------------------------------------------------------------


def make_imbalanced_split(
    X,
    y,
    imbalance_ratio=10.0,
    max_per_class=None,
    n_test_per_class=None,
    random_state=None,
):
    """The GAMO protocol: an imbalanced training set and a balanced, disjoint test set.

    The arrays of the first split of :class:`imbgan.model_selection.ImbalancedSplit` (use that
    splitter for repeated splits or as ``cv=`` of a scikit-learn search). Classes, in sorted
    order, get training counts that fall geometrically from ``max_per_class`` to
    ``max_per_class / imbalance_ratio`` (at least 1); GAMO used (4000, 2000, 1000, 750, 500,
    350, 200, 100, 60, 40) on MNIST, an imbalance ratio of 100. The test set takes
    ``n_test_per_class`` other rows of every class.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Samples of a (roughly) balanced data set; a pandas DataFrame stays one.
    y : array-like of shape (n_samples,)
        Labels.
    imbalance_ratio : float, default=10.0
        Largest training class count divided by the smallest.
    max_per_class : int, optional
        Training count of the first class. Defaults to half the size of the smallest class, so
        that the other half can form the test set.
    n_test_per_class : int, optional
        Test rows per class. Defaults to as many as every class still has after its training
        rows are taken (the same number for every class, so the test set is balanced).
    random_state : int, RandomState instance or None, default=None
        Chooses which rows go where.

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarray or DataFrame
        In the order of :func:`sklearn.model_selection.train_test_split`; no row is in both.

    Raises
    ------
    ValueError
        A class has fewer rows than its training count plus ``n_test_per_class``.

    Examples
    --------
    >>> import numpy as np
    >>> from imbgan.datasets import load_dataset, make_imbalanced_split
    >>> X, y, _ = load_dataset("digits")
    >>> X_train, X_test, y_train, y_test = make_imbalanced_split(
    ...     X, y, imbalance_ratio=10, max_per_class=100, n_test_per_class=50, random_state=0)
    >>> np.bincount(y_train).tolist()
    [100, 77, 60, 46, 36, 28, 22, 17, 13, 10]
    >>> np.bincount(y_test).tolist()
    [50, 50, 50, 50, 50, 50, 50, 50, 50, 50]
    """
    splitter = ImbalancedSplit(
        imbalance_ratio,
        max_per_class=max_per_class,
        n_test_per_class=n_test_per_class,
        random_state=random_state,
    )
    return _first_split(splitter, X, y)


def make_drop_split(
    X,
    y,
    minority_class,
    drop_fraction,
    test_size=0.2,
    random_state=None,
):
    """The BAGAN protocol: one class becomes the minority by dropping part of its training rows.

    The arrays of the first split of :class:`imbgan.model_selection.DropSplit`. The data are
    first split into train and test, stratified by class; then ``round(drop_fraction * n)`` of
    the ``n`` training rows of ``minority_class`` are removed (at least one row is always kept).
    The test set is untouched, so the minority class is judged on as many rows as any other.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Samples; a pandas DataFrame stays one.
    y : array-like of shape (n_samples,)
        Labels.
    minority_class : label
        The class to make rare; must occur in ``y``.
    drop_fraction : float
        Fraction of that class's training rows to drop, in [0, 1). BAGAN used 0.4 to 0.975.
    test_size : float or int, default=0.2
        Passed to :func:`sklearn.model_selection.train_test_split`.
    random_state : int, RandomState instance or None, default=None
        Chooses the split and the dropped rows.

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarray or DataFrame
        In the order of :func:`sklearn.model_selection.train_test_split`.

    Examples
    --------
    >>> import numpy as np
    >>> from imbgan.datasets import load_dataset, make_drop_split
    >>> X, y, _ = load_dataset("digits")
    >>> X_train, X_test, y_train, y_test = make_drop_split(X, y, 3, 0.9, random_state=0)
    >>> int((y_train == 3).sum()), int((y_test == 3).sum())
    (15, 37)
    """
    if minority_class is None:
        raise ValueError("minority_class must be a label of y; got None.")
    splitter = DropSplit(
        minority_class, drop_fraction, test_size=test_size, random_state=random_state
    )
    return _first_split(splitter, X, y)


def _first_split(splitter, X, y):
    """The arrays of a splitter's first split, rows indexed as scikit-learn indexes them."""
    if not hasattr(X, "iloc"):
        X = np.asarray(X)
    y = np.asarray(y)
    if _num_samples(X) != len(y):
        raise ValueError(f"X has {_num_samples(X)} rows but y has {len(y)} labels.")
    train, test = next(splitter.split(X, y))
    return _safe_indexing(X, train), _safe_indexing(X, test), y[train], y[test]
