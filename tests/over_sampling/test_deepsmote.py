"""DeepSMOTESampler: autoencoder with the paper's penalty, SMOTE between latent codes."""

import pickle
from collections import Counter

import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn

from imbgan import DeepSMOTESampler
from imbgan.over_sampling._deepsmote import latent_neighbour_table, neighbour_codes

FAST = {"epochs": 2, "batch_size": 16, "latent_dim": 4, "random_state": 0}


@pytest.mark.parametrize("latent_space", ["autoencoder", "supervised"])
def test_tabular_counts_and_originals_first(blobs, latent_space):
    X, y = blobs
    sampling = "transfer" if latent_space == "supervised" else "smote"
    sampler = DeepSMOTESampler(**FAST, latent_space=latent_space, latent_sampling=sampling)
    X_res, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res) == {0: 60, 1: 60, 2: 60}
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    assert np.isfinite(X_res).all()
    assert (sampler.decoder_.embedding is None) == (latent_space == "autoencoder")
    assert set(sampler.history_) == {"reconstruction", "penalty"}
    assert len(sampler.history_["reconstruction"]) == 2


def test_image_array_counts_and_layout(tiny_images):
    images, y = tiny_images
    sampler = DeepSMOTESampler(**FAST, sampling_strategy={1: 16})
    X_res, y_res = sampler.fit_resample(images, y)
    assert X_res.shape == (len(images) + 10, 6, 6)
    assert X_res.dtype == images.dtype
    assert Counter(y_res[len(y) :]) == {1: 10}
    assert sampler.generate([0, 1, 1]).shape == (3, 6, 6)
    assert sampler.latent_codes_.shape == (len(images), 4)


@pytest.mark.parametrize("counts", [(40, 1), (40, 2, 5), (40, 1, 1)])
def test_tiny_classes(counts):
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(loc=3 * c, size=(n, 5)) for c, n in enumerate(counts)])
    y = np.repeat(np.arange(len(counts)), counts)
    sampler = DeepSMOTESampler(**FAST)
    X_res, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res) == dict.fromkeys(range(len(counts)), counts[0])
    assert np.isfinite(X_res).all()
    # k_neighbors=5 is lowered to the class size minus one.
    np.testing.assert_array_equal(sampler.k_neighbors_, [min(5, n - 1) for n in counts])


def test_single_sample_class_is_perturbed_by_singleton_noise():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(size=(30, 5)), rng.normal(loc=4, size=(1, 5))])
    y = np.repeat([0, 1], [30, 1])
    copies = DeepSMOTESampler(**FAST, singleton_noise=0.0, latent_sampling="smote")
    copies.fit_resample(X, y)
    new = copies.generate([1, 1, 1])
    # No noise: every sample decodes the one code.
    np.testing.assert_allclose(new, np.repeat(new[:1], 3, axis=0), rtol=1e-5, atol=1e-5)
    noisy = DeepSMOTESampler(**FAST, singleton_noise=0.5, latent_sampling="smote")
    noisy.fit_resample(X, y)
    new = noisy.generate([1, 1, 1])
    assert np.ptp(new, axis=0).max() > 1e-3


def test_neighbour_table_lowers_k_and_excludes_self():
    codes = np.array([[0.0], [1.0], [3.0], [10.0], [20.0], [10.5]])
    y_index = np.array([0, 0, 0, 1, 2, 1])
    members, neighbours = latent_neighbour_table(codes, y_index, 3, k_neighbors=5)
    np.testing.assert_array_equal(members[0], [0, 1, 2])
    assert neighbours[0].shape == (3, 2)
    np.testing.assert_array_equal(neighbours[0][:, 0], [1, 0, 1])  # nearest other row
    np.testing.assert_array_equal(neighbours[1], [[5], [3]])
    assert neighbours[2].shape == (1, 0)


def _spy_on_decoder(sampler):
    """Record the codes and labels of the decoder's next call."""
    captured = {}
    decode = sampler.decoder_.forward

    def spy(codes, labels):
        captured["codes"], captured["labels"] = codes.clone(), labels.clone()
        return decode(codes, labels)

    sampler.decoder_.forward = spy
    return captured


def _distance_to_nearest_neighbour_segment(point, sampler, y, label):
    """Distance from ``point`` to the nearest segment between a code of class ``label`` and
    the code of its first same-class neighbour."""
    codes = sampler.latent_codes_
    starts = codes[np.flatnonzero(y == label)]
    direction = codes[sampler.neighbors_[label][:, 0]] - starts
    t = np.clip(((point - starts) * direction).sum(1) / (direction**2).sum(1), 0, 1)
    return np.linalg.norm(starts + t[:, None] * direction - point, axis=1).min()


