"""The imbalance protocols of the GAN-oversampling literature as scikit-learn CV splitters.

Both splitters make a (roughly) balanced data set imbalanced and yield ``(train, test)`` index
arrays, so they plug into :func:`~sklearn.model_selection.cross_validate`,
:class:`~sklearn.model_selection.GridSearchCV` and anything else that takes ``cv=``:

* :class:`ImbalancedSplit`, the GAMO protocol (Mullick et al., 2019): training class counts fall
  geometrically from ``max_per_class`` to ``max_per_class / imbalance_ratio``; the test set is
  balanced and disjoint from the training rows. Unlike k-fold, the two sets do not cover the
  data: rows beyond each class's counts are left out.
* :class:`DropSplit`, the BAGAN protocol (Mariani et al., 2018): a stratified train / test split,
  then a fraction of one class's training rows is dropped; the test set keeps the original
  proportions.

Each yields ``n_repeats`` splits, one random draw each.
:func:`imbgan.datasets.make_imbalanced_split` and :func:`imbgan.datasets.make_drop_split` return
the arrays of the first split.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.model_selection import BaseCrossValidator, train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.validation import _num_samples, column_or_1d

__all__ = [
    "DropSplit",
    "ImbalancedSplit",
    "default_max_per_class",
    "imbalanced_class_counts",
]


def _plain(value):
    """A numpy scalar as its Python value, for messages (2, not np.int64(2))."""
    return value.item() if isinstance(value, np.generic) else value


def imbalanced_class_counts(n_classes, max_per_class, imbalance_ratio):
    """Geometric class counts from ``max_per_class`` down to ``max_per_class / imbalance_ratio``.

    Parameters
    ----------
    n_classes : int
        Number of classes.
    max_per_class : int
        Count of the first (largest) class.
    imbalance_ratio : float
        Largest count divided by smallest count; at least 1.

    Returns
    -------
    counts : ndarray of int of shape (n_classes,)
        Non-increasing, each at least 1.

    Examples
    --------
    >>> from imbgan.model_selection import imbalanced_class_counts
    >>> imbalanced_class_counts(5, 100, 10).tolist()
    [100, 56, 32, 18, 10]
    """
    if not imbalance_ratio >= 1:
        raise ValueError(f"imbalance_ratio must be at least 1; got {imbalance_ratio}.")
    if max_per_class < 1:
        raise ValueError(f"max_per_class must be at least 1; got {max_per_class}.")
    if n_classes == 1:
        return np.array([int(max_per_class)])
    exponents = np.arange(n_classes) / (n_classes - 1)
    counts = np.round(max_per_class * float(imbalance_ratio) ** -exponents).astype(int)
    return np.maximum(counts, 1)


def default_max_per_class(class_sizes):
    """:class:`ImbalancedSplit`'s default ``max_per_class``: half the smallest class, so that the
    other half can form the test set.

    Parameters
    ----------
    class_sizes : array-like of int
        Rows per class.

    Returns
    -------
    max_per_class : int
        At least 1.
    """
    return max(1, int(np.min(class_sizes)) // 2)


class _ProtocolSplit(BaseCrossValidator):
    """Shared face of the protocol splitters: ``n_repeats`` draws from one random state."""

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of splits: ``n_repeats``.

        Parameters
        ----------
        X, y, groups : object
            Ignored; present for API compatibility.

        Returns
        -------
        n_splits : int
            ``n_repeats``.
        """
        return self.n_repeats

    def split(self, X, y, groups=None):
        """Yield the ``(train, test)`` row indices of each repeat.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples; only their number is used.
        y : array-like of shape (n_samples,)
            Labels; the protocol is built on them.
        groups : object
            Ignored; present for API compatibility.

        Yields
        ------
        train : ndarray of int
            Training row indices.
        test : ndarray of int
            Test row indices, disjoint from ``train``.
        """
        if y is None:
            raise ValueError(f"{type(self).__name__} needs the labels y to split on.")
        y = column_or_1d(y)
        if _num_samples(X) != len(y):
            raise ValueError(f"X has {_num_samples(X)} rows but y has {len(y)} labels.")
        if isinstance(self.n_repeats, bool) or not (
            isinstance(self.n_repeats, Integral) and self.n_repeats >= 1
        ):
            raise ValueError(f"n_repeats must be an int of at least 1; got {self.n_repeats!r}.")
        plan = self._plan(y)
        # One random state for every repeat: an int random_state gives the same splits on each
        # call of split, and the first repeat is the split of make_*_split with that seed.
        rng = check_random_state(self.random_state)
        for _ in range(self.n_repeats):
            yield self._draw(y, plan, rng)


