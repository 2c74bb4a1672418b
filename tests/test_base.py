"""Behaviour shared by every sampler: counts, ordering, dtypes, layouts, determinism,
persistence, bad input and scikit-learn integration."""

import io
import os
import pickle
import subprocess
import sys
from collections import Counter

import joblib
import numpy as np
import pytest
import torch
from imblearn.pipeline import make_pipeline
from scipy import sparse
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate

from imbgan import CGANSampler, MirrorSampler, TrainingDivergedError
from imbgan.base import EpochOrder, deterministic_torch
from imbgan.nets import DataSpec

from ._samplers import FAST, FactoryRecorder, fast_gan_samplers, gan_sampler_classes

GAN_IDS = [cls.__name__ for cls in gan_sampler_classes()]


@pytest.fixture(params=fast_gan_samplers(), ids=GAN_IDS)
def gan_sampler(request):
    return request.param


def test_counts_and_original_rows_first(gan_sampler, blobs):
    X, y = blobs
    X_res, y_res = gan_sampler.fit_resample(X, y)
    assert Counter(y_res) == {0: 60, 1: 60, 2: 60}
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    assert gan_sampler.sampling_strategy_ == {1: 48, 2: 56}
    assert X_res.dtype == X.dtype


def test_declared_networks_are_every_module_the_sampler_holds(gan_sampler, blobs):
    """The engine moves, switches and pickles the networks named in ``_network_attributes``;
    a module left out of the declaration would stay behind on a device move."""
    X, y = blobs
    gan_sampler.fit_resample(X, y)
    held = {name for name, value in vars(gan_sampler).items() if isinstance(value, torch.nn.Module)}
    assert held and set(gan_sampler._modules()) == held


@pytest.mark.parametrize(
    "strategy, expected",
    [
        ("auto", {0: 60, 1: 60, 2: 60}),
        ("minority", {0: 60, 1: 12, 2: 60}),
        ("not majority", {0: 60, 1: 60, 2: 60}),
        ("all", {0: 60, 1: 60, 2: 60}),
        ({1: 20, 2: 9}, {0: 60, 1: 20, 2: 9}),
        (lambda y: {2: 30}, {0: 60, 1: 12, 2: 30}),
    ],
    ids=["auto", "minority", "not-majority", "all", "dict", "callable"],
)
def test_every_kind_of_sampling_strategy(strategy, expected, blobs):
    X, y = blobs
    _, y_res = CGANSampler(**FAST, sampling_strategy=strategy).fit_resample(X, y)
    assert Counter(y_res) == expected


def test_float_strategy_for_binary_data(blobs):
    X, y = blobs
    mask = y < 2
    _, y_res = CGANSampler(**FAST, sampling_strategy=0.5).fit_resample(X[mask], y[mask])
    assert Counter(y_res) == {0: 60, 1: 30}


def test_history_has_one_value_per_epoch(gan_sampler, blobs):
    X, y = blobs
    gan_sampler.fit_resample(X, y)
    assert gan_sampler.history_
    for values in gan_sampler.history_.values():
        assert all(np.isfinite(values))
    # Every loss of the main training phase (an autoencoder's pretraining aside) has one value
    # per epoch, whatever the method names its losses.
    main = {name: v for name, v in gan_sampler.history_.items() if name != "autoencoder"}
    assert main and all(len(values) == FAST["epochs"] for values in main.values())


def test_fitted_attributes(gan_sampler, blobs):
    X, y = blobs
    gan_sampler.fit_resample(X, y)
    assert gan_sampler.n_features_in_ == 4
    np.testing.assert_array_equal(gan_sampler.classes_, [0, 1, 2])
    np.testing.assert_array_equal(gan_sampler.class_counts_, [60, 12, 4])
    assert gan_sampler.image_shape_ is None
    assert gan_sampler.device_.type == ("cuda" if torch.cuda.is_available() else "cpu")


