"""The SSIM engine behind :func:`imbgan.metrics.ssim` and the quality measures.

Two implementations of the same SSIM (Wang et al., 2004, in scikit-image's default form), one
interface (``paired`` rows, an all-pairs ``cross`` matrix): :class:`_TorchSSIM`, vectorised
here, and :class:`_SkimageSSIM`, one :func:`skimage.metrics.structural_similarity` call per
pair. The :mod:`imbgan.metrics` module docstring explains the backends and their measured
speeds; :func:`ssim` is re-exported there, which is where it is documented.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import torch

from ._data import check_image_shape
from ._torch import limited_threads

_K1 = 0.01
_K2 = 0.03
_DEFAULT_WIN_SIZE = 7
# Number of values (pairs x channels x pixels) the torch backend processes at once: small enough for
# the intermediate arrays to stay in cache, large enough to amortise the per-call overhead. Measured
# best around 2**18 on 8 x 8 and 28 x 28 images.
_TORCH_CHUNK_VALUES = 2**18


def _check_image_shape(image_shape, n_features):
    """Return ``image_shape`` as a (channels, height, width) tuple that matches ``n_features``."""
    if isinstance(image_shape, numbers.Integral) or not all(
        isinstance(s, numbers.Integral) for s in image_shape
    ):
        raise ValueError(
            "image_shape must be (height, width) or (channels, height, width) of ints; "
            f"got {image_shape!r}."
        )
    return check_image_shape(image_shape, n_features, hint="")


def _resolve_win_size(image_shape, win_size):
    """Pick the SSIM window: 7 (scikit-image's default) unless the image is smaller."""
    smallest_side = min(image_shape[1:])
    if win_size is None:
        if smallest_side < 3:
            raise ValueError(
                f"SSIM needs images of at least 3 x 3 pixels (a window of 3); got image_shape "
                f"{tuple(image_shape)}."
            )
        win_size = min(_DEFAULT_WIN_SIZE, smallest_side)
        if win_size % 2 == 0:
            win_size -= 1
    if not isinstance(win_size, numbers.Integral):
        raise ValueError(f"win_size must be an odd int; got {win_size!r}.")
    if win_size < 3 or win_size % 2 == 0 or win_size > smallest_side:
        raise ValueError(
            f"win_size must be odd, at least 3 and at most the smaller image side "
            f"({smallest_side}); got {win_size}."
        )
    return win_size


def _check_data_range(data_range):
    if (
        isinstance(data_range, bool)
        or not isinstance(data_range, numbers.Real)
        or not 0 < data_range < math.inf
    ):
        raise ValueError(
            "data_range must be a positive, finite number: the difference between the largest "
            "and the smallest possible pixel value (1.0 for images in [0, 1]); "
            f"got {data_range!r}."
        )
    return float(data_range)


def _resolve_backend(backend):
    if backend == "auto":
        return "torch"
    if backend == "torch":
        return backend
    if backend == "skimage":
        try:
            import skimage.metrics  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "backend='skimage' needs scikit-image: pip install 'imbgan[quality]'."
            ) from exc
        return backend
    raise ValueError(f"backend must be 'auto', 'torch' or 'skimage'; got {backend!r}.")


