"""Plan the cells of a benchmark run, run each one, and collect their records."""

from __future__ import annotations

import dataclasses
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
from threadpoolctl import threadpool_limits

from ..base import BaseGANSampler, resolve_device
from ..datasets import load_dataset, make_drop_split, make_imbalanced_split
from ..model_selection import default_max_per_class, imbalanced_class_counts
from ..metrics import acsa_score, gm_score, sample_quality_report
from ._classifiers import CLASSIFIER_NAMES, make_classifier
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
    classifier : str or tuple of str
        The fixed classifier(s) trained on the resampled data, from
        :data:`~imbgan.benchmark.CLASSIFIER_NAMES`. With several, each cell resamples once and
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
    classifier: str | tuple = "mlp"
    seeds: tuple | None = None
    n_jobs: int | None = None
    epochs: int | None = None
    batch_size: int | None = None
    device: str = "cpu"
    quick: bool = False
    quality: bool = False
    label_column: str | None = None
    threads_per_cell: int | None = None


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
    """The loaded data set, with images scaled to [0, 1]."""

    X: np.ndarray
    y: np.ndarray
    image_shape: tuple | None
    # SSIM's data_range: the scaled images span [0, 1].
    data_range: float | None


def prepare_data(config):
    """Load the data set; scale images to [0, 1] so that every sampler and classifier sees the
    same pixel range (digits come as 0-16, MNIST as 0-255)."""
    X, y, image_shape = load_dataset(config.dataset, label_column=config.label_column)
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


def _realised_imbalance_ratio(config, data):
    """Largest over smallest training count that the ``ir`` split will actually use."""
    classes, sizes = np.unique(data.y, return_counts=True)
    max_per_class = config.max_per_class or default_max_per_class(sizes)
    counts = imbalanced_class_counts(len(classes), max_per_class, config.imbalance_ratio)
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
        # The split of the first seed raises for impossible counts; every seed has the same.
        make_imbalanced_split(
            data.X,
            data.y,
            imbalance_ratio=config.imbalance_ratio,
            max_per_class=config.max_per_class,
            n_test_per_class=config.n_test_per_class,
            random_state=0,
        )
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


def plan_cells(config, samplers, classes, realised_ratio=None):
    """One dict per (sampler, seed, protocol setting), in table order."""
    cells = []
    for sampler in samplers:
        for seed in config.seeds:
            if config.protocol == "ir":
                setting = _setting_label(config, realised_ratio=realised_ratio)
                cells.append({"sampler": sampler, "seed": seed, "setting": setting})
            elif config.protocol == "drop":
                minority_classes = config.minority_classes
                if minority_classes is None:
                    minority_classes = classes[:1] if config.quick else classes
                for drop_fraction in config.drop_fractions:
                    for minority_class in minority_classes:
                        cells.append(
                            {
                                "sampler": sampler,
                                "seed": seed,
                                "setting": _setting_label(config, drop_fraction),
                                "drop_fraction": drop_fraction,
                                "minority_class": _plain(minority_class),
                            }
                        )
            else:
                for fold in range(config.n_splits):
                    cells.append(
                        {
                            "sampler": sampler,
                            "seed": seed,
                            "setting": _setting_label(config),
                            "fold": fold,
                        }
                    )
    for index, cell in enumerate(cells):
        cell["cell"] = index
    return cells


def _plain(value):
    """A numpy scalar as the Python value JSON and CSV writers understand."""
    return value.item() if isinstance(value, np.generic) else value


def _split(cell, config, data):
    """The cell's train and test rows, and the classes counted as minority in them."""
    X, y, seed = data.X, data.y, cell["seed"]
    if config.protocol == "ir":
        X_train, X_test, y_train, y_test = make_imbalanced_split(
            X,
            y,
            imbalance_ratio=config.imbalance_ratio,
            max_per_class=config.max_per_class,
            n_test_per_class=config.n_test_per_class,
            random_state=seed,
        )
    elif config.protocol == "drop":
        X_train, X_test, y_train, y_test = make_drop_split(
            X,
            y,
            minority_class=cell["minority_class"],
            drop_fraction=cell["drop_fraction"],
            test_size=config.test_size,
            random_state=seed,
        )
        return X_train, X_test, y_train, y_test, np.array([cell["minority_class"]])
    else:
        folds = StratifiedKFold(n_splits=config.n_splits, shuffle=True, random_state=seed)
        train_rows, test_rows = list(folds.split(X, y))[cell["fold"]]
        X_train, X_test, y_train, y_test = X[train_rows], X[test_rows], y[train_rows], y[test_rows]
    # Every class smaller than the largest is what 'auto' oversampling tops up.
    classes, counts = np.unique(y_train, return_counts=True)
    return X_train, X_test, y_train, y_test, classes[counts < counts.max()]


