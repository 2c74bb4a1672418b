from collections import Counter

import numpy as np
import pytest

from imbgan import MirrorSampler


def test_new_images_are_flips_of_real_images_of_their_class(tiny_images):
    images, y = tiny_images
    images_res, y_res = MirrorSampler(random_state=0).fit_resample(images, y)
    assert Counter(y_res) == {0: 30, 1: 30}
    np.testing.assert_array_equal(images_res[: len(images)], images)
    for image, label in zip(images_res[len(images) :], y_res[len(images) :]):
        unflipped = image[:, ::-1]
        assert any(np.array_equal(unflipped, real) for real in images[y == label])


@pytest.mark.parametrize("axis, flip", [("vertical", (0,)), ("both", (0, 1))])
def test_flip_axis(axis, flip):
    images = np.arange(3 * 2 * 3).reshape(3, 2, 3)
    y = np.array([0, 0, 1])
    images_res, _ = MirrorSampler(axis=axis, random_state=0).fit_resample(images, y)
    np.testing.assert_array_equal(images_res[-1], np.flip(images[2], axis=flip))


def test_flat_rows_with_image_shape_and_channels():
    rng = np.random.RandomState(0)
    images = rng.randint(0, 255, size=(5, 3, 2, 4)).astype(np.uint8)
    rows = images.reshape(5, -1)
    y = np.array([0, 0, 0, 0, 1])
    rows_res, _ = MirrorSampler(image_shape=(3, 2, 4), random_state=0).fit_resample(rows, y)
    assert rows_res.dtype == np.uint8
    new = rows_res[5:].reshape(-1, 3, 2, 4)
    np.testing.assert_array_equal(new, np.repeat(images[4:, :, :, ::-1], 3, axis=0))


def test_generate_and_determinism(tiny_images):
    images, y = tiny_images
    sampler = MirrorSampler(random_state=0)
    first = sampler.fit_resample(images, y)[0]
    np.testing.assert_array_equal(first, sampler.fit_resample(images, y)[0])
    drawn = sampler.generate([1, 1, 0], random_state=0)
    assert drawn.shape == (3, 6, 6)
    np.testing.assert_array_equal(drawn, sampler.generate([1, 1, 0], random_state=0))
    # Each drawn image is a horizontal flip of a real image of its class.
    for image, label in zip(drawn, [1, 1, 0]):
        flips = images[y == label][:, :, ::-1]
        assert any(np.array_equal(image, flip) for flip in flips)
