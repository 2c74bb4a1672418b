"""Data encoding shared by every sampler: image layouts, mixed-type tables and the codec.

Data flows one way through imbgan::

    user array (2-D rows, or an image array of 3 or 4 dimensions, or a mixed-type table)
      -> ImageLayout.to_rows        -> validated 2-D rows (channels-first pixel order)
      -> TableLayout.to_rows        -> numeric rows (a discrete column holds category indices)
      -> DataCodec.encode           -> float32 codes for the networks: continuous values in
                                       [-1, 1], discrete columns one-hot
      -> ... training, generation ...
      -> DataCodec.decode           -> numeric rows in the training dtype and value range
      -> TableLayout.from_rows      -> the user's table: categories, booleans, integers
      -> ImageLayout.from_rows      -> the user's own array layout
"""

from __future__ import annotations

import datetime
import math
import warnings
from dataclasses import dataclass
from numbers import Real

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder
from sklearn.utils._indexing import _get_column_indices

SMALL_CHANNEL_COUNTS = (1, 3, 4)


def normalize_image_shape(image_shape):
    """Return ``image_shape`` as a ``(C, H, W)`` tuple of ints.

    ``(H, W)`` means one channel. Raises ``ValueError`` for anything else.
    """
    try:
        shape = tuple(int(s) for s in image_shape)
    except TypeError as exc:
        raise ValueError(
            "image_shape must be a tuple (C, H, W) or (H, W) of positive ints, "
            f"got {image_shape!r}."
        ) from exc
    if len(shape) == 2:
        shape = (1, *shape)
    if len(shape) != 3 or min(shape) < 1:
        raise ValueError(
            "image_shape must be a tuple (C, H, W) or (H, W) of positive ints, "
            f"got {image_shape!r}."
        )
    return shape


#: What :func:`check_image_shape_matches` suggests to a sampler's user.
SAMPLER_IMAGE_SHAPE_HINT = (
    "Pass the (C, H, W) of the images that were flattened into each row (channels first), or "
    "image_shape=None for tabular data."
)


def check_image_shape_matches(image_shape, n_features, hint=SAMPLER_IMAGE_SHAPE_HINT):
    """Raise a ``ValueError`` (ending with ``hint``) when ``image_shape`` does not fit the rows."""
    n_pixels = int(np.prod(image_shape))
    if n_pixels != n_features:
        raise ValueError(
            f"image_shape={tuple(image_shape)} describes {n_pixels} values per image, but X has "
            f"{n_features} features per row. {hint}".rstrip()
        )


def check_image_shape(image_shape, n_features, hint=SAMPLER_IMAGE_SHAPE_HINT):
    """``image_shape`` as a ``(C, H, W)`` tuple of ints that fits rows of ``n_features``.

    The one check of an ``image_shape`` argument against flattened rows, used by the samplers,
    the quality measures, the data set loaders and the benchmark's CNN: ``(H, W)`` means one
    channel (:func:`normalize_image_shape`), and the product must be ``n_features``
    (:func:`check_image_shape_matches`, whose error ends with ``hint``).
    """
    shape = normalize_image_shape(image_shape)
    check_image_shape_matches(shape, n_features, hint)
    return shape


