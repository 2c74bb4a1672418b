"""Plan the cells of a benchmark run, run each one, and collect their records.

A thin layer over scikit-learn's model selection: the protocol's splitter
(:mod:`imbgan.model_selection`, or :class:`~sklearn.model_selection.StratifiedKFold` for ``cv``)
draws the splits, each cell is one split scored the way
:func:`~sklearn.model_selection.cross_validate` scores it (with ``error_score`` handling and the
sampler's ``fit_resample`` timed on its own), joblib runs the cells, and pandas aggregates them
(:mod:`imbgan.benchmark._report`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import numbers
import signal
import threading
import time
import traceback
import warnings
from dataclasses import dataclass

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import recall_score
from sklearn.model_selection import StratifiedKFold
from sklearn.utils import _safe_indexing

from .._torch import limited_threads
from ..base import BaseGANSampler, resolve_device
from ..datasets import load_dataset
from ..metrics import acsa_score, gm_score, sample_quality_report
from ..model_selection import DropSplit, ImbalancedSplit
from ._classifiers import CLASSIFIER_NAMES, default_classifier, make_classifier
from ._samplers import (
    SAMPLER_NAMES,
    SamplerContext,
    builtin_sampler_specs,
    missing_imbgan_class,
)

PROTOCOLS = ("ir", "drop", "cv")

# Quality measures per cell: enough pairs and queries for a stable class mean on digits-sized
# data, few enough that quality adds seconds, not minutes, to a run.
_QUALITY_PAIRS = 300
_QUALITY_QUERIES = 100
_QUALITY_REFERENCES = 1000
# Generated examples kept per class for the PNG grid.
_GRID_EXAMPLES = 10
# Torch and BLAS threads per cell. Measured on 2 shared cores (digits, IR 10): an MLP fit took
# 2.3 s on one thread and 25 s on two; a 5-epoch CGANSampler 8 s against 37 s. Use --n-jobs to
# occupy more cores, one cell per core.
_DEFAULT_THREADS_PER_CELL = 1


@dataclass
class BenchmarkConfig:
    """Everything that defines a benchmark run; the command line fills one of these.

    Fields left at None take a default that depends on ``quick`` (see :func:`resolve_config`).

    Attributes
    ----------
    dataset : str
        ``"digits"``, ``"breast_cancer"``, ``"wine"``, or a path; see
        :func:`imbgan.datasets.load_dataset`.
    protocol : {"ir", "drop", "cv"}
        GAMO's imbalance-ratio split, BAGAN's drop split, or stratified k-fold on the data as is.
    imbalance_ratio : float
        ``ir`` protocol: largest over smallest training class.
    max_per_class, n_test_per_class : int or None
        ``ir`` protocol: see :func:`imbgan.datasets.make_imbalanced_split`.
    drop_fractions : tuple of float or None
        ``drop`` protocol: fractions of the minority class's training rows to drop; default
        (0.4, 0.8, 0.95), quick (0.8,).
    minority_classes : tuple or None
        ``drop`` protocol: the classes made minority in turn; default all, quick the first.
    test_size : float
        ``drop`` protocol: fraction of rows held out for testing.
    n_splits : int or None
        ``cv`` protocol: folds; default 5, quick 3.
    samplers : tuple of str or None
        Names from :data:`SAMPLER_NAMES` (or of extra specs); default every one that applies.
    classifier : str or tuple of str or None
        The fixed classifier(s) trained on the resampled data, from
        :data:`~imbgan.benchmark.CLASSIFIER_NAMES`; None: the CNN for image data, the MLP for
        tabular data. With several, each cell resamples once and
        scores the same resampled training set with every classifier (one record, and one
        table row, per classifier).
    seeds : tuple of int or None
        Default (0, 1, 2, 3, 4), quick (0, 1).
    n_jobs : int or None
        Cells run in parallel by joblib; None follows ``joblib.parallel_config`` (1 outside it).
    epochs, batch_size : int or None
        GAN sampler training; None keeps each sampler's default (quick: 5 epochs).
    device : str
        Torch device for GAN samplers and the CNN.
    quick : bool
        Small settings that check that everything runs (under a minute on digits).
    quality : bool
        Generated-sample quality per class (image data only).
    label_column : str or None
        CSV data sets: the label column (default the last).
    threads_per_cell : int or None
        Torch and BLAS threads inside each cell; default 1 (parallelism comes from ``n_jobs``).
    error_score : "raise" or float
        What a failing cell records, as in :func:`~sklearn.model_selection.cross_validate`: a
        number (default NaN) becomes its ACSA, GM and minority recall and the run goes on
        (NaN is left out of the means; another number is averaged in); ``"raise"`` stops the
        run with :class:`CellError`, raised from the cell's exception.
    """

    dataset: str = "digits"
    protocol: str = "ir"
    imbalance_ratio: float = 10.0
    max_per_class: int | None = None
    n_test_per_class: int | None = None
    drop_fractions: tuple | None = None
    minority_classes: tuple | None = None
    test_size: float = 0.2
    n_splits: int | None = None
    samplers: tuple | None = None
    classifier: str | tuple | None = None
    seeds: tuple | None = None
    n_jobs: int | None = None
    epochs: int | None = None
    batch_size: int | None = None
    device: str = "cpu"
    quick: bool = False
    quality: bool = False
    label_column: str | None = None
    threads_per_cell: int | None = None
    error_score: object = float("nan")


def resolve_config(config):
    """Fill the fields left at None with their (quick or full) defaults; returns a copy."""
    quick = config.quick
    defaults = {
        "drop_fractions": (0.8,) if quick else (0.4, 0.8, 0.95),
        "n_splits": 3 if quick else 5,
        "seeds": (0, 1) if quick else (0, 1, 2, 3, 4),
        # Full runs keep each sampler's own default number of epochs.
        "epochs": 5 if quick else None,
    }
    changes = {name: value for name, value in defaults.items() if getattr(config, name) is None}
    if config.classifier is not None:
        changes["classifier"] = _classifier_names(config.classifier)
    if config.protocol not in PROTOCOLS:
        raise ValueError(f"protocol must be one of {PROTOCOLS}; got {config.protocol!r}.")
    return dataclasses.replace(config, **changes)


def _classifier_names(classifier):
    """``classifier`` as a tuple of distinct names, in the order given."""
    names = (classifier,) if isinstance(classifier, str) else tuple(classifier)
    if not names:
        raise ValueError("Give at least one classifier.")
    unknown = [name for name in names if name not in CLASSIFIER_NAMES]
    if unknown:
        raise ValueError(f"Unknown classifier(s) {unknown}; choose from {CLASSIFIER_NAMES}.")
    return tuple(dict.fromkeys(names))


@dataclass
class BenchmarkData:
    """The loaded data set, with images scaled to [0, 1]; a table with text columns is a
    DataFrame."""

    X: object
    y: np.ndarray
    image_shape: tuple | None
    # SSIM's data_range: the scaled images span [0, 1].
    data_range: float | None


def prepare_data(config):
    """Load the data set; scale images to [0, 1] so that every sampler and classifier sees the
    same pixel range (digits come as 0-16, MNIST as 0-255)."""
    X, y, image_shape = load_dataset(config.dataset, label_column=config.label_column)
    if hasattr(X, "iloc"):  # a table with text columns stays a DataFrame
        return BenchmarkData(X, np.asarray(y), None, None)
    if image_shape is None:
        return BenchmarkData(np.asarray(X, dtype=np.float64), y, None, None)
    low, high = float(X.min()), float(X.max())
    scale = (high - low) or 1.0
    X = ((np.asarray(X, dtype=np.float32) - low) / scale).astype(np.float32)
    return BenchmarkData(X, y, image_shape, 1.0)


def _positive_int(value, name, minimum=1):
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum
    ):
        raise ValueError(f"{name} must be an int of at least {minimum}; got {value!r}.")


def _match_labels(typed, classes):
    """Labels typed by a user (on the command line: strings or ints) as the data's own labels.

    A typed value matches a class equal to it or whose text is the same (``"1"`` for the
    label 1, 1 for the label ``"1"``, ``"1.0"`` for 1.0).
    """
    matched = []
    for value in typed:
        hits = [label for label in classes if label == value or str(_plain(label)) == str(value)]
        if not hits:
            try:
                hits = [label for label in classes if float(str(value)) == float(label)]
            except (TypeError, ValueError):
                hits = []
        if not hits:
            raise ValueError(
                f"minority class {value!r} does not occur in the data; its classes are "
                f"{[_plain(label) for label in classes]}."
            )
        matched.append(_plain(hits[0]))
    return tuple(matched)


def _ir_splitter(config, seed):
    return ImbalancedSplit(
        config.imbalance_ratio,
        max_per_class=config.max_per_class,
        n_test_per_class=config.n_test_per_class,
        random_state=seed,
    )


def _realised_imbalance_ratio(config, data):
    """Largest over smallest training count that the ``ir`` split will actually use."""
    _, counts, _ = _ir_splitter(config, 0).class_counts(data.y)
    return counts.max() / counts.min(), counts


def validate_config(config, data):
    """Check a resolved configuration against the data before any cell runs.

    Bad settings raise ``ValueError`` here, once, instead of failing every cell the same way.
    Returns the configuration with ``minority_classes`` matched to the data's labels.
    """
    for name in ("epochs", "threads_per_cell"):
        _positive_int(getattr(config, name), f"--{name.replace('_', '-')}")
    _positive_int(config.batch_size, "--batch-size", minimum=2)
    if config.n_jobs == 0:
        raise ValueError("--n-jobs must not be 0 (use 1, a number of workers, or -1 for all).")
    if not (config.error_score == "raise" or isinstance(config.error_score, numbers.Real)):
        raise ValueError(f"error_score must be 'raise' or a number; got {config.error_score!r}.")
    seeds = list(config.seeds)
    for seed in seeds:
        _positive_int(seed, "every seed", minimum=0)
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"--seeds lists a seed twice ({seeds}); repeated cells add nothing.")
    resolve_device(config.device)
    classes, sizes = np.unique(data.y, return_counts=True)
    if len(classes) < 2:
        raise ValueError(f"The data set has a single class ({_plain(classes[0])!r}).")

    if config.protocol == "ir":
        if not config.imbalance_ratio >= 1:
            raise ValueError(f"--imbalance-ratio must be at least 1; got {config.imbalance_ratio}.")
        _positive_int(config.max_per_class, "--max-per-class")
        _positive_int(config.n_test_per_class, "--n-test-per-class")
        # The splitter raises for impossible counts; every seed has the same counts.
        realised, counts = _realised_imbalance_ratio(config, data)
        if realised == 1 and config.imbalance_ratio > 1:
            raise ValueError(
                f"The ir split gives every class {counts[0]} training rows: there is no imbalance "
                f"to correct. max_per_class defaults to half the smallest class "
                f"({sizes.min()} rows); pass --max-per-class (and --n-test-per-class) to set "
                "the counts."
            )
    elif config.protocol == "drop":
        for fraction in config.drop_fractions:
            if not 0 <= fraction < 1:
                raise ValueError(f"--drop fractions must be in [0, 1); got {fraction}.")
        if config.minority_classes is not None:
            config = dataclasses.replace(
                config, minority_classes=_match_labels(config.minority_classes, classes)
            )
    else:
        if not isinstance(config.n_splits, (int, np.integer)) or not (
            2 <= config.n_splits <= sizes.min()
        ):
            raise ValueError(
                f"--n-splits must be between 2 and the size of the smallest class "
                f"({sizes.min()}); got {config.n_splits}."
            )
    return config


def _setting_label(config, drop_fraction=None, realised_ratio=None):
    if config.protocol == "ir":
        label = f"IR={config.imbalance_ratio:g}"
        if realised_ratio is not None and not np.isclose(realised_ratio, config.imbalance_ratio):
            # Counts are rounded and at least 1, so the ratio used can differ from the one asked.
            label += f" (realised {realised_ratio:.3g})"
        return label
    if config.protocol == "drop":
        return f"drop={drop_fraction:g}"
    return f"{config.n_splits}-fold cv"


def _plain(value):
    """A numpy scalar as the Python value JSON and CSV writers understand."""
    return value.item() if isinstance(value, np.generic) else value


def protocol_splits(config, data):
    """Every split of a run, in table order, drawn from the protocol's splitter.

    ``ir``: one :class:`~imbgan.model_selection.ImbalancedSplit` split per seed. ``drop``: one
    :class:`~imbgan.model_selection.DropSplit` split per seed, drop fraction and minority class.
    ``cv``: the folds of a shuffled :class:`~sklearn.model_selection.StratifiedKFold` per seed.

    Parameters
    ----------
    config : BenchmarkConfig
        Resolved and validated.
    data : BenchmarkData
        The whole data set.

    Returns
    -------
    splits : list of tuple
        ``(keys, train, test, minority)``: the keys of the split's cells (``seed``, ``setting``
        and ``fold`` or ``drop_fraction`` and ``minority_class``), row indices, and the classes
        whose recall is the minority recall (the dropped class for ``drop``; every class smaller
        than the largest in the training rows otherwise).
    """
    y = data.y
    splits = []
    if config.protocol == "ir":
        realised = _realised_imbalance_ratio(config, data)[0]
        setting = _setting_label(config, realised_ratio=realised)
    for seed in config.seeds:
        if config.protocol == "ir":
            for train, test in _ir_splitter(config, seed).split(data.X, y):
                splits.append(({"seed": seed, "setting": setting}, train, test, None))
        elif config.protocol == "drop":
            minority_classes = config.minority_classes
            if minority_classes is None:
                classes = [_plain(label) for label in np.unique(y)]
                minority_classes = classes[:1] if config.quick else classes
            for fraction in config.drop_fractions:
                for minority_class in minority_classes:
                    splitter = DropSplit(
                        minority_class, fraction, test_size=config.test_size, random_state=seed
                    )
                    train, test = next(splitter.split(data.X, y))
                    keys = {
                        "seed": seed,
                        "setting": _setting_label(config, fraction),
                        "drop_fraction": fraction,
                        "minority_class": _plain(minority_class),
                    }
                    splits.append((keys, train, test, np.array([minority_class])))
        else:
            folds = StratifiedKFold(n_splits=config.n_splits, shuffle=True, random_state=seed)
            for fold, (train, test) in enumerate(folds.split(data.X, y)):
                keys = {"seed": seed, "setting": _setting_label(config), "fold": fold}
                splits.append((keys, train, test, None))
    finished = []
    for keys, train, test, minority in splits:
        if minority is None:
            classes, counts = np.unique(y[train], return_counts=True)
            minority = classes[counts < counts.max()]
        finished.append((keys, train, test, minority))
    return finished


def plan_cells(samplers, splits):
    """One cell per sampler and split, sampler-major, numbered in table order.

    Returns
    -------
    cells : list of tuple
        ``(cell, split)``: the cell's keys (``sampler``, ``cell`` and the split's keys) and the
        split from :func:`protocol_splits`.
    """
    cells = []
    for sampler in samplers:
        for split in splits:
            cells.append(({"sampler": sampler, **split[0], "cell": len(cells)}, split))
    return cells


def _take(X, rows):
    """Rows of an array or a DataFrame (by position; a DataFrame gets a fresh RangeIndex, so
    that samplers which append rows with a continued index see one)."""
    taken = _safe_indexing(X, rows)
    return taken.reset_index(drop=True) if hasattr(taken, "iloc") else taken


def run_cell(cell, split, spec, config, data, judge=None, keep_examples=False, threads=1):
    """Run one cell: resample its training rows once, train and score every classifier.

    Like :func:`sklearn.model_selection.cross_validate` for one split, with the sampler's
    ``fit_resample`` timed on its own and every classifier trained on the same resampled rows.

    Parameters
    ----------
    cell : dict
        The cell's keys, from :func:`plan_cells`.
    split : tuple
        ``(keys, train, test, minority)`` from :func:`protocol_splits`.
    spec : SamplerSpec
        Builds the cell's sampler.
    config : BenchmarkConfig
        Resolved configuration (``config.classifier`` a tuple of names).
    data : BenchmarkData
        The whole data set.
    judge : fitted classifier, optional
        Trained on all real data; judges generated samples when ``config.quality`` is set.
    keep_examples : bool, default=False
        Keep a few generated rows per class for the PNG grid.
    threads : int, default=1
        Torch and BLAS threads while the cell runs (restored afterwards).

    Returns
    -------
    records : list of dict
        One per classifier, in the order of ``config.classifier``: the cell's keys plus
        ``classifier``, ``status`` ("ok" or "failed"), ``error`` and ``traceback`` (failed
        records), ``acsa``, ``gm``, ``minority_recall`` (``config.error_score`` when failed),
        ``fit_time`` (seconds spent in ``fit_resample``, the same for every classifier of the
        cell), ``n_train``, ``n_generated``, ``recall_per_class``, ``notes``, ``quality``
        (per-class dicts, or None; first record only, as the samples are the same) and
        ``examples`` (generated rows per class for the PNG grid, or None; first record only).
        A sampler that fails fails every record of the cell; a classifier that fails fails its
        own record. With ``config.error_score="raise"`` the first failure is raised instead.

    Raises
    ------
    CellError
        Only with ``config.error_score="raise"``: the first failure, naming the cell, raised
        from the original exception (a ``RuntimeError``, so that it is never mistaken for the
        ``ValueError`` of a bad setting).
    """
    records = [_empty_record(cell, name) for name in config.classifier]
    _, train, test, minority = split
    # Small networks on small data gain nothing from threads, and on a shared machine
    # waiting threads made fits 4 to 14 times slower (see _DEFAULT_THREADS_PER_CELL).
    with limited_threads(threads, blas=True):
        with warnings.catch_warnings():
            # A small MLP that stops at max_iter is part of the fixed protocol, not news.
            warnings.simplefilter("ignore", category=ConvergenceWarning)
            X_train, y_train = _take(data.X, train), data.y[train]
            notes = []  # the sampler factory's remarks, shown in the table
            with _failures(records, config.error_score) as ok:
                X_res, y_res, fit_time, generated = _fit_resample(
                    spec, cell, config, data, (X_train, y_train), notes
                )
            for record in records:
                record["notes"] = list(notes)
            if not ok:
                return records
            shared = {"fit_time": fit_time, "n_train": len(y_train)}
            shared["n_generated"] = len(y_res) - len(y_train)
            X_test, y_test = _take(data.X, test), data.y[test]
            for record in records:
                record.update(shared)
                with _failures([record], config.error_score):
                    _score(record, spec, config, data, (X_res, y_res, X_test, y_test), minority)
            # fit_resample returns the original rows first, then the generated ones.
            new_rows = np.arange(len(y_train), len(y_res))
            if generated is not None:
                new_rows = new_rows[generated]
            X_new, y_new = _take(X_res, new_rows), y_res[new_rows]
            if config.quality and data.image_shape is not None and len(y_new):
                with _failures(records, config.error_score):
                    real, new = (X_train, y_train), (X_new, y_new)
                    records[0]["quality"] = _quality(judge, real, new, cell, data)
            if keep_examples and data.image_shape is not None and len(y_new):
                records[0]["examples"] = {
                    _plain(c): X_new[y_new == c][:_GRID_EXAMPLES] for c in np.unique(y_new)
                }
    return records


def _empty_record(cell, classifier):
    return {
        **cell,
        "classifier": classifier,
        "status": "ok",
        "error": "",
        "traceback": "",
        "acsa": np.nan,
        "gm": np.nan,
        "minority_recall": np.nan,
        "fit_time": np.nan,
        "n_train": 0,
        "n_generated": 0,
        "recall_per_class": {},
        "notes": [],
        "quality": None,
        "examples": None,
    }


class CellError(RuntimeError):
    """A cell failed under ``error_score="raise"``; the cell's own exception is its cause."""