def _decoded_codes(blobs, labels, **params):
    """Fit on ``blobs``, generate ``labels`` and return the sampler and the codes and labels
    its decoder received."""
    sampler = DeepSMOTESampler(**FAST, **params)
    sampler.fit_resample(*blobs)
    captured = _spy_on_decoder(sampler)
    sampler.generate(labels, random_state=0)
    return sampler, captured["codes"].numpy(), captured["labels"].numpy()


def test_generated_codes_lie_between_same_class_neighbours(blobs):
    y = blobs[1]
    sampler, new, _ = _decoded_codes(blobs, [2] * 50, k_neighbors=1, latent_sampling="smote")
    # Each new code lies on a segment from a class-2 code to its one nearest class-2 code.
    for point in new:
        assert _distance_to_nearest_neighbour_segment(point, sampler, y, 2) < 1e-4


def test_transferred_codes_are_codes_of_other_classes(blobs):
    y, labels = blobs[1], [2] * 40 + [0] * 40
    sampler, new, decoded_as = _decoded_codes(blobs, labels, latent_sampling="transfer")
    np.testing.assert_array_equal(decoded_as, labels)
    codes = sampler.latent_codes_
    for code, label in zip(new, decoded_as):
        # Each code is exactly the code of a training row, and that row is of another class.
        donors = np.flatnonzero(np.all(codes == code, axis=1))
        assert len(donors) > 0
        assert (y[donors] != label).all()
    # Donors are drawn at random, not one code repeated.
    assert len(np.unique(new[decoded_as == 2], axis=0)) > 10


def test_mixed_codes_are_transferred_or_interpolated_in_about_equal_shares(blobs):
    y = blobs[1]
    sampler, new, _ = _decoded_codes(blobs, [2] * 200, k_neighbors=1, latent_sampling="mixed")
    transferred = interpolated = 0
    for point in new:
        donors = np.flatnonzero(np.all(sampler.latent_codes_ == point, axis=1))
        if len(donors) and (y[donors] != 2).all():
            transferred += 1
            continue
        # Otherwise the code lies on a segment from a class-2 code to its nearest class-2 code.
        assert _distance_to_nearest_neighbour_segment(point, sampler, y, 2) < 1e-4
        interpolated += 1
    assert 60 < transferred < 140 and transferred + interpolated == 200


def test_transfer_with_a_single_class_present_uses_its_own_codes(blobs):
    X, y = blobs
    sampler = DeepSMOTESampler(**FAST)
    sampler.fit_resample(X, y)
    codes = torch.as_tensor(sampler.latent_codes_)
    members = [np.arange(len(codes))]  # one class only: no other class to borrow from
    new = sampler._transferred_codes(codes, members, torch.zeros(5, dtype=torch.long))
    assert all(any(torch.equal(code, row) for row in codes) for code in new)


class Identity(nn.Module):
    def forward(self, rows, labels=None):
        return rows


def test_penalty_compares_decoded_permuted_codes_with_unpermuted_rows():
    """With an identity encoder and decoder the reconstruction is perfect; the paper's penalty
    is then the distance between each row and its neighbour in the permutation (the authors'
    script would compare each decoded code with its own row and give 0)."""
    sampler = DeepSMOTESampler(**FAST)
    sampler.encoder_, sampler.decoder_ = Identity(), Identity()
    real = torch.randn(8, 4)
    class_rows = torch.randn(5, 4)
    labels = torch.zeros(8, dtype=torch.long)
    reconstruction, penalty = sampler._losses(
        real, labels, class_rows, torch.ones(5, dtype=torch.long)
    )
    assert reconstruction.item() == 0.0
    expected = torch.mean((class_rows.roll(-1, 0) - class_rows) ** 2)
    assert penalty.item() == pytest.approx(expected.item())
    assert penalty.item() > 0.1


def test_neighbour_codes_has_no_fixed_points():
    codes = torch.arange(12.0).reshape(6, 2)
    moved = neighbour_codes(codes)
    assert not (moved == codes).all(dim=1).any()
    np.testing.assert_array_equal(moved[:5].numpy(), codes[1:].numpy())