class _TorchSSIM:
    """Vectorised SSIM over flattened images, filtering each image once.

    The local statistics of an image (windowed mean and variance) do not depend on the image it
    is compared with, so they are computed once per image; only the windowed cross term differs
    per pair. The kernels run on one torch thread: they are many small matrix products on
    cache-sized chunks, which threads do not speed up, and on a busy machine the threads'
    synchronisation made them 20 to 80 times slower (measured on 2 cores shared with other
    jobs).
    """

    def __init__(self, image_shape, win_size, data_range):
        self.image_shape = image_shape
        self.win_size = win_size
        n_window = win_size**2
        # scikit-image's default: unbiased (sample) covariance inside the window.
        self.cov_norm = n_window / (n_window - 1)
        self.c1 = (_K1 * data_range) ** 2
        self.c2 = (_K2 * data_range) ** 2

    def _as_images(self, X):
        tensor = torch.as_tensor(np.asarray(X, dtype=np.float64))
        return tensor.reshape(-1, *self.image_shape)

    def _band(self, side):
        # Row p averages positions p .. p + win_size - 1: a box filter without padding, i.e. exactly
        # the positions scikit-image keeps after cropping the borders of its filtered image.
        n_positions = side - self.win_size + 1
        band = torch.zeros((n_positions, side), dtype=torch.float64)
        for position in range(n_positions):
            band[position, position : position + self.win_size] = 1.0 / self.win_size
        return band

    def _window_mean(self, images):
        # The box filter is separable, so it is two small matrix products (rows, then columns).
        # Measured faster than avg_pool2d on 28 x 28 images (BLAS instead of a 49-tap loop).
        if not hasattr(self, "_band_rows"):
            self._band_rows = self._band(self.image_shape[1])
            self._band_cols_t = self._band(self.image_shape[2]).T.contiguous()
        return self._band_rows @ images @ self._band_cols_t

    def statistics(self, X):
        """Windowed mean and variance of every image in ``X`` (2-D, one row per image)."""
        images = self._as_images(X)
        mean = self._window_mean(images)
        variance = self.cov_norm * (self._window_mean(images * images) - mean * mean)
        return images, mean, variance

    def _ssim_from_parts(self, images_a, mean_a, var_a, images_b, mean_b, var_b):
        # All arguments are aligned pairs: row k of the "a" tensors goes with row k of the "b" ones.
        covariance = self.cov_norm * (self._window_mean(images_a * images_b) - mean_a * mean_b)
        numerator = (2 * mean_a * mean_b + self.c1) * (2 * covariance + self.c2)
        denominator = (mean_a**2 + mean_b**2 + self.c1) * (var_a + var_b + self.c2)
        return (numerator / denominator).flatten(1).mean(dim=1)

    def _pairs_per_chunk(self):
        return max(16, _TORCH_CHUNK_VALUES // math.prod(self.image_shape))

    def paired(self, X_a, X_b):
        """SSIM between row k of ``X_a`` and row k of ``X_b``, for every k."""
        X_a, X_b = np.asarray(X_a), np.asarray(X_b)
        out = np.empty(X_a.shape[0], dtype=np.float64)
        step = self._pairs_per_chunk()
        with limited_threads(1):
            for start in range(0, X_a.shape[0], step):
                chunk = slice(start, start + step)
                parts = (*self.statistics(X_a[chunk]), *self.statistics(X_b[chunk]))
                out[chunk] = self._ssim_from_parts(*parts).numpy()
        return out

    def cross(self, X_a, X_b):
        """Matrix of SSIM between every row of ``X_a`` and every row of ``X_b``."""
        with limited_threads(1):
            parts_a = self.statistics(X_a)
            parts_b = self.statistics(X_b)
            n_a, n_b = parts_a[0].shape[0], parts_b[0].shape[0]
            out = torch.empty((n_a, n_b), dtype=torch.float64)
            rows_per_chunk = max(1, self._pairs_per_chunk() // max(n_b, 1))
            for start in range(0, n_a, rows_per_chunk):
                stop = min(start + rows_per_chunk, n_a)
                n_rows = stop - start
                # Pair each of these rows of A with every row of B by broadcasting, then flatten.
                expanded_a = [
                    p[start:stop]
                    .unsqueeze(1)
                    .expand(-1, n_b, *p.shape[1:])
                    .reshape(-1, *p.shape[1:])
                    for p in parts_a
                ]
                expanded_b = [
                    p.unsqueeze(0).expand(n_rows, *p.shape).reshape(-1, *p.shape[1:])
                    for p in parts_b
                ]
                out[start:stop] = self._ssim_from_parts(*expanded_a, *expanded_b).reshape(
                    n_rows, n_b
                )
        return out.numpy()


class _SkimageSSIM:
    """The same interface as :class:`_TorchSSIM`, one scikit-image call per pair."""

    def __init__(self, image_shape, win_size, data_range):
        from skimage.metrics import structural_similarity

        self._ssim = structural_similarity
        self.image_shape = image_shape
        self.win_size = win_size
        self.data_range = data_range

    def _as_images(self, X):
        images = np.asarray(X, dtype=np.float64).reshape(-1, *self.image_shape)
        # scikit-image wants channels last; a single channel is passed as a plain 2-D image.
        return images[:, 0] if self.image_shape[0] == 1 else np.moveaxis(images, 1, -1)

    def _one(self, image_a, image_b):
        return self._ssim(
            image_a,
            image_b,
            win_size=self.win_size,
            data_range=self.data_range,
            channel_axis=None if self.image_shape[0] == 1 else -1,
        )

    def paired(self, X_a, X_b):
        images_a, images_b = self._as_images(X_a), self._as_images(X_b)
        return np.array([self._one(a, b) for a, b in zip(images_a, images_b)], dtype=np.float64)

    def cross(self, X_a, X_b):
        images_a, images_b = self._as_images(X_a), self._as_images(X_b)
        return np.array(
            [[self._one(a, b) for b in images_b] for a in images_a], dtype=np.float64
        ).reshape(len(images_a), len(images_b))


def _make_ssim(image_shape, n_features, data_range, win_size, backend):
    shape = _check_image_shape(image_shape, n_features)
    win = _resolve_win_size(shape, win_size)
    data_range = _check_data_range(data_range)
    if _resolve_backend(backend) == "skimage":
        return _SkimageSSIM(shape, win, data_range)
    return _TorchSSIM(shape, win, data_range)


def _as_2d(X, name):
    X = np.asarray(X)
    if X.ndim == 1:
        X = X[np.newaxis]
    if X.ndim > 2:
        # Accept image arrays (n, C, H, W) or (n, H, W) too: flatten each image to one row.
        X = X.reshape(X.shape[0], -1)
    if X.ndim != 2:
        raise ValueError(f"{name} must hold one sample per row; got shape {X.shape}.")
    return X


def ssim(X_a, X_b, image_shape, *, data_range, win_size=None, backend="auto"):
    """SSIM between paired samples: row k of ``X_a`` against row k of ``X_b``.

    Parameters
    ----------
    X_a, X_b : array-like of shape (n_samples, n_features)
        Flattened images in channels-first order, or image arrays ``(n, H, W)`` or
        ``(n, C, H, W)``, the same shape. Channels-last ``(n, H, W, C)`` arrays must be moved to
        channels first (``np.moveaxis(images, -1, 1)``): they are flattened as they are.
    image_shape : tuple of int
        ``(channels, height, width)`` or ``(height, width)``; the product must be ``n_features``.
    data_range : float
        Largest minus smallest possible pixel value (for example 1.0 for images in [0, 1], 16.0 for
        scikit-learn's raw digits). Required: it sets SSIM's stabilising constants.
    win_size : int, optional
        Odd side of the square SSIM window; defaults to 7, or the largest odd number that fits
        smaller images.
    backend : {"auto", "torch", "skimage"}, default="auto"
        Implementation; see the module docstring for timings. ``"auto"`` means ``"torch"``.

    Returns
    -------
    values : ndarray of shape (n_samples,)
        SSIM per pair; 1 for identical images.
    """
    X_a, X_b = _as_2d(X_a, "X_a"), _as_2d(X_b, "X_b")
    if X_a.shape != X_b.shape:
        raise ValueError(f"X_a and X_b must have the same shape; got {X_a.shape} and {X_b.shape}.")
    engine = _make_ssim(image_shape, X_a.shape[1], data_range, win_size, backend)
    return engine.paired(X_a, X_b)
