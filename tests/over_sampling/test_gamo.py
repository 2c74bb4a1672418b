"""GAMOSampler: counts, the convexity guarantee, tiny and large classes, the exposed classifier."""

import pickle

import numpy as np
import pytest
import torch
from scipy.spatial import Delaunay
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import StratifiedKFold, cross_val_score
from torch.utils.flop_counter import FlopCounterMode

from imbgan import GAMOSampler
from imbgan.over_sampling import _gamo, _gamo_nets
from imbgan.over_sampling._gamo_nets import ConvexGenerator, InstanceGenerationUnit

from .._samplers import FactoryRecorder

FAST = {"epochs": 3, "batch_size": 16, "latent_dim": 8, "random_state": 0}


def planar_classes(counts=(80, 25, 10), seed=0):
    """Three overlapping 2-D classes, so that a generator left free would leave the hulls."""
    rng = np.random.RandomState(seed)
    centers = np.array([[0.0, 0.0], [2.0, 1.0], [1.0, 2.5]])
    X = np.vstack([c + rng.normal(size=(n, 2)) for c, n in zip(centers, counts)])
    return X, np.repeat(np.arange(len(counts)), counts)


def test_counts_and_original_rows_first(blobs):
    X, y = blobs
    sampler = GAMOSampler(**FAST)
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [60, 60, 60]
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    assert sampler.sampling_strategy_ == {1: 48, 2: 56}
    # Every generated block carries its class, in the order of sampling_strategy_.
    assert y_res[len(y) :].tolist() == [1] * 48 + [2] * 56


def test_dict_strategy_gives_exact_counts_and_no_unit_for_zero(blobs):
    X, y = blobs
    sampler = GAMOSampler(sampling_strategy={0: 60, 1: 30, 2: 4}, **FAST)
    _, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [60, 30, 4]
    # Only the class that receives new rows has an instance generation unit.
    assert sampler.generator_.unit_classes == [1]
    with pytest.raises(ValueError, match="no instance generation unit"):
        sampler.generate([2])


def test_mixing_weights_are_convex(blobs):
    X, y = blobs
    sampler = GAMOSampler(**FAST)
    sampler.fit_resample(X, y)
    generator = sampler.generator_.eval()
    for class_index, n_rows in [(1, 12), (2, 4)]:
        with torch.no_grad():
            latent = torch.randn(200, 8, device=sampler.device_)
            weights = generator.mixing_weights(latent, class_index).cpu()
        assert weights.shape == (200, n_rows)
        assert (weights >= 0).all()
        torch.testing.assert_close(weights.sum(dim=1), torch.ones(200))


def test_anchor_weights_are_convex_and_zero_off_the_anchors(blobs):
    X, y = blobs  # class 1 has 12 rows: 5 anchors are a subset of them
    sampler = GAMOSampler(**FAST, n_anchors=5)
    sampler.fit_resample(X, y)
    generator = sampler.generator_.eval()
    with torch.no_grad():
        latent = torch.randn(40, 8, device=sampler.device_)
        weights = generator.mixing_weights(latent, 1).cpu()
    assert weights.shape == (40, 12)
    assert (weights >= 0).all() and ((weights > 0).sum(dim=1) <= 5).all()
    torch.testing.assert_close(weights.sum(dim=1), torch.ones(40))
    # Groups of batch_size (16) samples share a draw: 40 samples make 3 groups, not all alike.
    supports = {tuple(row.nonzero().squeeze(1).tolist()) for row in weights}
    assert 2 <= len(supports) <= 3


@pytest.mark.parametrize(
    "options", [{}, {"loss": "ce"}, {"use_discriminator": False}, {"n_anchors": 4}]
)
def test_generated_rows_lie_in_their_class_hull(options):
    X, y = planar_classes()
    sampler = GAMOSampler(**{**FAST, "epochs": 10}, **options)
    sampler.fit_resample(X, y)
    for label in (1, 2):
        own = X[y == label]
        new = sampler.generate(np.full(300, label), random_state=0)
        span = own.max(axis=0) - own.min(axis=0)
        assert (new >= own.min(axis=0) - 1e-5 * span).all()
        assert (new <= own.max(axis=0) + 1e-5 * span).all()
        # Inside the convex hull of the class's own rows (not merely inside its bounding box);
        # the tolerance covers float32 arithmetic.
        assert (Delaunay(own).find_simplex(new, bruteforce=True, tol=1e-5) >= 0).all()


def test_hull_check_would_catch_points_outside():
    # The check above is not vacuous: points of another class fall outside a class's hull.
    X, y = planar_classes()
    outside = Delaunay(X[y == 2]).find_simplex(X[y == 0], bruteforce=True, tol=1e-5) < 0
    assert outside.mean() > 0.5