def test_same_int_random_state_same_output(gan_sampler, tiny_images):
    images, y = tiny_images
    first = gan_sampler.fit_resample(images, y)[0]
    second = gan_sampler.fit_resample(images, y)[0]
    np.testing.assert_array_equal(first, second)


def test_different_random_state_different_samples(blobs):
    X, y = blobs
    one, two = (
        CGANSampler(**{**FAST, "random_state": 1}),
        CGANSampler(**{**FAST, "random_state": 2}),
    )
    first, second = one.fit_resample(X, y)[0], two.fit_resample(X, y)[0]
    assert not np.array_equal(first[len(X) :], second[len(X) :])
    # The seed drives training too, not only the final draw.
    assert one.history_ != two.history_
    weights = [next(sampler.generator_.parameters()).detach() for sampler in (one, two)]
    assert not torch.equal(*weights)


def test_generate_gives_exact_counts_in_training_layout(gan_sampler, tiny_images):
    images, y = tiny_images
    gan_sampler.fit_resample(images, y)
    # The oversampled class only: GAMO can generate nothing else (it has no unit for class 0).
    wanted = np.array([1, 1, 1, 1, 1])
    new = gan_sampler.generate(wanted, random_state=0)
    assert new.shape == (5, 6, 6)
    assert new.dtype == np.uint8
    np.testing.assert_array_equal(new, gan_sampler.generate(wanted, random_state=0))


def test_generate_rejects_unknown_labels(blobs):
    X, y = blobs
    sampler = CGANSampler(**FAST)
    sampler.fit_resample(X, y)
    with pytest.raises(ValueError, match="not seen in fit_resample"):
        sampler.generate([0, 7])


def test_string_labels_keep_their_dtype(blobs):
    X, y = blobs
    labels = np.array(["cat", "dog", "emu"])[y]
    X_res, y_res = CGANSampler(**FAST).fit_resample(X, labels)
    assert y_res.dtype == labels.dtype
    assert Counter(y_res) == {"cat": 60, "dog": 60, "emu": 60}


def test_pandas_in_pandas_out_with_integer_columns_rounded(blobs):
    pd = pytest.importorskip("pandas")
    X, y = blobs
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    frame["count"] = np.arange(len(frame)) % 7
    X_res, y_res = CGANSampler(**FAST).fit_resample(frame, pd.Series(y, name="target"))
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list(frame.columns)
    assert isinstance(y_res, pd.Series) and y_res.name == "target"
    assert X_res["count"].dtype == frame["count"].dtype
    assert X_res["count"].between(0, 6).all()
    # imblearn would cast the generated floats back by truncation; the sampler rounds first.
    sampler = CGANSampler(**FAST)
    sampler.fit_resample(frame, y)
    assert sampler.codec_.round_mask_.tolist() == [False, False, False, False, True]


def test_float32_and_uint8_dtypes_are_kept(blobs):
    X, y = blobs
    X_res, _ = CGANSampler(**FAST).fit_resample(X.astype(np.float32), y)
    assert X_res.dtype == np.float32
    counts = np.abs(X * 20).astype(np.uint8)
    X_res, _ = CGANSampler(**FAST).fit_resample(counts, y)
    assert X_res.dtype == np.uint8
    new = X_res[len(X) :]
    assert new.min() >= counts.min() and new.max() <= counts.max()


def test_sparse_in_sparse_out(blobs):
    X, y = blobs
    X_res, _ = CGANSampler(**FAST).fit_resample(sparse.csr_matrix(X), y)
    assert sparse.issparse(X_res) and X_res.format == "csr"
    np.testing.assert_allclose(X_res[: len(X)].toarray(), X)


def test_lists_are_accepted(blobs):
    X, y = blobs
    X_res, y_res = CGANSampler(**FAST).fit_resample(X.tolist(), y.tolist())
    assert len(X_res) == len(y_res) == 180