class _failures:
    """Context manager: an exception marks ``records`` failed (the ``error_score`` way).

    ``with _failures(records, error_score) as ok:`` swallows the exception unless
    ``error_score == "raise"``; ``ok`` (a list, truthy while nothing failed) turns empty.
    """

    def __init__(self, records, error_score):
        self.records, self.error_score, self.ok = records, error_score, [True]

    def __enter__(self):
        return self.ok

    def __exit__(self, kind, exc, tb):
        if exc is None or not isinstance(exc, Exception):
            return False
        if self.error_score == "raise":
            first = self.records[0]
            where = f"{first['sampler']}, {first['setting']}, seed {first['seed']}"
            message = f"Cell {first['cell']} ({where}) failed: {type(exc).__name__}: {exc}"
            raise CellError(message) from exc
        self.ok.clear()
        for record in self.records:
            record.update(
                status="failed",
                error=f"{type(exc).__name__}: {exc}",
                traceback="".join(traceback.format_exception(kind, exc, tb)),
                acsa=float(self.error_score),
                gm=float(self.error_score),
                minority_recall=float(self.error_score),
            )
        return True


def _fit_resample(spec, cell, config, data, training, notes):
    """Build the cell's sampler and resample the training rows (timed; None: no resampling)."""
    X_train, y_train = training
    context = SamplerContext(
        seed=cell["seed"],
        y_train=y_train,
        image_shape=data.image_shape,
        epochs=config.epochs,
        batch_size=config.batch_size,
        device=config.device,
        notes=notes,
        X_train=X_train,
    )
    sampler = spec.factory(context)
    _warm_up(sampler, X_train, y_train)
    start = time.perf_counter()
    if sampler is None:
        X_res, y_res = X_train, y_train
    else:
        X_res, y_res = sampler.fit_resample(X_train, y_train)
    fit_time = time.perf_counter() - start
    if not hasattr(X_res, "iloc"):
        X_res = np.asarray(X_res)
    # Rows a GAN sampler copied from the training data (generated_share < 1, selection
    # shortfalls) are not generated samples: quality and example grids leave them out.
    copied_from = getattr(sampler, "copied_from_", None)
    generated = None if copied_from is None else np.asarray(copied_from) < 0
    return X_res, np.asarray(y_res), fit_time, generated