@dataclass(frozen=True)
class ImageLayout:
    """How an image array of 3 or 4 dimensions maps to flattened channels-first rows.

    Parameters
    ----------
    image_shape : tuple of int
        ``(C, H, W)``.
    channels_last : bool
        Whether the user's array is ``(n, H, W, C)``.
    has_channel_axis : bool
        False for ``(n, H, W)`` arrays.
    """

    image_shape: tuple
    channels_last: bool
    has_channel_axis: bool

    @classmethod
    def infer(cls, array_shape, image_shape=None):
        """Infer the layout of an array of shape ``(n, ...)`` with 3 or 4 dimensions.

        ``(n, H, W)`` is one channel. For ``(n, A, B, D)``: with ``image_shape=(C, H, W)`` the
        array must be ``(n, C, H, W)`` or ``(n, H, W, C)``; without it, a last axis of 1, 3 or 4
        means channels last, otherwise a second axis of 1, 3 or 4 means channels first.
        """
        dims = tuple(array_shape[1:])
        if len(dims) == 2:
            shape = (1, *dims)
            if image_shape is not None and normalize_image_shape(image_shape) != shape:
                raise ValueError(
                    f"image_shape={tuple(image_shape)} does not match an image array of shape "
                    f"{tuple(array_shape)}; expected image_shape={shape} or None."
                )
            return cls(shape, channels_last=False, has_channel_axis=False)
        if len(dims) != 3:
            raise ValueError(
                f"X must be 2-D rows or an image array (n, H, W), (n, H, W, C) or (n, C, H, W); "
                f"got an array of shape {tuple(array_shape)}."
            )
        if image_shape is not None:
            c, h, w = normalize_image_shape(image_shape)
            if dims == (c, h, w):
                return cls((c, h, w), channels_last=False, has_channel_axis=True)
            if dims == (h, w, c):
                return cls((c, h, w), channels_last=True, has_channel_axis=True)
            raise ValueError(
                f"image_shape={(c, h, w)} matches neither (n, C, H, W) nor (n, H, W, C) for an "
                f"array of shape {tuple(array_shape)}."
            )
        if dims[2] in SMALL_CHANNEL_COUNTS:
            return cls((dims[2], dims[0], dims[1]), channels_last=True, has_channel_axis=True)
        if dims[0] in SMALL_CHANNEL_COUNTS:
            return cls(dims, channels_last=False, has_channel_axis=True)
        raise ValueError(
            f"Cannot tell the channel axis of an image array of shape {tuple(array_shape)}: "
            "pass image_shape=(C, H, W) to say which layout it has."
        )

    def to_rows(self, images):
        images = np.asarray(images)
        if self.channels_last:
            images = np.moveaxis(images, -1, 1)
        return images.reshape(len(images), -1)

    def from_rows(self, rows):
        images = np.asarray(rows).reshape(len(rows), *self.image_shape)
        if self.channels_last:
            return np.moveaxis(images, 1, -1)
        if not self.has_channel_axis:
            return images[:, 0]
        return images


