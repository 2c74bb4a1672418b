"""Plots of generated samples (needs matplotlib: ``pip install "imbgan[plot]"``).

matplotlib is imported only when a function here is called, so ``import imbgan.plotting``
works without it.
"""

from __future__ import annotations

from numbers import Real

import numpy as np

from ._data import ImageLayout, check_image_shape, normalize_image_shape

__all__ = ["plot_samples_per_class"]

_IMAGE_SHAPE_HINT = "Pass the (C, H, W) of the images that were flattened into each row of X."


def _require_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            'plot_samples_per_class needs matplotlib: pip install "imbgan[plot]".'
        ) from exc


def _as_rows(X, image_shape, name):
    """Flattened channels-first rows of ``X`` and its ``(C, H, W)``."""
    X = np.asarray(X)
    if X.ndim == 2:
        if image_shape is None:
            raise ValueError(
                f"{name} holds flattened rows, so image_shape=(C, H, W) is needed to fold them "
                "into images."
            )
        return X, check_image_shape(image_shape, X.shape[1], _IMAGE_SHAPE_HINT)
    layout = ImageLayout.infer(X.shape, image_shape)
    return layout.to_rows(X), layout.image_shape


def _by_class(X, y, classes, max_per_class, name):
    y = np.asarray(y)
    if y.shape != (len(X),):
        raise ValueError(f"{name} has {len(X)} images but its labels have shape {y.shape}.")
    return [X[y == label][:max_per_class] for label in classes]


def _check_value_range(value_range):
    try:
        low, high = value_range
    except (TypeError, ValueError):
        low = high = None
    if not (isinstance(low, Real) and isinstance(high, Real) and low < high):
        raise ValueError(
            f"value_range must be two numbers (low, high) with low < high; got {value_range!r}."
        )
    return float(low), float(high)


