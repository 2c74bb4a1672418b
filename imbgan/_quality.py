"""Measures of generated-image quality, per class (section 5.1 of the BAGAN paper).

Re-exported, and documented, in :mod:`imbgan.metrics`; the SSIM they rest on is
:mod:`imbgan._ssim`.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils import check_random_state

from ._ssim import _as_2d, _make_ssim


def generated_accuracy(classifier, X_generated, y_generated):
    """Per class, the fraction of generated samples that a classifier recognises as their class.

    Parameters
    ----------
    classifier : fitted classifier
        Trained on real data (BAGAN's paper trains it on the whole data set, before any row is
        dropped), with a ``predict`` method.
    X_generated : array-like of shape (n_samples, n_features)
        Generated samples.
    y_generated : array-like of shape (n_samples,)
        The class each sample was generated for.

    Returns
    -------
    accuracy : dict
        ``{class: fraction}`` for every class present in ``y_generated``, in sorted order.
    """
    y_generated = np.asarray(y_generated)
    if len(y_generated) == 0:
        return {}
    predicted = np.asarray(classifier.predict(X_generated))
    return {
        label: float(np.mean(predicted[y_generated == label] == label))
        for label in np.unique(y_generated)
    }


def _random_pairs(n_samples, n_pairs, random_state):
    """Up to ``n_pairs`` index pairs (i, j), i != j, drawn without repeating an unordered pair."""
    rng = check_random_state(random_state)
    n_possible = n_samples * (n_samples - 1) // 2
    if n_possible <= n_pairs:
        first, second = np.triu_indices(n_samples, k=1)
        return first, second
    # Draw a few more than needed, then drop repeats: cheap and unbiased enough for an average.
    chosen = set()
    while len(chosen) < n_pairs:
        draws = rng.randint(0, n_samples, size=(2 * (n_pairs - len(chosen)), 2))
        for i, j in draws:
            if i != j:
                chosen.add((min(i, j), max(i, j)))
                if len(chosen) == n_pairs:
                    break
    pairs = np.array(sorted(chosen))
    return pairs[:, 0], pairs[:, 1]


def ssim_diversity(
    X, image_shape, *, data_range, n_pairs=500, random_state=None, win_size=None, backend="auto"
):
    """Mean SSIM between random pairs of samples (of one class): low means diverse.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Samples of a single class (generated or real), one flattened image per row.
    image_shape : tuple of int
        ``(channels, height, width)`` or ``(height, width)``.
    data_range : float
        Largest minus smallest possible pixel value; see :func:`ssim`.
    n_pairs : int, default=500
        Number of distinct pairs drawn at random; all pairs are used when there are fewer.
    random_state : int, RandomState instance or None, default=None
        Draws the pairs.
    win_size : int, optional
        SSIM window; see :func:`ssim`.
    backend : {"auto", "torch", "skimage"}, default="auto"
        SSIM implementation; see :func:`ssim`.

    Returns
    -------
    diversity : float
        Mean SSIM over the pairs; NaN when ``X`` holds fewer than two samples. Compare the value for
        generated samples with the value for real samples of the same class: a generator that
        collapsed to a few modes scores close to 1.
    """
    X = _as_2d(X, "X")
    if isinstance(n_pairs, bool) or not isinstance(n_pairs, numbers.Integral) or n_pairs < 1:
        raise ValueError(f"n_pairs must be a positive int; got {n_pairs!r}.")
    engine = _make_ssim(image_shape, X.shape[1], data_range, win_size, backend)
    if X.shape[0] < 2:
        return float("nan")
    first, second = _random_pairs(X.shape[0], int(n_pairs), random_state)
    return float(np.mean(engine.paired(X[first], X[second])))


def _subsample(X, max_samples, rng):
    if max_samples is None or X.shape[0] <= max_samples:
        return X
    return X[np.sort(rng.choice(X.shape[0], size=max_samples, replace=False))]


def ssim_novelty(
    X_generated,
    X_real,
    image_shape,
    *,
    data_range,
    neighbour="ssim",
    exclude_identical=False,
    max_samples=200,
    max_reference=2000,
    random_state=None,
    win_size=None,
    backend="auto",
):
    """Mean SSIM between each generated sample and its nearest real sample: high means copying.

    Parameters
    ----------
    X_generated : array-like of shape (n_generated, n_features)
        Generated samples of one class.
    X_real : array-like of shape (n_real, n_features)
        Real samples of the same class.
    image_shape : tuple of int
        ``(channels, height, width)`` or ``(height, width)``.
    data_range : float
        Largest minus smallest possible pixel value; see :func:`ssim`.
    neighbour : {"ssim", "euclidean"}, default="ssim"
        How the nearest real sample is chosen. ``"ssim"`` (the default, as in BAGAN's paper)
        takes the real sample with the highest SSIM, the exact nearest by SSIM; ``"euclidean"``
        takes the nearest real sample in pixel distance and reports its SSIM, which is cheaper
        with the scikit-image backend but can miss the most similar image.
    exclude_identical : bool, default=False
        Never pair a row with itself. Pass True with ``X_generated`` and ``X_real`` the same
        array to get the real-to-nearest-*other*-real reference value.
    max_samples : int or None, default=200
        At most this many query samples (drawn at random) are evaluated.
    max_reference : int or None, default=2000
        At most this many real samples (drawn at random) are searched.
    random_state : int, RandomState instance or None, default=None
        Draws the subsets.
    win_size : int, optional
        SSIM window; see :func:`ssim`.
    backend : {"auto", "torch", "skimage"}, default="auto"
        SSIM implementation; see :func:`ssim`.

    Returns
    -------
    novelty : float
        Mean SSIM to the nearest real sample; NaN when there is nothing to compare. The BAGAN paper
        compares it with the same quantity for real samples: ideally a generated image differs from
        the real ones as much as a real image differs from its nearest other real image.
    """
    if neighbour not in ("ssim", "euclidean"):
        raise ValueError(f"neighbour must be 'ssim' or 'euclidean'; got {neighbour!r}.")
    X_generated, X_real = _as_2d(X_generated, "X_generated"), _as_2d(X_real, "X_real")
    if X_generated.shape[1] != X_real.shape[1]:
        raise ValueError(
            f"X_generated has {X_generated.shape[1]} features but X_real has {X_real.shape[1]}."
        )
    rng = check_random_state(random_state)
    if exclude_identical:
        # Queries and references are the same rows: search a subset of them and query a subset of
        # that subset, remembering which reference each query is so that it can be skipped.
        if X_generated is not X_real and not np.array_equal(X_generated, X_real):
            raise ValueError(
                "exclude_identical=True measures real samples against the other real samples: "
                "pass the same array as X_generated and X_real."
            )
        references = _subsample(X_real, max_reference, rng)
        n_queries = len(references) if max_samples is None else min(max_samples, len(references))
        query_positions = np.sort(rng.permutation(len(references))[:n_queries])
        queries = references[query_positions]
    else:
        queries = _subsample(X_generated, max_samples, rng)
        references = _subsample(X_real, max_reference, rng)
    n_candidates = references.shape[0] - (1 if exclude_identical else 0)
    if queries.shape[0] == 0 or n_candidates < 1:
        return float("nan")
    engine = _make_ssim(image_shape, queries.shape[1], data_range, win_size, backend)
    query_rows = np.arange(queries.shape[0])

    if neighbour == "ssim":
        similarity = engine.cross(queries, references)
        if exclude_identical:
            similarity[query_rows, query_positions] = -np.inf
        return float(np.mean(similarity.max(axis=1)))

    queries64 = queries.astype(np.float64)
    references64 = references.astype(np.float64)
    distances = (
        (queries64**2).sum(axis=1)[:, np.newaxis]
        - 2 * queries64 @ references64.T
        + (references64**2).sum(axis=1)[np.newaxis]
    )
    if exclude_identical:
        distances[query_rows, query_positions] = np.inf
    nearest = references[np.argmin(distances, axis=1)]
    return float(np.mean(engine.paired(queries, nearest)))


def sample_quality_report(
    classifier,
    X_real,
    y_real,
    X_gen,
    y_gen,
    image_shape,
    *,
    data_range,
    n_pairs=500,
    max_samples=200,
    max_reference=2000,
    neighbour="ssim",
    random_state=None,
    win_size=None,
    backend="auto",
):
    """Per-class quality of generated images: accuracy, diversity and novelty, next to real data.

    Parameters
    ----------
    classifier : fitted classifier or None
        Trained on real data; judges whether generated samples look like their class. None
        leaves the accuracy column out (NaN).
    X_real : array-like of shape (n_real, n_features)
        Real samples (typically the training rows the sampler saw).
    y_real : array-like of shape (n_real,)
        Their labels.
    X_gen : array-like of shape (n_generated, n_features)
        Generated samples (for an imblearn sampler, the rows ``fit_resample`` appended after the
        original ones).
    y_gen : array-like of shape (n_generated,)
        The class each sample was generated for.
    image_shape : tuple of int
        ``(channels, height, width)`` or ``(height, width)``.
    data_range : float
        Largest minus smallest possible pixel value; see :func:`ssim`.
    n_pairs : int, default=500
        Pairs per class for the diversity measures.
    max_samples, max_reference : int or None, default=200, 2000
        Caps for the novelty measures; see :func:`ssim_novelty`.
    neighbour : {"ssim", "euclidean"}, default="ssim"
        How the nearest real sample is chosen; see :func:`ssim_novelty`.
    random_state : int, RandomState instance or None, default=None
        Draws pairs and subsets; an int makes the report reproducible.
    win_size : int, optional
        SSIM window; see :func:`ssim`.
    backend : {"auto", "torch", "skimage"}, default="auto"
        SSIM implementation; see :func:`ssim`.

    Returns
    -------
    rows : list of dict
        One dict per class that has generated samples, in sorted class order, with keys
        ``class``, ``n_real``, ``n_generated``, ``accuracy`` (fraction of generated samples the
        classifier assigns to their class), ``diversity_generated`` and ``diversity_real`` (mean
        SSIM of random pairs; lower is more diverse), ``novelty_generated`` (mean SSIM of a
        generated sample to its nearest real one) and ``novelty_real`` (mean SSIM of a real
        sample to its nearest other real one). Values that cannot be computed (for example the
        diversity of a single real sample) are NaN.

    Examples
    --------
    >>> import numpy as np
    >>> from imbgan.metrics import sample_quality_report
    >>> rng = np.random.RandomState(0)
    >>> X_real, y_real = rng.rand(20, 64), np.repeat([0, 1], 10)
    >>> X_gen, y_gen = rng.rand(6, 64), np.array([1] * 6)
    >>> rows = sample_quality_report(None, X_real, y_real, X_gen, y_gen, (8, 8),
    ...                              data_range=1.0, random_state=0)
    >>> [row["class"] for row in rows], rows[0]["n_generated"]
    ([1], 6)
    """
    X_real, X_gen = _as_2d(X_real, "X_real"), _as_2d(X_gen, "X_gen")
    y_real, y_gen = np.asarray(y_real), np.asarray(y_gen)
    if len(X_gen) == 0:
        return []
    # One seed per measure and class, all derived from random_state, so rows do not share draws.
    rng = check_random_state(random_state)
    accuracy = generated_accuracy(classifier, X_gen, y_gen) if classifier is not None else {}
    common = dict(
        image_shape=image_shape, data_range=data_range, win_size=win_size, backend=backend
    )
    rows = []
    for label in np.unique(y_gen):
        generated = X_gen[y_gen == label]
        real = X_real[y_real == label]
        seeds = rng.randint(np.iinfo(np.int32).max, size=4)
        rows.append(
            {
                "class": label.item() if hasattr(label, "item") else label,
                "n_real": int(len(real)),
                "n_generated": int(len(generated)),
                "accuracy": accuracy.get(label, float("nan")),
                "diversity_generated": ssim_diversity(
                    generated, n_pairs=n_pairs, random_state=seeds[0], **common
                ),
                "diversity_real": ssim_diversity(
                    real, n_pairs=n_pairs, random_state=seeds[1], **common
                ),
                "novelty_generated": ssim_novelty(
                    generated,
                    real,
                    neighbour=neighbour,
                    max_samples=max_samples,
                    max_reference=max_reference,
                    random_state=seeds[2],
                    **common,
                )
                if len(real)
                else float("nan"),
                "novelty_real": ssim_novelty(
                    real,
                    real,
                    neighbour=neighbour,
                    exclude_identical=True,
                    max_samples=max_samples,
                    max_reference=max_reference,
                    random_state=seeds[3],
                    **common,
                ),
            }
        )
    return rows