def _score(record, spec, config, data, arrays, minority):
    """Train ``record["classifier"]`` on the resampled rows and score it on the test rows."""
    X_res, y_res, X_test, y_test = arrays
    classifier = make_classifier(
        record["classifier"],
        record["seed"],
        data.image_shape,
        config.quick,
        config.device,
        X=X_res,
        balance=spec.balance,
    )
    classifier.fit(X_res, y_res)
    y_pred = classifier.predict(X_test)
    classes = np.unique(y_test)
    recalls = recall_score(y_test, y_pred, labels=classes, average=None, zero_division=0)
    record["recall_per_class"] = {str(_plain(c)): float(r) for c, r in zip(classes, recalls)}
    record["acsa"] = acsa_score(y_test, y_pred)
    record["gm"] = gm_score(y_test, y_pred)
    in_minority = np.isin(classes, minority)
    if in_minority.any():
        record["minority_recall"] = float(recalls[in_minority].mean())


def _quality(judge, real, new, cell, data):
    """Per-class quality of the generated rows ``new`` against the real training rows."""
    rows = sample_quality_report(
        judge,
        *real,
        *new,
        data.image_shape,
        data_range=data.data_range,
        n_pairs=_QUALITY_PAIRS,
        max_samples=_QUALITY_QUERIES,
        max_reference=_QUALITY_REFERENCES,
        random_state=cell["seed"],
    )
    return [{key: _plain(value) for key, value in row.items()} for row in rows]