def test_integer_images_stay_in_the_per_pixel_class_range(tiny_images):
    images, y = tiny_images
    sampler = GAMOSampler(**FAST)
    images_res, y_res = sampler.fit_resample(images, y)
    assert images_res.shape == (60, 6, 6) and images_res.dtype == np.uint8
    new = images_res[len(images) :]
    own = images[y == 1]
    # Rounding a convex combination of integers cannot leave the integer range of the class.
    assert (new >= own.min(axis=0)).all() and (new <= own.max(axis=0)).all()


def test_one_sample_class_reproduces_its_sample(blobs):
    X, y = blobs
    X, y = np.vstack([X, [[3.0, -2.0, 1.0, 5.0]]]), np.append(y, 3)
    sampler = GAMOSampler(**FAST)
    X_res, y_res = sampler.fit_resample(X, y)
    new = X_res[len(X) :][y_res[len(y) :] == 3]
    assert len(new) == 59
    np.testing.assert_allclose(new, np.tile([3.0, -2.0, 1.0, 5.0], (59, 1)), rtol=1e-6)


def test_determinism_and_seed_dependence(blobs):
    X, y = blobs
    first, _ = GAMOSampler(**FAST).fit_resample(X, y)
    second, _ = GAMOSampler(**FAST).fit_resample(X, y)
    other, _ = GAMOSampler(**{**FAST, "random_state": 1}).fit_resample(X, y)
    np.testing.assert_array_equal(first, second)
    assert not np.allclose(first[len(X) :], other[len(X) :])


def test_label_draws_follow_section_3_5(blobs, monkeypatch):
    X, y = blobs  # 60 / 12 / 4 rows: classes 1 and 2 need 48 and 56 new rows
    drawn = {"fake": [], "generator": []}
    fake_draw = GAMOSampler._draw_fake_counts
    generator_draw = GAMOSampler._draw_generator_counts

    def record_fake(self, n):
        counts = fake_draw(self, n)
        assert sum(counts) == n
        drawn["fake"].append(dict(zip(self._unit_classes, counts)))
        return counts

    def record_generator(self, n):
        counts = generator_draw(self, n)
        assert sum(counts) == n
        drawn["generator"].append(dict(zip(self._unit_classes, counts)))
        return counts

    monkeypatch.setattr(GAMOSampler, "_draw_fake_counts", record_fake)
    monkeypatch.setattr(GAMOSampler, "_draw_generator_counts", record_generator)
    GAMOSampler(**{**FAST, "epochs": 25}).fit_resample(X, y)

    def totals(draws):
        return np.array([sum(d.get(k, 0) for d in draws) for k in range(3)], dtype=float)

    fake, generator = totals(drawn["fake"]), totals(drawn["generator"])
    # M and D: proportional to n_max - n_i; the majority class is never generated.
    assert fake[0] == 0 and fake[1:] / fake.sum() == pytest.approx([48 / 104, 56 / 104], abs=0.04)
    # G: uniform over the oversampled classes.
    assert generator[0] == 0 and generator[1:] / generator.sum() == pytest.approx(
        [0.5, 0.5], abs=0.04
    )


def test_grouped_generation_matches_labelled_generation(blobs):
    X, y = blobs
    sampler = GAMOSampler(**FAST)
    sampler.fit_resample(X, y)
    generator = sampler.generator_
    latent = torch.randn(7, FAST["latent_dim"], device=sampler.device_)
    with torch.no_grad():
        grouped, labels = generator.forward_grouped(latent, [3, 4])
        by_label = generator(latent, labels)
    assert labels.tolist() == [1, 1, 1, 2, 2, 2, 2]
    torch.testing.assert_close(grouped.cpu(), by_label.cpu())


def test_without_discriminator_is_the_ablation(blobs):
    X, y = blobs
    sampler = GAMOSampler(use_discriminator=False, **FAST)
    sampler.fit_resample(X, y)
    assert sampler.discriminator_ is None
    assert set(sampler.history_) == {"classifier", "classifier_generated", "generator"}
    with_d = GAMOSampler(**FAST)
    with_d.fit_resample(X, y)
    assert "discriminator" in with_d.history_ and len(with_d.history_["generator"]) == 3


def test_balanced_data_trains_only_the_classifier():
    X, y = planar_classes(counts=(20, 20, 20))
    sampler = GAMOSampler(**FAST)
    X_res, _ = sampler.fit_resample(X, y)
    assert X_res.shape == X.shape
    assert sampler.generator_.unit_classes == []
    assert set(sampler.history_) == {"classifier"}


def test_pickle_round_trip(blobs):
    X, y = blobs
    sampler = GAMOSampler(**FAST)
    sampler.fit_resample(X, y)
    restored = pickle.loads(pickle.dumps(sampler))
    wanted = np.repeat([1, 2], 20)
    np.testing.assert_array_equal(
        restored.generate(wanted, random_state=3), sampler.generate(wanted, random_state=3)
    )
    np.testing.assert_array_equal(
        restored.classifier_.predict_proba(X), sampler.classifier_.predict_proba(X)
    )