def test_penalty_rows_come_from_one_class(blobs):
    X, y = blobs
    sampler = DeepSMOTESampler(**FAST)
    sampler.fit_resample(X, y)
    sampler._train_data = torch.as_tensor(np.arange(len(y), dtype=np.float32)[:, None])
    sampler._train_labels = torch.as_tensor(y)
    sampler._class_members = [torch.nonzero(sampler._train_labels == c).flatten() for c in range(3)]
    seen = set()
    for _ in range(30):
        rows, labels = sampler._penalty_rows(16)
        assert len(torch.unique(labels)) == 1
        c = int(labels[0])
        seen.add(c)
        assert len(rows) == min(16, int((y == c).sum()))
        assert len(torch.unique(rows)) == len(rows)  # without replacement
        np.testing.assert_array_equal(y[rows.flatten().long().numpy()], c)
    assert seen == {0, 1, 2}


def test_penalty_weight_zero_is_a_plain_autoencoder(blobs):
    X, y = blobs
    with_penalty = DeepSMOTESampler(**FAST).fit_resample(X, y)[0]
    without = DeepSMOTESampler(**FAST, penalty_weight=0.0).fit_resample(X, y)[0]
    assert not np.allclose(with_penalty[len(X) :], without[len(X) :])


def test_deterministic_picklable_and_callbacks(blobs):
    X, y = blobs
    first = DeepSMOTESampler(**FAST).fit_resample(X, y)[0]
    seen = []

    def look(sampler, epoch, losses):
        seen.append(sampler.generate([1, 2], random_state=0).shape)

    sampler = DeepSMOTESampler(**FAST, callbacks=[look])
    second = sampler.fit_resample(X, y)[0]
    # Generating inside a callback neither changes the result nor fails.
    np.testing.assert_array_equal(first, second)
    assert seen == [(2, 4), (2, 4)]
    sampler.callbacks = None
    restored = pickle.loads(pickle.dumps(sampler))
    np.testing.assert_array_equal(
        restored.generate([2, 0, 1], random_state=1), sampler.generate([2, 0, 1], random_state=1)
    )
    assert isinstance(restored.latent_codes_, np.ndarray)
    assert not any(isinstance(v, torch.Tensor) for v in vars(restored).values())


@pytest.mark.parametrize(
    "params, match",
    [
        ({"k_neighbors": 0}, "k_neighbors"),
        ({"latent_space": "pca"}, "latent_space"),
        ({"penalty_weight": -1.0}, "penalty_weight"),
        ({"singleton_noise": -0.1}, "singleton_noise"),
        ({"latent_sampling": "mixup"}, "latent_sampling"),
        ({"latent_space": "autoencoder"}, 'latent_space="supervised"'),
        ({"latent_space": "autoencoder", "latent_sampling": "mixed"}, "supervised"),
    ],
)
def test_bad_parameters(blobs, params, match):
    X, y = blobs
    with pytest.raises(ValueError, match=match):
        DeepSMOTESampler(**FAST, **params).fit_resample(X, y)


@pytest.mark.parametrize("data", ["blobs", "tiny_images"])
def test_decoder_statistics_match_the_final_codes(data, request):
    """Evaluation mode decodes the training codes as a training-mode pass over all of them."""
    X, y = request.getfixturevalue(data)
    sampler = DeepSMOTESampler(**FAST)
    sampler.fit_resample(X, y)
    codes = torch.as_tensor(sampler.latent_codes_)
    labels = torch.as_tensor(np.searchsorted(sampler.classes_, y))
    with torch.no_grad():
        evaluated = sampler.decoder_(codes, labels)
        sampler.decoder_.train()
        trained = sampler.decoder_(codes, labels)
    # Only the unbiased (running) against the biased (batch) variance differ.
    np.testing.assert_allclose(evaluated.numpy(), trained.numpy(), atol=0.05)


def test_engine_selection_and_generated_share(blobs):
    X, y = blobs
    sampler = DeepSMOTESampler(**FAST, selection="confidence", generated_share=0.5)
    X_res, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res) == {0: 60, 1: 60, 2: 60}
    assert set(sampler.selection_counts_["kept"]) == {1, 2}


def test_generator_ema_is_refused(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="generator_ema"):
        DeepSMOTESampler(**FAST, generator_ema=0.9).fit_resample(X, y)


def test_mixed_table_keeps_categories():
    rng = np.random.RandomState(0)
    n = 60
    y = np.repeat([0, 1], [50, 10])
    frame = pd.DataFrame(
        {
            "amount": rng.normal(size=n) + 3 * y,
            "colour": np.where(y == 1, rng.choice(["red", "blue"], n), "green"),
        }
    )
    X_res, y_res = DeepSMOTESampler(**FAST).fit_resample(frame, y)
    assert Counter(y_res) == {0: 50, 1: 50}
    assert set(X_res["colour"]) <= {"red", "blue", "green"}