class DataCodec:
    """Encode numeric rows for the networks and map generated codes back.

    Continuous features are scaled to [-1, 1] (the generators end them in ``tanh``). Images share
    one range over all pixels (the data's global minimum and maximum, so that 0..255 and 0..16
    data both fill [-1, 1]); tabular data is scaled per feature. A constant feature encodes to
    -1 and decodes to its constant. Decoding clips to the observed range, rounds integer
    features, and casts to the training dtype.

    Discrete features (given by ``discrete_features``; their values are category indices
    ``0 .. k-1``, as :class:`TableLayout` writes them) are one-hot encoded with scikit-learn's
    :class:`~sklearn.preprocessing.OneHotEncoder`; decoding takes the argmax of each group of
    ``k`` codes, which is exact for the one-hot draws the tabular generator makes.

    Codes keep the order of the features: a continuous feature is one code, a discrete feature
    of ``k`` categories is ``k`` consecutive codes, listed in ``discrete_groups_``.

    Parameters
    ----------
    per_feature : bool
        Scale each feature on its own range (tabular data) instead of one global range.
    integer_features : array-like of bool or None
        Features to round after decoding, on top of every feature when the dtype is integer.
    discrete_features : dict of int to int or None
        Discrete features: feature index -> number of categories. Only with ``per_feature``.
    snap_zeros : bool, default=False
        Set a decoded value of a feature that holds zeros to exactly 0 when it is closer to 0
        than half the smallest non-zero magnitude of that feature (used for sparse input, so
        that generated rows stay sparse where the data is).
    mode_specific : bool, default=False
        CTGAN's mode-specific normalisation of the continuous features (tabular data only): a
        :class:`~sklearn.mixture.BayesianGaussianMixture` of up to :data:`MAX_MODES` components
        (Dirichlet-process prior with concentration 0.001, as CTGAN; ``random_state=0``) is
        fitted to each continuous feature; modes of weight above 0.005 are kept. A value is
        coded as its mode (one-hot, the most probable mode; CTGAN draws it from the posterior)
        followed by ``(x - mean) / (4 std)`` of that mode, clipped to +-0.99. So a feature
        with ``K`` modes takes ``1 + K`` codes: the value code first, then the mode group,
        which is listed in ``discrete_groups_`` so that the generator emits a distribution
        over the modes.

    Attributes
    ----------
    n_codes_ : int
        Length of one encoded row.
    discrete_groups_ : tuple of (int, int)
        ``(start, stop)`` of each group of codes that forms one categorical choice: a discrete
        feature, or the mode of a mode-normalised feature; in feature order.
    """

    def __init__(
        self,
        per_feature,
        integer_features=None,
        discrete_features=None,
        snap_zeros=False,
        mode_specific=False,
    ):
        self.per_feature = per_feature
        self.integer_features = integer_features
        self.discrete_features = discrete_features
        self.snap_zeros = snap_zeros
        self.mode_specific = mode_specific

    def fit(self, X):
        X = np.asarray(X)
        n_features = X.shape[1]
        discrete = dict(self.discrete_features or {})
        if discrete and not self.per_feature:
            raise ValueError("Discrete features need per-feature scaling (tabular data).")
        self.dtype_ = X.dtype
        if self.mode_specific and not self.per_feature:
            raise ValueError(
                "continuous_encoding='mode-specific' is for tables; use 'min-max' for images."
            )
        self.discrete_index_ = np.array(sorted(discrete), dtype=np.intp)
        self.continuous_index_ = np.setdiff1d(np.arange(n_features), self.discrete_index_)
        self.modes_ = {}
        if self.mode_specific:
            for j in self.continuous_index_:
                self.modes_[int(j)] = _fit_modes(X[:, j].astype(np.float64))
        self._fit_code_layout(X, discrete)
        self._fit_scaling(X)
        return self

    def _fit_code_layout(self, X, discrete):
        """Where each feature's codes lie, and the one-hot encoder of the discrete features."""
        n_features = X.shape[1]
        # Where each feature's codes start: one code per continuous feature (plus one per mode
        # with mode-specific normalisation), k per discrete one.
        widths = np.ones(n_features, dtype=np.intp)
        widths[self.discrete_index_] = [int(discrete[j]) for j in self.discrete_index_]
        for j, (means, _, _) in self.modes_.items():
            widths[j] = 1 + len(means)
        starts = np.concatenate([[0], np.cumsum(widths)[:-1]])
        self.n_codes_ = int(widths.sum())
        self.continuous_codes_ = starts[self.continuous_index_]
        self.mode_groups_ = {
            j: (int(starts[j]) + 1, int(starts[j] + widths[j])) for j in self.modes_
        }
        self.category_groups_ = [
            (int(starts[j]), int(starts[j] + widths[j])) for j in self.discrete_index_
        ]
        self.discrete_groups_ = tuple(
            sorted(self.category_groups_ + list(self.mode_groups_.values()))
        )
        self.discrete_codes_ = np.concatenate(
            [np.arange(starts[j], starts[j] + widths[j]) for j in self.discrete_index_]
            + [np.empty(0, dtype=np.intp)]
        )
        self.one_hot_ = None
        if len(self.discrete_index_):
            self.one_hot_ = OneHotEncoder(
                categories=[np.arange(discrete[j], dtype=np.float64) for j in self.discrete_index_],
                sparse_output=False,
                dtype=np.float32,
            ).fit(X[:, self.discrete_index_].astype(np.float64))

    def _fit_scaling(self, X):
        """The range of the continuous values, which of them to round, and the zero snapping."""
        continuous = X[:, self.continuous_index_] if self.per_feature else X
        axis = 0 if self.per_feature else None
        if continuous.size:
            self.low_ = np.asarray(continuous.min(axis=axis), dtype=np.float64)
            self.high_ = np.asarray(continuous.max(axis=axis), dtype=np.float64)
        else:
            self.low_ = self.high_ = np.zeros(0)
        span = self.high_ - self.low_
        self.span_ = np.where(span > 0, span, 1.0)
        n_continuous = len(self.continuous_index_)
        if np.issubdtype(self.dtype_, np.integer):
            self.round_mask_ = np.ones(n_continuous, dtype=bool)
        elif self.integer_features is not None:
            self.round_mask_ = np.asarray(self.integer_features, dtype=bool)[self.continuous_index_]
        else:
            self.round_mask_ = np.zeros(n_continuous, dtype=bool)
        self.zero_threshold_ = None
        if self.snap_zeros and self.per_feature and n_continuous:
            magnitude = np.abs(continuous.astype(np.float64))
            smallest = np.where(magnitude > 0, magnitude, np.inf).min(axis=0)
            has_zeros = (magnitude == 0).any(axis=0)
            self.zero_threshold_ = np.where(has_zeros & np.isfinite(smallest), smallest / 2, 0.0)

    def encode(self, X):
        X = np.asarray(X)
        if not len(self.discrete_index_) and not self.modes_:
            scaled = (np.asarray(X, dtype=np.float64) - self.low_) / self.span_
            return (scaled * 2.0 - 1.0).astype(np.float32)
        codes = np.empty((X.shape[0], self.n_codes_), dtype=np.float32)
        continuous = X[:, self.continuous_index_].astype(np.float64)
        codes[:, self.continuous_codes_] = (continuous - self.low_) / self.span_ * 2.0 - 1.0
        if self.one_hot_ is not None:
            codes[:, self.discrete_codes_] = self.one_hot_.transform(
                X[:, self.discrete_index_].astype(np.float64)
            )
        for j, (means, stds, weights) in self.modes_.items():
            values = X[:, j].astype(np.float64)
            # The most probable mode: largest weight times normal density.
            log_density = (
                np.log(weights) - np.log(stds) - 0.5 * ((values[:, None] - means) / stds) ** 2
            )
            mode = np.argmax(log_density, axis=1)
            start, stop = self.mode_groups_[j]
            codes[:, start - 1] = np.clip((values - means[mode]) / (4 * stds[mode]), -0.99, 0.99)
            codes[:, start:stop] = np.eye(stop - start, dtype=np.float32)[mode]
        return codes

    def decode(self, codes):
        codes = np.asarray(codes, dtype=np.float64)
        continuous = codes[:, self.continuous_codes_] if self.per_feature else codes
        continuous = np.clip(continuous, -1.0, 1.0)
        values = (continuous + 1.0) / 2.0 * self.span_ + self.low_
        for j, (means, stds, _) in self.modes_.items():
            start, stop = self.mode_groups_[j]
            mode = np.argmax(codes[:, start:stop], axis=1)
            k = int(np.searchsorted(self.continuous_index_, j))
            values[:, k] = continuous[:, k] * 4 * stds[mode] + means[mode]
        values = np.clip(values, self.low_, self.high_)
        if self.round_mask_.any():
            values[:, self.round_mask_] = np.rint(values[:, self.round_mask_])
        if self.zero_threshold_ is not None:
            values[np.abs(values) < self.zero_threshold_] = 0.0
        if not len(self.discrete_index_):
            return values.astype(self.dtype_)
        rows = np.empty((codes.shape[0], len(self.continuous_index_) + len(self.discrete_index_)))
        rows[:, self.continuous_index_] = values
        for j, (start, stop) in zip(self.discrete_index_, self.category_groups_):
            rows[:, j] = np.argmax(codes[:, start:stop], axis=1)
        return rows.astype(self.dtype_)