def test_exposed_classifier_predicts_the_training_classes(blobs):
    X, y = blobs
    with pytest.raises(NotFittedError):
        GAMOSampler().classifier_  # noqa: B018 - the property access is what is tested
    sampler = GAMOSampler(**{**FAST, "epochs": 15})
    sampler.fit_resample(X, y)
    classifier = sampler.classifier_
    proba = classifier.predict_proba(X)
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(classifier.classes_, [0, 1, 2])
    # Well-separated blobs: M, trained on real and generated rows, must get them right.
    assert classifier.score(X, y) > 0.9
    with pytest.raises(ValueError, match="features"):
        classifier.predict(X[:, :3])


def test_exposed_classifier_is_a_scikit_learn_classifier(blobs):
    """clone(classifier_) is an unfitted copy whose fit trains a new GAMO: refitted with the
    same seed it predicts exactly as the original, and it cross-validates."""
    X, y = blobs
    sampler = GAMOSampler(**FAST)
    sampler.fit_resample(X, y)
    refitted = clone(sampler.classifier_)
    with pytest.raises(NotFittedError):
        refitted.predict(X)
    refitted.fit(X, y)
    assert refitted.sampler_ is not sampler and not hasattr(refitted.sampler, "classes_")
    np.testing.assert_array_equal(refitted.predict_proba(X), sampler.classifier_.predict_proba(X))
    scores = cross_val_score(refitted, X, y, cv=StratifiedKFold(2), scoring="balanced_accuracy")
    assert scores.shape == (2,) and np.all(scores > 0.5)


def test_exposed_classifier_takes_labels_and_images(tiny_images):
    images, y = tiny_images
    labels = np.where(y == 0, "left", "right")
    sampler = GAMOSampler(**{**FAST, "epochs": 20})
    sampler.fit_resample(images, labels)
    predicted = sampler.classifier_.predict(images)
    assert set(predicted) <= {"left", "right"}
    assert (predicted == labels).mean() > 0.8


def test_chunked_mixing_equals_one_pass(monkeypatch):
    torch.manual_seed(0)
    generator = ConvexGenerator(latent_dim=4, n_classes=2).eval()
    generator.add_instance_unit(1, torch.rand(1000, 3) * 2 - 1)
    latent, labels = torch.randn(50, 4), torch.ones(50, dtype=torch.long)
    with torch.no_grad():
        whole = generator(latent, labels)
        monkeypatch.setattr(_gamo_nets, "MAX_MIXING_ENTRIES", 3000)  # 3 samples per chunk
        chunked = generator(latent, labels)
    torch.testing.assert_close(chunked, whole)


def test_generator_for_a_class_of_tens_of_thousands_of_rows():
    # Memory is proportional to the rows: 50,000 weights per sample, never 50,000 x 50,000.
    torch.manual_seed(0)
    rows = torch.rand(50_000, 3) * 2 - 1
    generator = ConvexGenerator(latent_dim=4, n_classes=2).eval()
    generator.add_instance_unit(1, rows)
    with torch.no_grad():
        new = generator(torch.randn(500, 4), torch.ones(500, dtype=torch.long))
    assert new.shape == (500, 3)
    assert (new >= rows.min(dim=0).values - 1e-6).all()
    assert (new <= rows.max(dim=0).values + 1e-6).all()