@pytest.mark.parametrize(
    "layout", ["NHW", "NHWC", "NCHW", "flat"], ids=["n-h-w", "n-h-w-c", "n-c-h-w", "flat-rows"]
)
def test_image_layouts_round_trip(layout, tiny_images):
    images, y = tiny_images
    arrays = {
        "NHW": images,
        "NHWC": images[..., None].repeat(3, axis=-1),
        "NCHW": images[:, None].repeat(3, axis=1),
        "flat": images.reshape(len(images), -1),
    }
    X = arrays[layout]
    shape = (1, 6, 6) if layout == "flat" else None
    sampler = CGANSampler(**FAST, image_shape=shape)
    X_res, y_res = sampler.fit_resample(X, y)
    assert X_res.shape == (60, *X.shape[1:])
    np.testing.assert_array_equal(X_res[: len(X)], X)
    assert sampler.image_shape_ == {"NHW": (1, 6, 6), "flat": (1, 6, 6)}.get(layout, (3, 6, 6))


def test_image_shape_settles_ambiguous_layout():
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(20, 3, 5, 3)).astype(np.float32)  # both axes could be channels
    y = np.repeat([0, 1], [14, 6])
    sampler = CGANSampler(**FAST, image_shape=(3, 5, 3))
    X_res, _ = sampler.fit_resample(X, y)
    assert X_res.shape == (28, 3, 5, 3)


@pytest.mark.parametrize("side", [8, 13, 28])
def test_conv_networks_fit_any_image_size(side):
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(12, side, side)).astype(np.float32)
    y = np.repeat([0, 1], [8, 4])
    sampler = CGANSampler(**{**FAST, "epochs": 1})
    X_res, _ = sampler.fit_resample(X, y)
    assert X_res.shape == (16, side, side)


def _parameter_counts(sampler):
    return {
        name: sum(p.numel() for p in module.parameters())
        for name, module in sampler._modules().items()
    }


@pytest.mark.parametrize("data", ["tiny_images", "blobs"])
def test_network_width_scales_every_network(gan_sampler, data, request):
    X, y = request.getfixturevalue(data)
    counts = {}
    for width in (0.5, 1.0, 2.0):
        sampler = clone(gan_sampler).set_params(network_width=width)
        X_res, y_res = sampler.fit_resample(X, y)
        assert len(X_res) == len(X) + sum(sampler.sampling_strategy_.values())
        counts[width] = _parameter_counts(sampler)
    # Every trained network of every sampler gets narrower and wider with the multiplier
    # (BAGAN's latent_sampler_ holds statistics only, no weights).
    trained = [name for name, count in counts[1.0].items() if count > 0]
    assert trained
    for name in trained:
        assert counts[0.5][name] < counts[1.0][name] < counts[2.0][name], name


def test_network_width_keeps_at_least_one_channel(tiny_images):
    X, y = tiny_images
    sampler = CGANSampler(**FAST, network_width=0.001)
    X_res, _ = sampler.fit_resample(X, y)
    assert np.isfinite(X_res.astype(float)).all()
    convolutions = [m for m in sampler.generator_.modules() if isinstance(m, torch.nn.Conv2d)]
    assert min(m.in_channels for m in convolutions) == 1


def test_network_width_must_be_positive(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="network_width"):
        CGANSampler(**FAST, network_width=0).fit_resample(X, y)


def test_shuffled_epoch_order_is_a_permutation():
    labels = torch.as_tensor(np.repeat([0, 1], [96, 4]))
    order = EpochOrder(labels, "shuffle").draw()
    assert sorted(order.tolist()) == list(range(100))


def test_balanced_epoch_order_draws_every_class_equally_often():
    labels = torch.as_tensor(np.repeat([0, 1, 2], [90, 6, 4]))
    epoch_order = EpochOrder(labels, "balanced")
    torch.manual_seed(0)
    drawn = torch.cat([epoch_order.draw() for _ in range(30)])
    assert len(drawn) == 30 * 100
    shares = np.bincount(labels[drawn].numpy(), minlength=3) / len(drawn)
    np.testing.assert_allclose(shares, 1 / 3, atol=0.04)
    # Within a class every row is drawn, each about as often as the others.
    rare_rows = np.bincount(drawn[labels[drawn] == 2].numpy(), minlength=100)[96:]
    assert rare_rows.min() > 0.6 * rare_rows.mean()


