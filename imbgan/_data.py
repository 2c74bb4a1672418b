"""Data encoding shared by every sampler: image layouts and the [-1, 1] codec.

Data flows one way through imbgan::

    user array (2-D rows, or an image array of 3 or 4 dimensions)
      -> ImageLayout.to_rows        -> validated 2-D rows (channels-first pixel order)
      -> DataCodec.encode           -> float32 values in [-1, 1] for the networks
      -> ... training, generation ...
      -> DataCodec.decode           -> rows in the user's dtype and value range
      -> ImageLayout.from_rows      -> the user's own array layout
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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


def check_image_shape_matches(image_shape, n_features):
    """Raise a ``ValueError`` naming the fix when ``image_shape`` does not fit the rows."""
    n_pixels = int(np.prod(image_shape))
    if n_pixels != n_features:
        raise ValueError(
            f"image_shape={tuple(image_shape)} describes {n_pixels} values per image, but X has "
            f"{n_features} features per row. Pass the (C, H, W) of the images that were flattened "
            "into each row (channels first), or image_shape=None for tabular data."
        )


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
    """Scale rows to [-1, 1] for training and map generated rows back.

    Images share one range over all pixels (the data's global minimum and maximum, so that
    0..255 and 0..16 data both fill [-1, 1]); tabular data is scaled per feature. A constant
    feature encodes to -1 and decodes to its constant. Decoding clips to the observed range,
    rounds integer features, and casts to the training dtype.

    Parameters
    ----------
    per_feature : bool
        Scale each feature on its own range (tabular data) instead of one global range.
    integer_features : array-like of bool or None
        Features to round after decoding, on top of every feature when the dtype is integer.
    """

    def __init__(self, per_feature, integer_features=None):
        self.per_feature = per_feature
        self.integer_features = integer_features

    def fit(self, X):
        X = np.asarray(X)
        axis = 0 if self.per_feature else None
        self.dtype_ = X.dtype
        self.low_ = np.asarray(X.min(axis=axis), dtype=np.float64)
        self.high_ = np.asarray(X.max(axis=axis), dtype=np.float64)
        span = self.high_ - self.low_
        self.span_ = np.where(span > 0, span, 1.0)
        if np.issubdtype(self.dtype_, np.integer):
            self.round_mask_ = np.ones(X.shape[1], dtype=bool)
        elif self.integer_features is not None:
            self.round_mask_ = np.asarray(self.integer_features, dtype=bool)
        else:
            self.round_mask_ = np.zeros(X.shape[1], dtype=bool)
        return self

    def encode(self, X):
        scaled = (np.asarray(X, dtype=np.float64) - self.low_) / self.span_
        return (scaled * 2.0 - 1.0).astype(np.float32)

    def decode(self, codes):
        codes = np.clip(np.asarray(codes, dtype=np.float64), -1.0, 1.0)
        rows = (codes + 1.0) / 2.0 * self.span_ + self.low_
        rows = np.clip(rows, self.low_, self.high_)
        if self.round_mask_.any():
            rows[:, self.round_mask_] = np.rint(rows[:, self.round_mask_])
        return rows.astype(self.dtype_)