def run_cell(cell, spec, config, data, judge=None, keep_examples=False, threads=1):
    """Run one cell: split, resample once, train and score every classifier; never raises.

    Parameters
    ----------
    cell : dict
        From :func:`plan_cells`.
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
        records), ``acsa``, ``gm``, ``minority_recall``, ``fit_time`` (seconds spent in
        ``fit_resample``, the same for every classifier of the cell), ``n_train``,
        ``n_generated``, ``recall_per_class``, ``notes``, ``quality`` (list of per-class dicts,
        or None; on the first record only, as the samples are the same) and ``examples``
        (generated rows per class for the PNG grid, or None; first record only). A sampler that
        fails fails every record of the cell; a classifier that fails fails its own record.
    """
    classifiers = _classifier_names(config.classifier)
    records = [
        {
            **cell,
            "classifier": name,
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
        for name in classifiers
    ]
    import torch

    previous_torch_threads = torch.get_num_threads()
    try:
        # Small networks on small data gain nothing from threads, and on a shared machine
        # waiting threads made fits 4 to 14 times slower (see _DEFAULT_THREADS_PER_CELL).
        torch.set_num_threads(threads)
        with threadpool_limits(limits=threads), warnings.catch_warnings():
            # A small MLP that stops at max_iter is part of the fixed protocol, not news.
            warnings.simplefilter("ignore", category=ConvergenceWarning)
            try:
                resampled = _resample(cell, spec, config, data, records[0]["notes"])
            except Exception as exc:  # one broken cell must not end the run
                for record in records:
                    _record_failure(record, exc)
                return records
            X_train, y_train, X_resampled, y_resampled, X_test, y_test, minority, fit_time = (
                resampled
            )
            shared = {
                "fit_time": fit_time,
                "n_train": int(len(y_train)),
                "n_generated": int(len(y_resampled) - len(y_train)),
            }
            for record in records:
                record.update(shared)
                record["notes"] = list(records[0]["notes"])
                try:
                    _score_classifier(
                        record, config, data, X_resampled, y_resampled, X_test, y_test, minority
                    )
                except Exception as exc:
                    _record_failure(record, exc)

            # fit_resample returns the original rows first, then the generated ones.
            X_generated = X_resampled[len(y_train) :]
            y_generated = y_resampled[len(y_train) :]
            try:
                if config.quality and data.image_shape is not None and len(y_generated):
                    records[0]["quality"] = [
                        {key: _plain(value) for key, value in row.items()}
                        for row in sample_quality_report(
                            judge,
                            X_train,
                            y_train,
                            X_generated,
                            y_generated,
                            data.image_shape,
                            data_range=data.data_range,
                            n_pairs=_QUALITY_PAIRS,
                            max_samples=_QUALITY_QUERIES,
                            max_reference=_QUALITY_REFERENCES,
                            random_state=cell["seed"],
                        )
                    ]
            except Exception as exc:
                for record in records:
                    _record_failure(record, exc)
            if keep_examples and len(y_generated):
                records[0]["examples"] = {
                    _plain(label): X_generated[y_generated == label][:_GRID_EXAMPLES]
                    for label in np.unique(y_generated)
                }
    finally:
        torch.set_num_threads(previous_torch_threads)
    return records


def _record_failure(record, exc):
    record["status"] = "failed"
    record["error"] = f"{type(exc).__name__}: {exc}"
    record["traceback"] = traceback.format_exc()


def _resample(cell, spec, config, data, notes):
    """Split the cell's data and resample its training rows once (timed)."""
    X_train, X_test, y_train, y_test, minority = _split(cell, config, data)
    context = SamplerContext(
        seed=cell["seed"],
        y_train=y_train,
        image_shape=data.image_shape,
        epochs=config.epochs,
        batch_size=config.batch_size,
        device=config.device,
        notes=notes,
    )
    sampler = spec.factory(context)
    _warm_up(sampler, X_train, y_train)
    start = time.perf_counter()
    if sampler is None:
        X_resampled, y_resampled = X_train, y_train
    else:
        X_resampled, y_resampled = sampler.fit_resample(X_train, y_train)
    fit_time = time.perf_counter() - start
    X_resampled, y_resampled = np.asarray(X_resampled), np.asarray(y_resampled)
    return X_train, y_train, X_resampled, y_resampled, X_test, y_test, minority, fit_time


def _score_classifier(record, config, data, X_resampled, y_resampled, X_test, y_test, minority):
    """Train ``record["classifier"]`` on the resampled rows and score it on the test rows."""
    classifier = make_classifier(
        record["classifier"], record["seed"], data.image_shape, config.quick, config.device
    )
    classifier.fit(X_resampled, y_resampled)
    y_pred = classifier.predict(X_test)
    classes = np.unique(y_test)
    recalls = recall_score(y_test, y_pred, labels=classes, average=None, zero_division=0)
    record["recall_per_class"] = {
        str(_plain(label)): float(r) for label, r in zip(classes, recalls)
    }
    record["acsa"] = acsa_score(y_test, y_pred)
    record["gm"] = gm_score(y_test, y_pred)
    in_minority = np.isin(classes, minority)
    if in_minority.any():
        record["minority_recall"] = float(recalls[in_minority].mean())


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


def default_samplers(image_shape, specs=None):
    """Every sampler that applies to the data: all of them for images, all but the
    image-only ones (mirroring) for tabular data."""
    specs = specs or builtin_sampler_specs()
    return [
        name
        for name in (*SAMPLER_NAMES, *(n for n in specs if n not in SAMPLER_NAMES))
        if name in specs and (image_shape is not None or not specs[name].images_only)
    ]


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
    from tqdm.auto import tqdm

    started = time.perf_counter()
    config = resolve_config(config)
    specs = {**builtin_sampler_specs(), **(extra_samplers or {})}
    data = prepare_data(config)
    config = validate_config(config, data)
    requested = list(config.samplers or default_samplers(data.image_shape, specs))
    unknown = [name for name in requested if name not in specs]
    if unknown:
        raise ValueError(f"Unknown sampler(s) {unknown}; choose from {sorted(specs)}.")
    if "cnn" in config.classifier and data.image_shape is None:
        raise ValueError("The cnn classifier needs image data; this data set is tabular.")

    skipped = {}
    for name in requested:
        if specs[name].images_only and data.image_shape is None:
            skipped[name] = "skipped: needs image data"
        elif name not in (extra_samplers or {}):
            reason = missing_imbgan_class(name)
            if reason:
                skipped[name] = reason
    runnable = [name for name in requested if name not in skipped]
    realised_ratio = _realised_imbalance_ratio(config, data)[0] if config.protocol == "ir" else None
    cells = plan_cells(config, runnable, list(np.unique(data.y)), realised_ratio)

    threads = config.threads_per_cell or _DEFAULT_THREADS_PER_CELL
    judge = None
    if config.quality and data.image_shape is not None:
        # BAGAN's judge is trained on the whole data set, before any row is dropped.
        with threadpool_limits(limits=threads), warnings.catch_warnings():
            warnings.simplefilter("ignore", category=ConvergenceWarning)
            # With several classifiers, the first one judges the generated samples.
            judge = make_classifier(
                config.classifier[0], 0, data.image_shape, config.quick, config.device
            ).fit(data.X, data.y)

    first_seed = config.seeds[0]
    tasks = (
        delayed(run_cell)(
            cell,
            specs[cell["sampler"]],
            config,
            data,
            judge=judge,
            keep_examples=specs[cell["sampler"]].generates_images and cell["seed"] == first_seed,
            threads=threads,
        )
        for cell in cells
    )
    records = []
    order = {name: index for index, name in enumerate(config.classifier)}
    with tqdm(total=len(cells), desc="benchmark cells", unit="cell", disable=not progress) as bar:
        for cell_records in _iterate_parallel(tasks, config.n_jobs):
            records.extend(cell_records)
            record = cell_records[0]
            bar.set_postfix_str(f"{record['sampler']} seed {record['seed']}: {record['status']}")
            bar.update(1)
    records.sort(key=lambda record: (record["cell"], order[record["classifier"]]))
    return BenchmarkResult(
        config=dataclasses.replace(config, samplers=tuple(requested)),
        samplers=requested,
        skipped=skipped,
        records=records,
        image_shape=data.image_shape,
        wall_time=time.perf_counter() - started,
    )
