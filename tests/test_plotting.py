import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from imbgan.plotting import plot_samples_per_class  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _canvas(ax):
    (image,) = ax.get_images()
    return np.ma.filled(image.get_array().astype(float), np.nan)


def test_one_channel_rows_are_one_image_row_per_class():
    X = np.random.RandomState(0).uniform(size=(6, 16))
    ax = plot_samples_per_class(X, [0, 0, 0, 1, 1, 1], image_shape=(4, 4))
    # 2 rows and 3 columns of 4 x 4 images with a 1-pixel gap around each.
    assert _canvas(ax).shape == (2 * 5 + 1, 3 * 5 + 1)
    assert [label.get_text() for label in ax.get_yticklabels()] == ["0", "1"]


def test_three_channel_image_array_is_drawn_in_colour():
    images = np.random.RandomState(0).uniform(size=(4, 5, 5, 3))  # channels last
    ax = plot_samples_per_class(images, ["b", "a", "b", "a"])
    canvas = _canvas(ax)
    assert canvas.shape == (2 * 6 + 1, 2 * 6 + 1, 4)
    # Gaps are transparent, images opaque.
    assert canvas[0, 0, 3] == 0 and canvas[1, 1, 3] == 1
    assert [label.get_text() for label in ax.get_yticklabels()] == ["a", "b"]


def test_class_with_fewer_images_leaves_its_row_end_blank():
    X = np.ones((5, 4))
    ax = plot_samples_per_class(X, [0, 0, 0, 1, 1], image_shape=(1, 2, 2))
    canvas = _canvas(ax)
    assert canvas.shape == (2 * 3 + 1, 3 * 3 + 1)
    assert np.all(canvas[1:3, 1:3] == 1)  # class 0, first image
    assert np.all(np.isnan(canvas[4:6, 7:9]))  # class 1 has no third image


def test_wrong_image_shape_is_a_clear_value_error():
    with pytest.raises(ValueError, match=r"image_shape=\(1, 3, 3\) describes 9 values"):
        plot_samples_per_class(np.zeros((2, 16)), [0, 1], image_shape=(3, 3))
    with pytest.raises(ValueError, match="image_shape=.C, H, W. is needed"):
        plot_samples_per_class(np.zeros((2, 16)), [0, 1])


def test_values_outside_the_range_are_clipped():
    X = np.array([[-5.0, 0.0, 8.0, 40.0]])
    canvas = _canvas(plot_samples_per_class(X, [0], image_shape=(2, 2), value_range=(0, 16)))
    assert np.nanmin(canvas) == 0 and np.nanmax(canvas) == 1
    assert canvas[1, 1:3].tolist() == [0.0, 0.0] and canvas[2, 1:3].tolist() == [0.5, 1.0]


def test_given_axes_are_drawn_on_and_not_resized():
    figure = Figure(figsize=(3, 2))
    ax = figure.add_subplot()
    returned = plot_samples_per_class(np.zeros((2, 4)), [0, 1], image_shape=(2, 2), ax=ax)
    assert returned is ax
    assert len(ax.get_images()) == 1
    assert tuple(figure.get_size_inches()) == (3, 2)


def test_real_images_come_first_set_apart():
    X, X_real = np.zeros((2, 4)), np.ones((3, 4))
    ax = plot_samples_per_class(
        X, [0, 1], image_shape=(2, 2), X_real=X_real, y_real=[0, 0, 1], title="t"
    )
    canvas = _canvas(ax)
    assert np.all(canvas[1:3, 1:3] == 1)  # real first
    assert [label.get_text() for label in ax.get_xticklabels()] == ["real", "generated"]
    assert ax.get_title() == "t"
    with pytest.raises(ValueError, match="together"):
        plot_samples_per_class(X, [0, 1], image_shape=(2, 2), X_real=X_real)


def test_missing_matplotlib_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r'pip install "imbgan\[plot\]"'):
        plot_samples_per_class(np.zeros((1, 4)), [0], image_shape=(2, 2))