@pytest.mark.parametrize(
    "batch_sampling, rare_share", [("shuffle", (0.05, 0.06)), ("balanced", (0.22, 0.45))]
)
def test_batch_sampling_sets_how_often_the_training_step_sees_a_rare_class(
    gan_sampler, blobs, batch_sampling, rare_share
):
    X, y = blobs  # class 2 is 4 rows of 76
    sampler = clone(gan_sampler).set_params(batch_sampling=batch_sampling, epochs=3)
    seen = []
    train_step = sampler._train_step

    def recording_step(real, labels):
        seen.append(labels.cpu().numpy())
        return train_step(real, labels)

    sampler._train_step = recording_step
    _, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res) == {0: 60, 1: 60, 2: 60}
    share = np.mean(np.concatenate(seen) == 2)
    assert rare_share[0] <= share <= rare_share[1], share


def test_batch_sampling_must_be_a_known_option(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="batch_sampling"):
        CGANSampler(**FAST, batch_sampling="weighted").fit_resample(X, y)


@pytest.mark.parametrize("shape", [(1, 1), (6, 1), (1, 9)])
def test_images_too_small_for_conv_networks_are_rejected(shape):
    X = np.random.RandomState(0).uniform(size=(12, *shape))
    y = np.repeat([0, 1], [8, 4])
    with pytest.raises(ValueError, match="too small for the convolutional networks"):
        CGANSampler(**{**FAST, "epochs": 1}).fit_resample(X, y)


def test_classes_of_one_to_five_samples_are_oversampled():
    rng = np.random.RandomState(0)
    counts = [40, 5, 2, 1]
    X = np.vstack([rng.normal(loc=3 * k, size=(n, 3)) for k, n in enumerate(counts)])
    y = np.repeat(np.arange(4), counts)
    for sampler in fast_gan_samplers():
        _, y_res = sampler.fit_resample(X, y)
        assert Counter(y_res) == {0: 40, 1: 40, 2: 40, 3: 40}, type(sampler).__name__


def test_pickle_and_joblib_round_trip(gan_sampler, blobs):
    X, y = blobs
    gan_sampler.fit_resample(X, y)
    expected = gan_sampler.generate([1, 2, 2], random_state=3)
    restored = pickle.loads(pickle.dumps(gan_sampler))
    np.testing.assert_array_equal(restored.generate([1, 2, 2], random_state=3), expected)
    buffer = io.BytesIO()
    joblib.dump(gan_sampler, buffer)
    buffer.seek(0)
    np.testing.assert_array_equal(joblib.load(buffer).generate([1, 2, 2], random_state=3), expected)


def test_pipeline_with_grid_search(blobs):
    X, y = blobs
    pipeline = make_pipeline(CGANSampler(**FAST), LogisticRegression(max_iter=200))
    search = GridSearchCV(
        pipeline,
        {"cgansampler__sampling_strategy": ["auto", "minority"]},
        cv=StratifiedKFold(n_splits=2, shuffle=True, random_state=0),
        scoring="balanced_accuracy",
    )
    search.fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert len(scores) == 2 and np.isfinite(scores).all()
    assert search.predict(X).shape == y.shape


