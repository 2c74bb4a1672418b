import numpy as np
import pytest
import torch

from imbgan._data import (
    DataCodec,
    ImageLayout,
    TableLayout,
    normalize_image_shape,
    resampled_index,
)
from imbgan.nets import MLPGenerator, sample_categories


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


# ----------------------------------------------------------------------- mixed-type tables


def test_codec_one_hot_encodes_discrete_features_in_feature_order():
    # Feature 1 holds category indices of 3 categories.
    X = np.array([[0.0, 2.0, 5.0], [1.0, 0.0, 7.0], [0.5, 1.0, 6.0]])
    codec = DataCodec(per_feature=True, discrete_features={1: 3}).fit(X)
    assert codec.n_codes_ == 5 and codec.discrete_groups_ == ((1, 4),)
    codes = codec.encode(X)
    np.testing.assert_array_equal(codes[:, 1:4], [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    np.testing.assert_allclose(codes[:, [0, 4]], [[-1, -1], [1, 1], [0, 0]])
    np.testing.assert_array_equal(codec.decode(codes), X)
    # Decoding takes the largest code of the group.
    soft = codes.copy()
    soft[0, 1:4] = [0.3, 0.6, 0.1]
    assert codec.decode(soft)[0, 1] == 1.0


def test_table_layout_round_trips_a_mixed_frame_exactly():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "text": ["b", "a", "c", "a"],
            "cat": pd.Categorical([3, 1, 3, 2]),
            "flag": [True, False, False, True],
            "n": np.array([4, 1, 9, 2], dtype=np.int16),
            "x": [0.5, -1.0, 2.0, 0.0],
        }
    )
    layout = TableLayout().fit(frame)
    rows = layout.to_rows(frame)
    assert rows.dtype == np.float64
    np.testing.assert_array_equal(rows[:, 0], [1, 0, 2, 0])  # sorted categories a, b, c
    assert layout.discrete_sizes == {0: 3, 1: 3, 2: 2}
    assert layout.integer_features.tolist() == [False, False, False, True, False]
    pd.testing.assert_frame_equal(layout.from_rows(rows), frame)
    # Integers are rounded and clipped to the observed range.
    rows[0, 3] = 11.6
    assert layout.from_rows(rows)["n"].iloc[0] == 9


def test_generator_emits_a_distribution_per_discrete_column():
    torch.manual_seed(0)
    generator = MLPGenerator(4, 6, hidden=(8,), discrete_groups=((1, 4), (4, 6)))
    inputs = torch.randn(32, 4)
    soft = generator.train()(inputs)
    assert soft.shape == (32, 6)
    assert (soft[:, 1:] >= 0).all()
    torch.testing.assert_close(soft[:, 1:4].sum(1), torch.ones(32))
    torch.testing.assert_close(soft[:, 4:6].sum(1), torch.ones(32))
    assert soft[:, 0].abs().max() < 1
    with torch.no_grad():
        hard = generator.eval()(inputs)
    assert set(hard[:, 1:].unique().tolist()) == {0.0, 1.0}
    assert (hard[:, 1:4].sum(1) == 1).all() and (hard[:, 4:6].sum(1) == 1).all()


def test_sample_categories_draws_in_proportion_to_the_weights():
    torch.manual_seed(0)
    rows = torch.tensor([[0.5, 0.2, 0.8]]).repeat(4000, 1)
    drawn = sample_categories(rows, ((1, 3),))
    assert (drawn[:, 0] == 0.5).all()
    assert drawn[:, 2].mean().item() == pytest.approx(0.8, abs=0.03)


def test_resampled_index_continues_the_index():
    pd = pytest.importorskip("pandas")
    assert resampled_index(pd.RangeIndex(3), 2).equals(pd.RangeIndex(5))
    assert resampled_index(pd.Index([7, 3, 5]), 2).tolist() == [7, 3, 5, 8, 9]
    assert resampled_index(pd.Index(["a", "b"]), 2).tolist() == ["a", "b", 2, 3]


def test_mode_specific_codec_finds_the_modes_and_round_trips():
    rng = np.random.RandomState(0)
    bimodal = np.r_[rng.normal(0, 1, 300), rng.normal(20, 1, 100)]
    X = np.c_[bimodal, rng.randint(0, 3, 400)]
    codec = DataCodec(per_feature=True, discrete_features={1: 3}, mode_specific=True).fit(X)
    means, stds, weights = codec.modes_[0]
    assert len(means) == 2
    np.testing.assert_allclose(np.sort(means), [0, 20], atol=0.5)
    np.testing.assert_allclose(np.sort(weights), [0.25, 0.75], atol=0.02)
    # Feature 0: its value code, then its 2 mode codes; feature 1: 3 category codes.
    assert codec.n_codes_ == 6 and codec.discrete_groups_ == ((1, 3), (3, 6))
    codes = codec.encode(X)
    assert np.abs(codes[:, 0]).max() <= 0.99
    modes = codes[:, 1:3].argmax(1)
    assert (modes == (bimodal > 10)).all() or (modes == (bimodal <= 10)).all()
    np.testing.assert_allclose(codec.decode(codes), X, atol=1e-5)


def test_mode_specific_is_for_tables_only():
    with pytest.raises(ValueError, match="continuous_encoding='mode-specific' is for tables"):
        DataCodec(per_feature=False, mode_specific=True).fit(np.zeros((3, 4)))
