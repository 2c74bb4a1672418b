import numpy as np
import pytest

from imbgan._data import DataCodec, ImageLayout, normalize_image_shape


def test_image_codec_uses_the_global_range():
    X = np.array([[0, 128, 255], [10, 20, 30]], dtype=np.uint8)
    codec = DataCodec(per_feature=False).fit(X)
    codes = codec.encode(X)
    assert codes.dtype == np.float32
    assert codes.min() == -1.0 and codes.max() == 1.0
    assert codes[0, 1] == pytest.approx(128 / 255 * 2 - 1)
    np.testing.assert_array_equal(codec.decode(codes), X)


def test_tabular_codec_scales_per_feature_and_keeps_constants():
    X = np.array([[1.0, 5.0, -3.0], [3.0, 5.0, 7.0], [2.0, 5.0, 2.0]])
    codec = DataCodec(per_feature=True).fit(X)
    codes = codec.encode(X)
    np.testing.assert_allclose(codes[:, 0], [-1, 1, 0])
    np.testing.assert_allclose(codes[:, 1], [-1, -1, -1])
    np.testing.assert_allclose(codec.decode(codes), X)


def test_decode_clips_to_observed_range_and_rounds_integers():
    X = np.array([[0, 10], [4, 20]], dtype=np.int32)
    codec = DataCodec(per_feature=True).fit(X)
    decoded = codec.decode(np.array([[5.0, -7.0], [0.35, 0.34]]))
    assert decoded.dtype == np.int32
    # 0.35 decodes to 2.7 and 0.34 to 16.7: rounded up, where truncation would give 2 and 16.
    np.testing.assert_array_equal(decoded, [[4, 10], [3, 17]])


def test_integer_feature_mask_rounds_only_those_features():
    X = np.array([[0.0, 0.0], [3.0, 1.0]])
    codec = DataCodec(per_feature=True, integer_features=[True, False]).fit(X)
    decoded = codec.decode(np.array([[0.1, 0.1]]))
    assert decoded[0, 0] == 2.0
    assert decoded[0, 1] == pytest.approx(0.55)


@pytest.mark.parametrize(
    "array_shape, expected_shape, channels_last",
    [
        ((5, 8, 8), (1, 8, 8), False),
        ((5, 8, 8, 3), (3, 8, 8), True),
        ((5, 3, 8, 8), (3, 8, 8), False),
        ((5, 28, 28, 1), (1, 28, 28), True),
    ],
)
def test_layout_inference(array_shape, expected_shape, channels_last):
    layout = ImageLayout.infer(array_shape)
    assert layout.image_shape == expected_shape
    assert layout.channels_last == channels_last


def test_layout_round_trip_is_exact_and_channels_first():
    images = np.arange(2 * 4 * 5 * 3).reshape(2, 4, 5, 3)
    layout = ImageLayout.infer(images.shape)
    rows = layout.to_rows(images)
    np.testing.assert_array_equal(rows[0, :20], images[0, :, :, 0].ravel())
    np.testing.assert_array_equal(layout.from_rows(rows), images)


def test_image_shape_is_normalised():
    assert normalize_image_shape((8, 8)) == (1, 8, 8)
    assert normalize_image_shape([3, 4, 5]) == (3, 4, 5)
    with pytest.raises(ValueError, match="image_shape must be"):
        normalize_image_shape((0, 4, 4))
    with pytest.raises(ValueError, match="image_shape must be"):
        normalize_image_shape(5)