def test_parallel_cross_validation_reproduces_the_serial_run(blobs):
    """The recipe of the user guide (devices page): the same torch thread count in the
    workers as in the serial run (1 here: conftest sets it for this process) gives the same
    fitted samplers, fold by fold."""
    X, y = blobs
    pipeline = make_pipeline(CGANSampler(**FAST), LogisticRegression(max_iter=200))
    cv = StratifiedKFold(n_splits=2, shuffle=True, random_state=0)
    assert torch.get_num_threads() == 1
    serial = cross_validate(pipeline, X, y, cv=cv, return_estimator=True)
    with joblib.parallel_config(backend="loky", inner_max_num_threads=1):
        parallel = cross_validate(pipeline, X, y, cv=cv, return_estimator=True, n_jobs=2)
    for one, other in zip(serial["estimator"], parallel["estimator"]):
        np.testing.assert_array_equal(
            one[0].generate([1, 2, 2], random_state=0), other[0].generate([1, 2, 2], random_state=0)
        )
    np.testing.assert_array_equal(serial["test_score"], parallel["test_score"])


# ----------------------------------------------------------------------- bad input


def test_one_class_is_rejected(blobs):
    X, _ = blobs
    with pytest.raises(ValueError, match="class"):
        CGANSampler(**FAST).fit_resample(X, np.zeros(len(X)))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_and_inf_are_rejected(bad, blobs):
    X, y = blobs
    X = X.copy()
    X[3, 1] = bad
    with pytest.raises(ValueError, match="NaN|infinity"):
        CGANSampler(**FAST).fit_resample(X, y)


def test_image_shape_not_matching_features_is_rejected(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match=r"image_shape=\(1, 3, 3\) describes 9 values"):
        CGANSampler(**FAST, image_shape=(1, 3, 3)).fit_resample(X, y)


def test_image_shape_not_matching_image_array_is_rejected(tiny_images):
    images, y = tiny_images
    with pytest.raises(ValueError, match="does not match an image array"):
        CGANSampler(**FAST, image_shape=(1, 5, 5)).fit_resample(images, y)


def test_unknown_channel_axis_asks_for_image_shape():
    X = np.zeros((10, 6, 7, 8))
    with pytest.raises(ValueError, match="pass image_shape"):
        CGANSampler(**FAST).fit_resample(X, np.repeat([0, 1], 5))


def test_strategy_asking_for_fewer_samples_is_rejected(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="greater or equal to the original"):
        CGANSampler(**FAST, sampling_strategy={1: 5}).fit_resample(X, y)


def test_bad_learning_rate_pair_is_rejected(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="learning_rate"):
        CGANSampler(**FAST, learning_rate=(1e-3,)).fit_resample(X, y)


def test_unavailable_device_is_rejected(blobs, monkeypatch):
    X, y = blobs
    monkeypatch.setattr("torch.cuda.is_available", lambda: False)
    with pytest.raises(ValueError, match="CUDA is not available"):
        CGANSampler(**FAST, device="cuda").fit_resample(X, y)
    with pytest.raises(ValueError, match="not a torch device"):
        CGANSampler(**FAST, device="gpu-please").fit_resample(X, y)


def test_divergence_stops_with_a_clear_error(blobs):
    X, y = blobs
    sampler = CGANSampler(**FAST, learning_rate=1e30, loss="wgan-gp")
    with pytest.raises(TrainingDivergedError, match="lower learning_rate"):
        sampler.fit_resample(X * 1e3, y)


class InfiniteLossSampler(CGANSampler):
    def _train_step(self, real, labels):
        return {"generator": torch.tensor(float("inf"))}


def test_an_infinite_loss_stops_training_too(blobs):
    X, y = blobs
    with pytest.raises(TrainingDivergedError, match="inf"):
        InfiniteLossSampler(**FAST).fit_resample(X, y)


def test_mirror_sampler_needs_images(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="works on images only"):
        MirrorSampler().fit_resample(X, y)