# Sampler classes already warmed up in this process (see _warm_up).
_WARMED_UP = set()


def _warm_up(sampler, X, y):
    """Fit a one-epoch copy of a GAN sampler on a few rows, once per class and process.

    torch initialises its kernels on first use, which took about 1 s and landed in the fit time
    of whichever GAN cell a worker happened to run first.
    """
    if not isinstance(sampler, BaseGANSampler) or type(sampler) in _WARMED_UP:
        return
    _WARMED_UP.add(type(sampler))
    rows = np.concatenate([np.flatnonzero(y == label)[:4] for label in np.unique(y)])
    try:
        clone(sampler).set_params(epochs=1, verbose=False).fit_resample(X[rows], y[rows])
    except Exception:  # the timed fit that follows reports any real problem itself
        pass


@dataclass
class BenchmarkResult:
    """Everything a run produced.

    Attributes
    ----------
    config : BenchmarkConfig
        The resolved configuration.
    samplers : list of str
        Requested sampler names, in table order.
    skipped : dict
        ``{sampler: reason}`` for samplers that did not run (not exported, not applicable).
    records : list of dict
        One per cell and classifier, in plan order; see :func:`run_cell`.
    image_shape : tuple or None
        Of the data set.
    wall_time : float
        Seconds for the whole run.
    """

    config: BenchmarkConfig
    samplers: list
    skipped: dict
    records: list
    image_shape: tuple | None
    wall_time: float