class ImbalancedSplit(_ProtocolSplit):
    """GAMO's protocol: geometric training class counts and a balanced, disjoint test set.

    Classes, in sorted order, get training counts that fall geometrically from
    ``max_per_class`` to ``max_per_class / imbalance_ratio`` (each at least 1; see
    :func:`imbalanced_class_counts`); GAMO used (4000, 2000, 1000, 750, 500, 350, 200, 100, 60,
    40) on MNIST, an imbalance ratio of 100. The test set takes ``n_test_per_class`` other rows
    of every class. Rows beyond these counts are in neither set.

    Parameters
    ----------
    imbalance_ratio : float, default=10.0
        Largest training class count divided by the smallest; at least 1.
    max_per_class : int, default=None
        Training count of the first class. None: half the size of the smallest class, so that
        the other half can form the test set.
    n_test_per_class : int, default=None
        Test rows per class. None: as many as every class still has after its training rows
        are taken (the same number for every class, so the test set is balanced).
    n_repeats : int, default=1
        Number of splits, each a fresh random draw.
    random_state : int, RandomState instance or None, default=None
        Chooses which rows go where. An int gives the same splits on every call of ``split``.

    See Also
    --------
    DropSplit : BAGAN's protocol.
    imbgan.datasets.make_imbalanced_split : The arrays of one split.

    Notes
    -----
    ``split`` raises ``ValueError`` when a class has fewer rows than its training count plus
    ``n_test_per_class``. Training and test indices are sorted.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_val_score
    >>> from imbgan.model_selection import ImbalancedSplit
    >>> X, y = load_digits(return_X_y=True)
    >>> cv = ImbalancedSplit(imbalance_ratio=10, max_per_class=100, n_test_per_class=50,
    ...                      n_repeats=3, random_state=0)
    >>> train, test = next(cv.split(X, y))
    >>> np.bincount(y[train]).tolist()
    [100, 77, 60, 46, 36, 28, 22, 17, 13, 10]
    >>> np.bincount(y[test]).tolist()
    [50, 50, 50, 50, 50, 50, 50, 50, 50, 50]
    >>> len(cross_val_score(LogisticRegression(max_iter=200), X / 16, y, cv=cv))
    3
    """

    def __init__(
        self,
        imbalance_ratio=10.0,
        *,
        max_per_class=None,
        n_test_per_class=None,
        n_repeats=1,
        random_state=None,
    ):
        self.imbalance_ratio = imbalance_ratio
        self.max_per_class = max_per_class
        self.n_test_per_class = n_test_per_class
        self.n_repeats = n_repeats
        self.random_state = random_state

    def class_counts(self, y):
        """Training and test rows per class that ``split`` takes from ``y``.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Labels.

        Returns
        -------
        classes : ndarray
            Sorted class labels.
        train_counts : ndarray of int
            Training rows per class, falling geometrically.
        n_test_per_class : int
            Test rows of every class.

        Raises
        ------
        ValueError
            Impossible settings, naming the class that lacks rows.
        """
        return self._plan(column_or_1d(y))

    def _plan(self, y):
        if not (isinstance(self.imbalance_ratio, Real) and self.imbalance_ratio >= 1):
            raise ValueError(f"imbalance_ratio must be at least 1; got {self.imbalance_ratio!r}.")
        for name in ("max_per_class", "n_test_per_class"):
            value = getattr(self, name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, Integral) or value < 1
            ):
                raise ValueError(f"{name} must be at least 1 (an int or None); got {value!r}.")
        classes, class_sizes = np.unique(y, return_counts=True)
        max_per_class = self.max_per_class or default_max_per_class(class_sizes)
        train_counts = imbalanced_class_counts(
            len(classes), int(max_per_class), self.imbalance_ratio
        )
        n_test = self.n_test_per_class
        if n_test is None:
            n_test = int((class_sizes - train_counts).min())
            if n_test < 1:
                fullest = int(np.argmin(class_sizes - train_counts))
                raise ValueError(
                    f"max_per_class={max_per_class} leaves no test rows: class "
                    f"{_plain(classes[fullest])!r} has {class_sizes[fullest]} rows for a "
                    f"training count of {train_counts[fullest]}. Lower max_per_class."
                )
        short = [
            f"class {_plain(label)!r} has {size} rows, needs {n_train} + {n_test}"
            for label, size, n_train in zip(classes, class_sizes, train_counts)
            if size < n_train + n_test
        ]
        if short:
            raise ValueError(
                "Not enough rows for this split (lower max_per_class or n_test_per_class): "
                + "; ".join(short)
            )
        return classes, train_counts, n_test

    def _draw(self, y, plan, rng):
        classes, train_counts, n_test = plan
        train, test = [], []
        for label, n_train in zip(classes, train_counts):
            rows = rng.permutation(np.flatnonzero(y == label))
            test.append(rows[:n_test])
            train.append(rows[n_test : n_test + n_train])
        return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