def _tile(blocks, image_shape, value_range):
    """One canvas of the images: a row per class, the blocks (lists of per-class rows) side by
    side. Cells without an image are NaN (grey) or transparent (colour), so they show the axes'
    background. Returns the canvas, the row centres and each block's (left, right) in pixels.
    """
    channels, height, width = image_shape
    low, high = value_range
    gap = max(1, min(height, width) // 8)
    block_gap = 4 * gap
    n_rows = len(blocks[0])
    n_columns = [max((len(images) for images in block), default=0) for block in blocks]
    block_widths = [max(0, n * (width + gap) - gap) for n in n_columns]
    canvas_width = sum(block_widths) + block_gap * (len(blocks) - 1) + 2 * gap
    canvas_height = n_rows * (height + gap) + gap
    colour = channels == 3
    canvas = np.full((canvas_height, canvas_width, 4 if colour else 1), np.nan)
    if colour:
        canvas[..., 3] = 0.0
    spans, left_of_block = [], gap
    for block, block_width in zip(blocks, block_widths):
        for row, images in enumerate(block):
            if not len(images):
                continue
            images = np.asarray(images, dtype=float).reshape(-1, channels, height, width)
            # Images with neither 1 nor 3 channels show their first channel.
            tiles = np.moveaxis(images if colour else images[:, :1], 1, -1)
            tiles = (np.clip(tiles, low, high) - low) / (high - low)
            top = gap + row * (height + gap)
            for column, tile in enumerate(tiles):
                left = left_of_block + column * (width + gap)
                canvas[top : top + height, left : left + width, : tile.shape[-1]] = tile
                if colour:
                    canvas[top : top + height, left : left + width, 3] = 1.0
        spans.append((left_of_block, left_of_block + block_width))
        left_of_block += block_width + block_gap
    centres = [gap + row * (height + gap) + height / 2 - 0.5 for row in range(n_rows)]
    return canvas, centres, spans


def _fit_figure(ax, image_shape):
    """Size ``ax``'s figure so that each image of the grid drawn on it is about 0.8 inch."""
    (left, right), (bottom, top) = ax.get_xlim(), ax.get_ylim()
    inches_per_pixel = 0.81 / max(normalize_image_shape(image_shape)[1:])
    ax.figure.set_size_inches(
        abs(right - left) * inches_per_pixel + 1.0, abs(top - bottom) * inches_per_pixel + 0.8
    )


def plot_samples_per_class(
    X,
    y,
    *,
    image_shape=None,
    X_real=None,
    y_real=None,
    max_per_class=None,
    value_range=(0, 1),
    cmap="gray_r",
    title=None,
    ax=None,
):
    """Draw images as a grid with one row per class, real examples first if given.

    Meant for looking at what a sampler generates, for example the output of
    :meth:`~imbgan.BaseImbganSampler.generate` next to training images. The images are tiled
    into one array and drawn with a single ``imshow``, which stays fast for hundreds of images
    (a subplot per image takes seconds).

    Parameters
    ----------
    X : array-like of shape (n_images, n_features) or an image array
        The images (usually generated ones): flattened channels-first rows, or an image array
        of shape ``(n, H, W)``, ``(n, H, W, C)`` or ``(n, C, H, W)``, the layouts the
        samplers take and return.
    y : array-like of shape (n_images,)
        The class of each image. Each class is a row, in sorted order; a class with fewer
        images than the others leaves its row's end blank.
    image_shape : tuple of int, default=None
        ``(C, H, W)`` (or ``(H, W)`` for one channel) of each image. Needed when ``X`` holds
        flattened rows; for an image array it tells channels-first from channels-last when the
        shape alone cannot.
    X_real, y_real : array-like, default=None
        Real images and their classes, drawn at the start of each row and set apart from ``X``
        by a wider gap and a line; the columns are labelled "real" and "generated". Same
        layout as ``X``.
    max_per_class : int, default=None
        Draw at most the first ``max_per_class`` images of each class, of ``X`` and of
        ``X_real`` each. None draws all.
    value_range : tuple of (float, float), default=(0, 1)
        The range of the pixel values, such as ``(0, 16)`` for scikit-learn's digits or
        ``(0, 255)`` for 8-bit images; it spans the whole colour map (with the default
        ``cmap``, low is white paper and high is black ink). Values outside are clipped.
    cmap : str or Colormap, default="gray_r"
        Colour map for one-channel images (dark ink on white paper); three-channel images are
        drawn as RGB. Images of any other channel count show their first channel.
    title : str, default=None
        Title of the axes.
    ax : matplotlib Axes, default=None
        Axes to draw on. None creates a figure with :func:`matplotlib.pyplot.subplots`, sized
        so that each image is about 0.8 inch wide.

    Returns
    -------
    ax : matplotlib Axes
        The axes with the grid; the figure is ``ax.figure``. The y tick labels are the
        classes, so they can be relabelled (for example with training counts) by
        ``ax.set_yticklabels``.

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    ValueError
        If ``image_shape`` does not describe the rows of ``X`` or ``X_real``, or the labels do
        not match the images.

    See Also
    --------
    imbgan.BaseImbganSampler.generate : Draw new samples of given classes after fitting.
    imbgan.metrics.sample_quality_report : Measure what the eye judges here.

    Examples
    --------
    Real digits and mirrored ones (:class:`~imbgan.MirrorSampler` trains nothing, so this
    runs in an instant; a GAN sampler is used the same way):

    >>> import numpy as np
    >>> from imbgan import MirrorSampler
    >>> from imbgan.datasets import load_dataset
    >>> from imbgan.plotting import plot_samples_per_class
    >>> X, y, image_shape = load_dataset("digits")
    >>> sampler = MirrorSampler(image_shape=image_shape, random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> labels = np.repeat(sampler.classes_, 6)
    >>> X_new = sampler.generate(labels, random_state=0)
    >>> ax = plot_samples_per_class(
    ...     X_new, labels, image_shape=image_shape, X_real=X, y_real=y, max_per_class=3,
    ...     value_range=(0, 16), title="Digits: real | mirrored")
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']
    >>> [label.get_text() for label in ax.get_xticklabels()]
    ['real', 'generated']
    """
    _require_matplotlib()
    if (X_real is None) != (y_real is None):
        raise ValueError("Pass X_real and y_real together, or neither.")
    value_range = _check_value_range(value_range)
    rows, shape = _as_rows(X, image_shape, "X")
    sets = [(rows, y, "X")]
    if X_real is not None:
        real_rows, _ = _as_rows(X_real, shape, "X_real")
        sets.insert(0, (real_rows, y_real, "X_real"))
    classes = np.unique(np.concatenate([np.asarray(labels).ravel() for _, labels, _ in sets]))
    if not len(classes):
        raise ValueError("There are no images to draw: y is empty.")
    blocks = [_by_class(rows, labels, classes, max_per_class, name) for rows, labels, name in sets]
    canvas, centres, spans = _tile(blocks, shape, value_range)

    resize = ax is None
    if resize:
        from matplotlib import pyplot as plt

        _, ax = plt.subplots()
    if canvas.shape[-1] == 4:
        ax.imshow(canvas, interpolation="nearest")
    else:
        ax.imshow(canvas[..., 0], cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
    ax.set_yticks(centres, [str(label) for label in classes])
    ax.set_ylabel("class")
    if len(spans) == 2:
        ax.set_xticks([(left + right - 1) / 2 for left, right in spans], ["real", "generated"])
        ax.axvline((spans[0][1] + spans[1][0] - 1) / 2, color="0.6", linewidth=1)
        ax.tick_params(axis="x", length=0)
    else:
        ax.set_xticks([])
    if title is not None:
        ax.set_title(title)
    if resize:
        _fit_figure(ax, shape)
    return ax