def _skip_reason(spec, data, extra_samplers):
    """Why a sampler cannot run on this data set, or None."""
    if spec.images_only and data.image_shape is None:
        return "skipped: needs image data"
    if spec.skip_reason is not None:
        reason = spec.skip_reason(data.X, data.y, data.image_shape)
        if reason:
            return f"skipped: {reason}"
    if spec.name in (extra_samplers or {}):
        return None
    return missing_imbgan_class(spec.name)


def default_samplers(image_shape, specs=None, X=None, y=None):
    """Every sampler that applies to the data: all of them for images, all but the
    image-only ones (mirroring) for tabular data, and, when ``X`` and ``y`` are given, none
    whose ``skip_reason`` objects (``none-threshold`` needs two classes, ``smotenc``
    categorical columns)."""
    specs = specs or builtin_sampler_specs()
    names = [
        name
        for name in (*SAMPLER_NAMES, *(n for n in specs if n not in SAMPLER_NAMES))
        if name in specs and (image_shape is not None or not specs[name].images_only)
    ]
    if X is None or y is None:
        return names
    return [
        name
        for name in names
        if specs[name].skip_reason is None or not specs[name].skip_reason(X, y, image_shape)
    ]


def _fit_judge(config, data, threads):
    """The classifier that judges generated images with ``--quality`` (else None): the first
    classifier, trained on the whole data set before any row is dropped, as in BAGAN."""
    if not config.quality or data.image_shape is None:
        return None
    # The judge is fitted once, in the main process, with torch's own thread count.
    with limited_threads(threads, torch_threads=False, blas=True), warnings.catch_warnings():
        warnings.simplefilter("ignore", category=ConvergenceWarning)
        return make_classifier(
            config.classifier[0], 0, data.image_shape, config.quick, config.device
        ).fit(data.X, data.y)