#: Most modes a feature gets with mode-specific normalisation (CTGAN's default).
MAX_MODES = 10


def _fit_modes(values):
    """Means, standard deviations and weights of the modes of one feature (CTGAN's
    mode-specific normalisation): a Dirichlet-process Gaussian mixture, components above
    weight 0.005."""
    from sklearn.mixture import BayesianGaussianMixture

    n_distinct = len(np.unique(values))
    if n_distinct < 2:
        return np.array([values[0]]), np.array([1.0]), np.array([1.0])
    mixture = BayesianGaussianMixture(
        n_components=min(MAX_MODES, n_distinct),
        weight_concentration_prior_type="dirichlet_process",
        weight_concentration_prior=0.001,
        max_iter=100,
        random_state=0,
    )
    with warnings.catch_warnings():
        # 100 iterations, as CTGAN; an unconverged mixture still gives usable modes.
        warnings.simplefilter("ignore", ConvergenceWarning)
        mixture.fit(values[:, None])
    keep = mixture.weights_ > 0.005
    means = mixture.means_[keep, 0]
    stds = np.sqrt(mixture.covariances_[keep].reshape(-1))
    stds = np.maximum(stds, 1e-6 * (values.max() - values.min()) + 1e-12)
    return means, stds, mixture.weights_[keep] / mixture.weights_[keep].sum()


# --------------------------------------------------------------------------- mixed-type tables

_DATETIME_TYPES = (datetime.date, datetime.time, datetime.timedelta, np.datetime64, np.timedelta64)


def _column_name(names, j):
    return f"column {names[j]!r} (index {j})" if names is not None else f"column {j}"