def test_auto_epochs_aim_at_a_number_of_training_steps():
    sampler = CGANSampler(epochs="auto", batch_size=16)
    sampler.spec_ = DataSpec(n_features=2, n_classes=2)
    steps = sampler._auto_training_steps
    assert sampler._resolve_epochs(76) == -(-steps // 4)  # 4 batches per epoch
    assert sampler._resolve_epochs(10) == steps  # one batch per epoch
    assert CGANSampler(epochs=7)._resolve_epochs(76) == 7


class FewStepsCGAN(CGANSampler):
    _auto_training_steps = 6
    _auto_reference_classes = 4


@pytest.mark.parametrize("n_classes, expected_steps", [(2, 6), (4, 6), (8, 12), (10, 15)])
def test_auto_epochs_grow_with_classes_beyond_the_reference(n_classes, expected_steps):
    rng = np.random.RandomState(0)
    y = np.repeat(np.arange(n_classes), 4)
    y[0] = 1  # an imbalance, so that something is generated
    X = rng.randn(len(y), 3) + y[:, None]
    # One batch per epoch, so the epochs run are the steps.
    sampler = FewStepsCGAN(epochs="auto", batch_size=len(y), random_state=0)
    sampler.fit_resample(X, y)
    assert sampler.n_epochs_ == expected_steps


def test_fitted_sampler_records_the_epochs_it_ran(blobs):
    X, y = blobs
    sampler = CGANSampler(**FAST)
    sampler.fit_resample(X, y)
    assert sampler.n_epochs_ == FAST["epochs"]


@pytest.mark.parametrize(
    "options",
    [
        {"minibatch_discrimination": True},
        {"conditioning": "features"},
        {"label_smoothing": 0.1, "loss": "bce"},
        {"loss": "wgan-gp", "n_critic": 2},
    ],
    ids=["minibatch-discrimination", "features-conditioning", "label-smoothing", "wgan-gp"],
)
def test_toolbox_options_train_on_images_and_tables(options, blobs, tiny_images):
    for X, y in (blobs, tiny_images):
        sampler = CGANSampler(**FAST, **options)
        X_res, y_res = sampler.fit_resample(X, y)
        assert len(X_res) == len(y_res) == len(np.unique(y)) * np.bincount(y).max()
        assert all(np.isfinite(v).all() for v in sampler.history_.values())


def test_a_sampler_saved_on_a_gpu_machine_loads_on_the_cpu(blobs, monkeypatch):
    X, y = blobs
    sampler = CGANSampler(**FAST, device="cpu")
    sampler.fit_resample(X, y)
    expected = sampler.generate([1, 2], random_state=0)
    # As if fitted on a GPU: the networks are pickled on the CPU either way, and loading on a
    # machine without CUDA falls back to the CPU. (The next test does it for real on a GPU.)
    sampler.device_ = torch.device("cuda")
    payload = pickle.dumps(sampler)
    monkeypatch.setattr("torch.cuda.is_available", lambda: False)
    restored = pickle.loads(payload)
    assert restored.device_.type == "cpu"
    np.testing.assert_array_equal(restored.generate([1, 2], random_state=0), expected)


#: Factories that a sampler's step calls on the host on purpose, without a device.
HOST_SIDE_FACTORIES = {
    # A host-side draw of the class whose rows the penalty uses (an int, not a tensor on a GPU).
    "DeepSMOTESampler": {"randint"},
    # Loss targets made on the host and moved with .to(scores): correct on a GPU, but a blocking
    # host-to-device copy in every step.
    "BAGANGPSampler": {"ones", "zeros"},
}


def test_training_steps_make_their_tensors_on_the_device(gan_sampler, blobs, tiny_images):
    """Every tensor a training step makes names the sampler's device, so that none is made on
    the CPU to meet the networks on a GPU (checked on any machine, CPU included)."""
    recorder = FactoryRecorder()
    sampler = clone(gan_sampler).set_params(epochs=1)
    train_step = sampler._train_step

    def recorded(real, labels):
        with recorder:
            return train_step(real, labels)

    sampler._train_step = recorded  # the engine calls self._train_step
    for X, y in (blobs, tiny_images):
        sampler.fit_resample(X, y)
    assert recorder.made, "the recorder saw no factory call"
    name = type(sampler).__name__
    assert recorder.off_device(sampler.device_) <= HOST_SIDE_FACTORIES.get(name, set())


LOAD_ON_THE_CPU = """
import pickle, sys
import numpy as np, torch

assert not torch.cuda.is_available()
with open(sys.argv[1], "rb") as file:
    sampler = pickle.load(file)
assert sampler.device_.type == "cpu"
assert all(t.device.type == "cpu" for t in sampler.generator_.state_dict().values())
probe = np.load(sys.argv[2])
with torch.no_grad():
    out = sampler.generator_(torch.as_tensor(probe["latent"]), torch.as_tensor(probe["labels"]))
np.testing.assert_allclose(out.numpy(), probe["output"], rtol=1e-4, atol=1e-5)
new = sampler.generate([1, 2, 2], random_state=0)
assert new.shape == (3, 4) and np.isfinite(new).all()
np.testing.assert_array_equal(new, sampler.generate([1, 2, 2], random_state=0))
"""


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU to save from")
def test_a_sampler_fitted_on_a_gpu_loads_in_a_cpu_only_process(blobs, tmp_path):
    X, y = blobs
    sampler = CGANSampler(**FAST, device="cuda")
    sampler.fit_resample(X, y)
    assert next(sampler.generator_.parameters()).device.type == "cuda"
    # The generator's output on fixed inputs, computed on the GPU, for the CPU process to match.
    latent = np.random.RandomState(0).normal(size=(5, FAST["latent_dim"])).astype(np.float32)
    labels = np.array([0, 1, 2, 1, 2])
    with torch.no_grad():
        output = sampler.generator_(
            torch.as_tensor(latent, device="cuda"), torch.as_tensor(labels, device="cuda")
        )
    np.savez(tmp_path / "probe.npz", latent=latent, labels=labels, output=output.cpu().numpy())
    with open(tmp_path / "sampler.pkl", "wb") as file:
        pickle.dump(sampler, file)
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
    done = subprocess.run(
        [sys.executable, "-c", LOAD_ON_THE_CPU, tmp_path / "sampler.pkl", tmp_path / "probe.npz"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


def _determinism_settings():
    return (
        torch.are_deterministic_algorithms_enabled(),
        torch.is_deterministic_algorithms_warn_only_enabled(),
        torch.backends.cudnn.deterministic,
        torch.backends.cudnn.benchmark,
        os.environ.get("CUBLAS_WORKSPACE_CONFIG"),
    )


@pytest.fixture
def caller_settings(monkeypatch):
    """The caller's own determinism settings (restored after the test by monkeypatch)."""
    monkeypatch.setattr(torch.backends.cudnn, "deterministic", False)
    monkeypatch.setattr(torch.backends.cudnn, "benchmark", True)
    monkeypatch.delenv("CUBLAS_WORKSPACE_CONFIG", raising=False)
    before = _determinism_settings()
    yield before
    torch.use_deterministic_algorithms(False)


def test_deterministic_block_sets_and_restores_the_settings(caller_settings):
    with deterministic_torch():
        assert _determinism_settings() == (True, True, True, False, ":4096:8")
    assert _determinism_settings() == caller_settings
    with pytest.raises(KeyError), deterministic_torch():
        raise KeyError("restored after an error too")
    assert _determinism_settings() == caller_settings
    with deterministic_torch(enabled=False):
        assert _determinism_settings() == caller_settings


def test_deterministic_block_keeps_stricter_caller_settings(caller_settings, monkeypatch):
    monkeypatch.setenv("CUBLAS_WORKSPACE_CONFIG", ":16:8")
    torch.use_deterministic_algorithms(True)  # strict: errors, not warnings
    with deterministic_torch():
        assert _determinism_settings() == (True, False, True, False, ":16:8")
    assert _determinism_settings() == (True, False, False, True, ":16:8")
    monkeypatch.setenv("CUBLAS_WORKSPACE_CONFIG", ":0:0")  # not a deterministic setting
    with deterministic_torch():
        assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == ":4096:8"
    assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == ":0:0"


def test_a_fit_leaves_the_callers_settings_as_they_were(caller_settings, blobs, monkeypatch):
    X, y = blobs
    seen = []
    monkeypatch.setattr(
        CGANSampler, "_before_adversarial_training", lambda *_: seen.append(_determinism_settings())
    )
    sampler = CGANSampler(**FAST)
    sampler.fit_resample(X, y)
    assert _determinism_settings() == caller_settings
    # Inside the fit: deterministic kernels on a GPU; the caller's settings on the CPU.
    on_gpu = sampler.device_.type == "cuda"
    assert seen == [(True, True, True, False, ":4096:8") if on_gpu else caller_settings]


class LossRecorder:
    """A callback that keeps what it was called with; stops after ``stop_at`` epochs."""

    def __init__(self, stop_at=None):
        self.stop_at = stop_at
        self.calls = []

    def __call__(self, sampler, epoch, losses):
        self.calls.append((epoch, losses))
        return epoch == self.stop_at


def test_callbacks_see_every_adversarial_epoch(gan_sampler, blobs):
    X, y = blobs
    recorder = LossRecorder()
    sampler = gan_sampler.set_params(epochs=3, callbacks=[recorder])
    sampler.fit_resample(X, y)
    assert [epoch for epoch, _ in recorder.calls] == [1, 2, 3]
    for name, values in sampler.history_.items():
        seen = [losses[name] for _, losses in recorder.calls if name in losses]
        # The autoencoder's pretraining epochs are in history_ but are not adversarial epochs.
        assert seen == ([] if name == "autoencoder" else values)


def test_a_callback_can_stop_training_early(gan_sampler, blobs):
    X, y = blobs
    sampler = gan_sampler.set_params(epochs=5, callbacks=[LossRecorder(stop_at=2)])
    X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.n_epochs_ == 5
    main = {name: v for name, v in sampler.history_.items() if name != "autoencoder"}
    assert main and all(len(values) == 2 for values in main.values())
    assert Counter(y_res.tolist()) == {0: 60, 1: 60, 2: 60}
    assert all(not module.training for module in sampler._modules().values())


def test_every_callback_runs_even_after_one_asks_to_stop(blobs):
    X, y = blobs
    stopper, watcher = LossRecorder(stop_at=1), LossRecorder()
    sampler = CGANSampler(**{**FAST, "epochs": 4}, callbacks=[stopper, watcher])
    sampler.fit_resample(X, y)
    assert [epoch for epoch, _ in watcher.calls] == [1]
    assert len(sampler.history_["generator"]) == 1


def test_generating_inside_a_callback_leaves_training_unchanged(tiny_images):
    images, y = tiny_images
    plain, _ = CGANSampler(**FAST).fit_resample(images, y)
    peeks = []

    def peek(sampler, epoch, losses):
        peeks.append(sampler.generate([0, 1], random_state=epoch))

    watched, _ = CGANSampler(**FAST, callbacks=[peek]).fit_resample(images, y)
    assert len(peeks) == FAST["epochs"] and peeks[0].shape == (2, 6, 6)
    np.testing.assert_array_equal(watched, plain)


def test_callbacks_must_be_callables(blobs):
    X, y = blobs
    with pytest.raises(TypeError, match="list of callables"):
        CGANSampler(**FAST, callbacks=["stop"]).fit_resample(X, y)
    with pytest.raises(ValueError, match="callbacks"):
        CGANSampler(**FAST, callbacks=print).fit_resample(X, y)


def test_wgan_gp_refuses_minibatch_discrimination(blobs):
    X, y = blobs
    sampler = CGANSampler(**FAST, loss="wgan-gp", minibatch_discrimination=True)
    with pytest.raises(ValueError, match="per sample"):
        sampler.fit_resample(X, y)