def _collect(tasks, n_cells, n_jobs, progress):
    """Run the cells' tasks with joblib and gather their records, with a progress bar."""
    from tqdm.auto import tqdm

    records = []
    bar = tqdm(total=n_cells, desc="benchmark cells", unit="cell", disable=not progress)
    with bar, _sigterm_as_interrupt():
        results = _iterate_parallel(tasks, n_jobs)
        try:
            for cell_records in results:
                records.extend(cell_records)
                first = cell_records[0]
                bar.set_postfix_str(f"{first['sampler']} seed {first['seed']}: {first['status']}")
                bar.update(1)
        finally:
            # Ctrl-C, SIGTERM or error_score="raise": closing joblib's generator aborts the
            # cells still queued or running and stops the workers.
            if hasattr(results, "close"):
                results.close()
    return records


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """Treat SIGTERM like Ctrl-C while cells run, so that both stop the workers.

    Python's default SIGTERM ends the process at once, leaving worker processes to finish
    their cells; raising KeyboardInterrupt instead runs the same clean-up as Ctrl-C. Only in
    the main thread (signal handlers cannot be set elsewhere); the previous handler is restored.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _iterate_parallel(tasks, n_jobs):
    """Results as cells finish where the joblib backend allows it, else all at the end."""
    try:
        parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
    except ValueError:
        # Some backends (multiprocessing, older dask) cannot stream results.
        parallel = Parallel(n_jobs=n_jobs)
    return parallel(tasks)


def run_benchmark(config, *, extra_samplers=None, progress=True):
    """Run every cell of a benchmark and return the records.

    Parameters
    ----------
    config : BenchmarkConfig
        What to run; fields left at None are resolved by :func:`resolve_config`.
    extra_samplers : dict of str to SamplerSpec, optional
        More samplers (or replacements for built-in names), selectable in ``config.samplers``.
    progress : bool, default=True
        Show a tqdm progress bar over cells.

    Returns
    -------
    result : BenchmarkResult
        Summarise it with :func:`imbgan.benchmark.summarize` and write it with
        :func:`imbgan.benchmark.write_results`.
    """
    started = time.perf_counter()
    config = resolve_config(config)
    specs = {**builtin_sampler_specs(), **(extra_samplers or {})}
    data = prepare_data(config)
    if config.classifier is None:
        config = dataclasses.replace(config, classifier=(default_classifier(data.image_shape),))
    config = validate_config(config, data)
    requested = list(config.samplers or default_samplers(data.image_shape, specs, data.X, data.y))
    unknown = [name for name in requested if name not in specs]
    if unknown:
        raise ValueError(f"Unknown sampler(s) {unknown}; choose from {sorted(specs)}.")
    if "cnn" in config.classifier and data.image_shape is None:
        raise ValueError("The cnn classifier needs image data; this data set is tabular.")

    skipped = {}
    for name in requested:
        reason = _skip_reason(specs[name], data, extra_samplers)
        if reason:
            skipped[name] = reason
    runnable = [name for name in requested if name not in skipped]
    cells = plan_cells(runnable, protocol_splits(config, data))

    threads = config.threads_per_cell or _DEFAULT_THREADS_PER_CELL
    judge = _fit_judge(config, data, threads)
    first_seed = config.seeds[0]
    tasks = (
        delayed(run_cell)(
            cell,
            split,
            specs[cell["sampler"]],
            config,
            data,
            judge=judge,
            keep_examples=specs[cell["sampler"]].generates_images and cell["seed"] == first_seed,
            threads=threads,
        )
        for cell, split in cells
    )
    records = _collect(tasks, len(cells), config.n_jobs, progress)
    order = {name: index for index, name in enumerate(config.classifier)}
    records.sort(key=lambda record: (record["cell"], order[record["classifier"]]))
    return BenchmarkResult(
        config=dataclasses.replace(config, samplers=tuple(requested)),
        samplers=requested,
        skipped=skipped,
        records=records,
        image_shape=data.image_shape,
        wall_time=time.perf_counter() - started,
    )