def check_dense_size(shape, itemsize, limit):
    """Refuse, with the fix, a sparse ``X`` whose dense copy would exceed ``limit`` MiB.

    The networks train on dense rows, so a sparse ``X`` is densified once; the samplers pass
    ``imbgan.base.MAX_DENSE_MEGABYTES``.
    """
    needed = shape[0] * shape[1] * itemsize / 2**20
    if needed > limit:
        raise ValueError(
            f"X is a sparse matrix of shape {tuple(shape)}; the samplers train on dense rows, and "
            f"its dense copy would take {needed:,.0f} MiB, more than the limit of {limit:,.0f} "
            "MiB (imbgan.base.MAX_DENSE_MEGABYTES). Reduce the number of features first (for "
            "example TruncatedSVD or SelectKBest before the sampler in a pipeline), or, if the "
            "memory is there (training needs about 3 times the dense copy), raise the limit: "
            "imbgan.base.MAX_DENSE_MEGABYTES = ..."
        )


def check_feature_ranges(X, feature_names=None):
    """Refuse, naming the column, features whose range overflows float64 arithmetic.

    The codec scales by ``max - min``; a feature spanning, say, -1e308 to 1e308 has an infinite
    width in float64 and would turn into NaN during training.
    """
    if X.shape[0] == 0 or X.shape[1] == 0:
        return
    if hasattr(X, "tocsc"):
        low, high = X.min(axis=0), X.max(axis=0)
        low = np.asarray(low.toarray() if hasattr(low, "toarray") else low, dtype=float).ravel()
        high = np.asarray(high.toarray() if hasattr(high, "toarray") else high, dtype=float).ravel()
    else:
        low = np.asarray(np.min(X, axis=0), dtype=np.float64)
        high = np.asarray(np.max(X, axis=0), dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        width = high - low
    bad = np.flatnonzero(~np.isfinite(width))
    if len(bad):
        j = int(bad[0])
        raise ValueError(
            f"{_column_name(feature_names, j)} of X spans [{low[j]:.3g}, {high[j]:.3g}], a range "
            f"wider than float64 arithmetic can hold (max - min overflows to infinity; {len(bad)} "
            "column(s) in all). Rescale it before the sampler, for example divide it by a large "
            "power of ten or use sklearn.preprocessing.QuantileTransformer."
        )


def resampled_index(index, n_new):
    """The index of a resampled DataFrame: the original rows keep their labels, the generated
    ones continue a RangeIndex.

    With imbalanced-learn's default index (``RangeIndex(n)``) this is ``RangeIndex(n + n_new)``,
    exactly what imbalanced-learn returns. Other integer indices continue after their largest
    label, so that no label repeats; any other index continues with the positions
    ``n .. n + n_new - 1``.
    """
    import pandas as pd

    n = len(index)
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return pd.RangeIndex(n + n_new)
    if pd.api.types.is_integer_dtype(index.dtype) and n:
        start = int(index.max()) + 1
    else:
        start = n
    return index.append(pd.RangeIndex(start, start + n_new))


def _is_dataframe(X):
    return hasattr(X, "dtypes") and hasattr(X, "columns") and hasattr(X, "iloc")


def _object_column_kind(values, name):
    """``"discrete"``, ``"continuous"`` or ``"integer"`` for a column of Python objects."""
    kinds = set()
    for value in values:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            kinds.add("missing")
        elif isinstance(value, _DATETIME_TYPES):
            kinds.add("datetime")
        elif isinstance(value, (bool, np.bool_)):
            kinds.add("bool")
        elif isinstance(value, (int, np.integer)):
            kinds.add("integer")
        elif isinstance(value, Real):
            kinds.add("real")
        else:
            kinds.add("other")
    if "datetime" in kinds:
        _refuse_datetime(name, "holds dates or times")
    if "missing" in kinds:
        _refuse_missing(name)
    if kinds == {"integer"}:
        return "integer"
    if kinds and kinds <= {"integer", "real"}:
        return "continuous"
    return "discrete"


def _refuse_datetime(name, what):
    raise ValueError(
        f"{name} {what}; the samplers need numbers or categories. Convert it to a number "
        "first, for example days since the earliest date: "
        "(df[col] - df[col].min()).dt.days, or drop the column."
    )


def _refuse_missing(name):
    raise ValueError(
        f"{name} has missing values (NaN or None). Fill them first, for example with "
        "sklearn.impute.SimpleImputer, or make them a category of their own "
        "(df[col].fillna('missing'))."
    )


class TableLayout:
    """How a mixed-type table maps to numeric rows, and generated rows back to the table.

    Used for a pandas DataFrame with text, ``category``, ``bool`` or ``object`` columns, an
    ndarray of ``object``, string or ``bool`` dtype, a list of such rows, or any of these (and
    numeric arrays) with ``categorical_features``. Those columns are *discrete*: each becomes
    the index of its category (scikit-learn's :class:`~sklearn.preprocessing.OrdinalEncoder`,
    categories sorted), which :class:`DataCodec` one-hot encodes. Every other column is
    *continuous* and stays a number. Decoding maps indices back to the categories, in the
    column's own dtype; integer columns are rounded and clipped to their range.

    Parameters
    ----------
    categorical_features : array-like of int, str or bool, or None
        Columns to treat as discrete on top of those detected from their dtype: indices,
        column names of a DataFrame, or a boolean mask.
    """

    def __init__(self, categorical_features=None):
        self.categorical_features = categorical_features

    @staticmethod
    def needed(X, categorical_features=None):
        """Whether ``X`` needs a TableLayout (False: plain numeric rows, as before)."""
        if categorical_features is not None and len(np.atleast_1d(categorical_features)):
            return True
        if _is_dataframe(X):
            import pandas as pd

            return any(
                not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
                for dtype in X.dtypes
            )
        if isinstance(X, np.ndarray):
            return X.ndim == 2 and X.dtype.kind in "OUSbMm"
        if isinstance(X, (list, tuple)):
            try:
                return np.asarray(X).dtype.kind in "OUSbMm"
            except ValueError:
                return True
        return False

    def fit(self, X):
        """Learn the column kinds and categories of ``X``; refuse what cannot be modelled."""
        self.container_ = "dataframe" if _is_dataframe(X) else "list"
        if isinstance(X, np.ndarray):
            self.container_ = "ndarray"
        if hasattr(X, "tocsr"):
            raise ValueError(
                "categorical_features is not supported with a sparse X: pass a dense array or a "
                "DataFrame, or one-hot encode the categorical columns yourself."
            )
        frame = X if self.container_ == "dataframe" else None
        if frame is None:
            X = np.asarray(X, dtype=object) if self.container_ == "list" else np.asarray(X)
            if X.ndim != 2:
                raise ValueError(f"X must be 2-D rows; got an array of shape {X.shape}.")
            self.dtype_ = X.dtype
            self.names_ = None
            if X.dtype.kind in "Mm":
                _refuse_datetime("X", f"has dtype {X.dtype}")
        else:
            self.dtypes_ = list(X.dtypes)
            self.columns_ = X.columns
            self.names_ = [str(c) for c in X.columns]
        n_features = X.shape[1]
        declared = self._declared_categorical(X, has_names=frame is not None)
        self.kinds_, self.encoders_, self.low_, self.high_ = [], {}, {}, {}
        for j in range(n_features):
            name = _column_name(self.names_, j)
            column = frame.iloc[:, j] if frame is not None else X[:, j]
            kind = self._kind(column, name, declared[j], frame is not None)
            values = np.asarray(column, dtype=object) if kind == "discrete" else None
            if kind == "discrete":
                if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in values):
                    _refuse_missing(name)
                try:
                    self.encoders_[j] = OrdinalEncoder(dtype=np.float64).fit(values[:, None])
                except TypeError as exc:
                    raise ValueError(
                        f"{name} mixes values that cannot be told apart as categories ({exc}). "
                        "Convert it to one type first, for example df[col].astype(str)."
                    ) from exc
            elif kind == "integer":
                numbers = np.asarray(column, dtype=np.float64)
                self.low_[j], self.high_[j] = numbers.min(), numbers.max()
            self.kinds_.append(kind)
        return self

    def _declared_categorical(self, X, has_names):
        """Boolean mask of the columns that ``categorical_features`` names."""
        n_features = X.shape[1]
        declared = np.zeros(n_features, dtype=bool)
        features = self.categorical_features
        if features is None:
            return declared
        if np.asarray(features).dtype.kind in "US" and not has_names:
            raise ValueError(
                "categorical_features holds column names, but X has no column names: pass "
                "a pandas DataFrame or give column indices."
            )
        try:
            declared[_get_column_indices(X, np.atleast_1d(features).tolist())] = True
        except (ValueError, IndexError, KeyError) as exc:
            raise ValueError(
                f"categorical_features={features!r} does not select columns of X ({n_features}"
                f" columns): give column indices, column names or a boolean mask of length "
                f"{n_features}. {exc}"
            ) from exc
        return declared

    @staticmethod
    def _kind(column, name, declared, in_frame):
        if in_frame:
            import pandas as pd

            dtype = column.dtype
            if (
                pd.api.types.is_datetime64_any_dtype(dtype)
                or pd.api.types.is_timedelta64_dtype(dtype)
                or isinstance(dtype, pd.PeriodDtype)
            ):
                _refuse_datetime(name, f"has dtype {dtype}")
            if column.isna().any() and not pd.api.types.is_float_dtype(dtype):
                _refuse_missing(name)
            if declared or pd.api.types.is_bool_dtype(dtype):
                return "discrete"
            if pd.api.types.is_integer_dtype(dtype):
                return "integer"
            if pd.api.types.is_numeric_dtype(dtype):
                return "continuous"
            if pd.api.types.is_object_dtype(dtype):
                return _object_column_kind(column.to_numpy(), name)
            return "discrete"  # text, category
        kind = column.dtype.kind
        if kind == "O":
            found = _object_column_kind(column, name)
            return "discrete" if declared else found
        if declared or kind in "bUS":
            return "discrete"
        return "integer" if kind in "iu" else "continuous"

    @property
    def discrete_sizes(self):
        """Discrete columns: column index -> number of categories (for :class:`DataCodec`)."""
        return {j: len(enc.categories_[0]) for j, enc in self.encoders_.items()}

    @property
    def integer_features(self):
        """Boolean mask of the integer (rounded) continuous columns."""
        return np.array([kind == "integer" for kind in self.kinds_], dtype=bool)

    def to_rows(self, X):
        """Numeric float64 rows: discrete columns as category indices, others as numbers."""
        frame = X if _is_dataframe(X) else None
        if frame is None:
            X = np.asarray(X, dtype=object) if self.container_ == "list" else np.asarray(X)
        rows = np.empty((X.shape[0], len(self.kinds_)), dtype=np.float64)
        for j, kind in enumerate(self.kinds_):
            column = frame.iloc[:, j] if frame is not None else X[:, j]
            if kind == "discrete":
                values = np.asarray(column, dtype=object)[:, None]
                rows[:, j] = self.encoders_[j].transform(values)[:, 0]
            else:
                rows[:, j] = np.asarray(column, dtype=np.float64)
        return rows

    def from_rows(self, rows):
        """Rows from :meth:`to_rows` (or decoded ones) back in the table's columns and dtypes.

        A DataFrame comes back with a RangeIndex, an ndarray in its dtype, a list as a list.
        """
        rows = np.asarray(rows, dtype=np.float64)
        columns = []
        for j, kind in enumerate(self.kinds_):
            values = rows[:, j]
            if kind == "discrete":
                categories = self.encoders_[j].categories_[0]
                index = np.clip(np.rint(values), 0, len(categories) - 1).astype(np.intp)
                values = np.asarray(categories, dtype=object)[index]
            elif kind == "integer":
                values = np.clip(np.rint(values), self.low_[j], self.high_[j])
            columns.append(values)
        if self.container_ == "dataframe":
            import pandas as pd

            series = {}
            for j, (values, dtype) in enumerate(zip(columns, self.dtypes_)):
                if isinstance(dtype, pd.CategoricalDtype):
                    series[j] = pd.Series(pd.Categorical(values, dtype=dtype))
                else:
                    series[j] = pd.Series(values).astype(dtype)
            frame = pd.DataFrame(series, index=pd.RangeIndex(len(rows)))
            frame.columns = self.columns_
            return frame
        if self.container_ == "ndarray" and self.dtype_.kind != "O":
            out = np.empty((len(rows), len(columns)), dtype=self.dtype_)
            for j, values in enumerate(columns):
                out[:, j] = values
            return out
        out = np.empty((len(rows), len(columns)), dtype=object)
        for j, (values, kind) in enumerate(zip(columns, self.kinds_)):
            out[:, j] = [int(v) for v in values] if kind == "integer" else list(values)
        return out.tolist() if self.container_ == "list" else out

    def append_generated(self, X, rows):
        """``X`` itself (its rows untouched) followed by ``rows`` mapped back by
        :meth:`from_rows`, in ``X``'s container."""
        generated = self.from_rows(rows)
        if self.container_ == "dataframe":
            import pandas as pd

            return pd.concat([X, generated])
        if self.container_ == "list":
            return [list(row) for row in X] + generated
        return np.concatenate([np.asarray(X), generated])