class DropSplit(_ProtocolSplit):
    """BAGAN's protocol: one class becomes the minority by dropping part of its training rows.

    Each split is a stratified train / test split
    (:func:`~sklearn.model_selection.train_test_split`), after which ``round(drop_fraction * n)``
    of the ``n`` training rows of ``minority_class`` are dropped (at least one row is always
    kept). The test set is untouched, so the minority class is judged on as many rows as in the
    data's own proportions.

    Parameters
    ----------
    minority_class : label, default=None
        The class to make rare; must occur in ``y``. None: the least frequent class (the first
        in sorted order on a tie, so class 0 of balanced digits).
    drop_fraction : float, default=0.8
        Fraction of that class's training rows to drop, in [0, 1). BAGAN used 0.4 to 0.975.
    test_size : float or int, default=0.2
        Passed to :func:`~sklearn.model_selection.train_test_split`.
    n_repeats : int, default=1
        Number of splits, each a fresh random draw.
    random_state : int, RandomState instance or None, default=None
        Chooses the split and the dropped rows. An int gives the same splits on every call.

    See Also
    --------
    ImbalancedSplit : GAMO's protocol.
    imbgan.datasets.make_drop_split : The arrays of one split.

    Notes
    -----
    Indices come in the shuffled order of ``train_test_split`` (not sorted), so that the rows a
    classifier sees are in the same order as with :func:`imbgan.datasets.make_drop_split`.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from imbgan.model_selection import DropSplit
    >>> X, y = load_digits(return_X_y=True)
    >>> cv = DropSplit(minority_class=3, drop_fraction=0.9, random_state=0)
    >>> train, test = next(cv.split(X, y))
    >>> int((y[train] == 3).sum()), int((y[test] == 3).sum())
    (15, 37)
    """

    def __init__(
        self,
        minority_class=None,
        drop_fraction=0.8,
        *,
        test_size=0.2,
        n_repeats=1,
        random_state=None,
    ):
        self.minority_class = minority_class
        self.drop_fraction = drop_fraction
        self.test_size = test_size
        self.n_repeats = n_repeats
        self.random_state = random_state

    def _plan(self, y):
        if not (isinstance(self.drop_fraction, Real) and 0 <= self.drop_fraction < 1):
            raise ValueError(f"drop_fraction must be in [0, 1); got {self.drop_fraction!r}.")
        classes, sizes = np.unique(y, return_counts=True)
        if self.minority_class is None:
            return classes[np.argmin(sizes)]
        if not np.any(y == self.minority_class):
            raise ValueError(
                f"minority_class {_plain(self.minority_class)!r} does not occur in y (classes: "
                f"{[_plain(label) for label in classes]})."
            )
        return self.minority_class

    def _draw(self, y, minority_class, rng):
        train, test = train_test_split(
            np.arange(len(y)), test_size=self.test_size, stratify=y, random_state=rng
        )
        minority_rows = np.flatnonzero(y[train] == minority_class)
        n_drop = min(int(round(self.drop_fraction * len(minority_rows))), len(minority_rows) - 1)
        dropped = rng.choice(minority_rows, size=n_drop, replace=False)
        keep = np.ones(len(train), dtype=bool)
        keep[dropped] = False
        return train[keep], test