def test_fit_with_a_large_minority_class():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(size=(3000, 2)), rng.normal(loc=3.0, size=(2500, 2))])
    y = np.repeat([0, 1], [3000, 2500])
    sampler = GAMOSampler(epochs=1, batch_size=512, latent_dim=8, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [3000, 3000]
    new, own = X_res[len(X) :], X[y == 1]
    assert (new >= own.min(axis=0) - 1e-5).all() and (new <= own.max(axis=0) + 1e-5).all()


@pytest.mark.parametrize(
    "options, message",
    [
        ({"loss": "lsgan"}, "loss"),
        ({"label_smoothing": 0.7}, "label_smoothing"),
        ({"use_discriminator": "yes"}, "use_discriminator"),
        ({"n_anchors": 0}, "n_anchors"),
    ],
)
def test_bad_parameters_are_named(blobs, options, message):
    X, y = blobs
    with pytest.raises(ValueError, match=message):
        GAMOSampler(**options).fit_resample(X, y)


def test_generate_follows_interleaved_labels(blobs):
    X, y = blobs  # well-separated classes: a row's nearest class mean tells its class
    sampler = GAMOSampler(**FAST)
    sampler.fit_resample(X, y)
    wanted = np.array([2, 1, 2, 1, 1, 2, 2])
    drawn = sampler.generate(wanted, random_state=0)
    means = np.stack([X[y == k].mean(axis=0) for k in range(3)])
    nearest = np.argmin(((drawn[:, None, :] - means[None]) ** 2).sum(axis=2), axis=1)
    assert nearest.tolist() == wanted.tolist()


def test_training_targets_follow_algorithm_1(blobs, monkeypatch):
    """M learns the true class of real and generated rows while G aims at 1 - one_hot (eqs. 4
    and 6); D learns real -> about 1 and generated -> about 0 while G aims at 1 (eqs. 5-6)."""
    X, y = blobs
    seen = {"classifier": [], "discriminator": []}
    classifier_errors = _gamo.GAMOSampler._classifier_errors
    discriminator_errors = _gamo.GAMOSampler._discriminator_errors

    def record_classifier(self, logits, targets):
        seen["classifier"].append(targets.detach().clone())
        return classifier_errors(self, logits, targets)

    def record_discriminator(self, scores, targets):
        seen["discriminator"].append(targets.detach().clone())
        return discriminator_errors(self, scores, targets)

    monkeypatch.setattr(_gamo.GAMOSampler, "_classifier_errors", record_classifier)
    monkeypatch.setattr(_gamo.GAMOSampler, "_discriminator_errors", record_discriminator)
    GAMOSampler(**{**FAST, "epochs": 1}).fit_resample(X, y)

    # Per step: one call for M and D on real + generated rows, then one each for G.
    m_step, g_against_m = seen["classifier"][0], seen["classifier"][1]
    assert ((m_step == 0) | (m_step == 1)).all() and (m_step.sum(dim=1) == 1).all()
    assert (g_against_m.sum(dim=1) == 2).all()  # 1 - one_hot over 3 classes
    d_step, g_against_d = seen["discriminator"][0], seen["discriminator"][1]
    half = len(d_step) // 2
    assert (d_step[:half] >= 0.9).all() and (d_step[half:] <= 0.1).all()
    assert (g_against_d == 1).all()


def test_a_step_updates_only_the_anchor_rows():
    torch.manual_seed(0)
    unit = InstanceGenerationUnit(8, torch.rand(100, 3), n_anchors=10)
    assert unit.draws_anchors
    unit(torch.randn(5, 8)).sum().backward()
    gradient = unit.logits.weight.grad
    assert gradient.is_sparse and gradient.coalesce().indices().shape[1] == 10
    small = InstanceGenerationUnit(8, torch.rand(10, 3), n_anchors=10)
    assert not small.draws_anchors  # a class of n_anchors rows or fewer mixes them all


def _two_classes(n_minority, n_majority=500):
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(size=(n_majority, 3)), rng.normal(loc=2.0, size=(n_minority, 3))])
    return X, np.repeat([0, 1], [n_majority, n_minority])


@pytest.mark.parametrize("n_anchors", [64, None])
def test_step_cost_does_not_grow_with_the_class(n_anchors, monkeypatch):
    """With anchors, every training step costs the same FLOPs for a class of 100 or 400
    rows; mixing every row (n_anchors=None, the paper) costs more for the larger class."""
    flops = []
    train_step = GAMOSampler._train_step

    def counted(self, real, labels):
        with FlopCounterMode(display=False) as counter:
            losses = train_step(self, real, labels)
        flops[-1].add(counter.get_total_flops())
        return losses

    monkeypatch.setattr(GAMOSampler, "_train_step", counted)
    for n_minority in (100, 400):  # 600 and 900 rows: batches of exactly 20 rows
        flops.append(set())
        sampler = GAMOSampler(**{**FAST, "batch_size": 20, "epochs": 1}, n_anchors=n_anchors)
        sampler.fit_resample(*_two_classes(n_minority))
    small, large = flops
    assert len(small) == 1 and len(large) == 1
    assert (small == large) == (n_anchors is not None)


def test_training_steps_create_their_tensors_on_the_device(blobs, monkeypatch):
    """Every tensor a step creates names the sampler's device, so none is made on the CPU to
    meet the networks on a GPU (host-side draws use the CPU on purpose and are not factories
    here: ``multinomial`` of the label shares)."""
    X, y = blobs
    recorder = FactoryRecorder()
    train_step = GAMOSampler._train_step

    def recorded(self, real, labels):
        with recorder:
            return train_step(self, real, labels)

    monkeypatch.setattr(GAMOSampler, "_train_step", recorded)
    sampler = GAMOSampler(**{**FAST, "epochs": 1}, n_anchors=3)
    sampler.fit_resample(X, y)
    assert {name for name, _ in recorder.made} >= {"full", "randn", "randperm", "rand"}
    assert recorder.off_device(sampler.device_) == set()
