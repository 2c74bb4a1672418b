"""The samplers the benchmark compares, and how each is built for one cell."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import partial

import numpy as np

#: Every sampler name the command line accepts, in the order the table lists them.
SAMPLER_NAMES = (
    "none",
    "none-weighted",
    "none-threshold",
    "ros",
    "smote",
    "smotenc",
    "mirror",
    "cgan",
    "acgan",
    "cagan",
    "bagan",
    "bagan-gp",
    "gamo",
    "deepsmote",
)

#: imbgan classes behind the names; looked up on the package at run time, so that a sampler
#: lands in the benchmark as soon as ``imbgan`` exports it.
IMBGAN_CLASSES = {
    "mirror": "MirrorSampler",
    "cgan": "CGANSampler",
    "acgan": "ACGANSampler",
    "cagan": "CAGANSampler",
    "bagan": "BAGANSampler",
    "bagan-gp": "BAGANGPSampler",
    "gamo": "GAMOSampler",
    "deepsmote": "DeepSMOTESampler",
}

GAN_SAMPLERS = frozenset(IMBGAN_CLASSES) - {"mirror"}

_SMOTE_DEFAULT_NEIGHBOURS = 5


@dataclass
class SamplerContext:
    """What a sampler factory may use to build the sampler of one cell.

    Attributes
    ----------
    seed : int
        The cell's seed; pass it as ``random_state``.
    y_train : ndarray
        Training labels the sampler will see (for adapting to tiny classes).
    image_shape : tuple of int or None
        ``(channels, height, width)`` for images, None for tabular data.
    epochs, batch_size : int or None
        GAN training settings; None keeps the sampler's default.
    device : str
        Torch device for GAN samplers.
    notes : list of str
        Factories append remarks here (for example "k_neighbors lowered to 2"); they appear in
        the results table.
    X_train : ndarray or DataFrame or None
        Training rows the sampler will see (for finding categorical columns).
    """

    seed: int
    y_train: np.ndarray
    image_shape: tuple | None = None
    epochs: int | None = None
    batch_size: int | None = None
    device: str = "cpu"
    notes: list = field(default_factory=list)
    X_train: object = None


@dataclass(frozen=True)
class SamplerSpec:
    """A named way of building a sampler.

    Attributes
    ----------
    name : str
        Name in the table and on the command line.
    factory : callable
        ``factory(context) -> sampler or None``; None means "no resampling". Must be picklable
        (a module-level function or a :func:`functools.partial` of one) when cells run in
        other processes.
    images_only : bool
        Only applies to image data.
    generates_images : bool
        Produces new images worth a quality report and a PNG grid.
    balance : {None, "weighted", "threshold"}
        How the classifier itself corrects the imbalance (baselines that do not resample):
        class weights, or a decision threshold tuned on the training rows; see
        :func:`~imbgan.benchmark.make_classifier`.
    skip_reason : callable or None
        ``skip_reason(X, y, image_shape) -> str or None``: why the sampler does not apply to a
        data set (it is then skipped, with the reason in the table, and left out of the
        default selection). Must be picklable like ``factory``.
    """

    name: str
    factory: object
    images_only: bool = False
    generates_images: bool = False
    balance: str | None = None
    skip_reason: object = None


def _build_none(context):
    return None


def _build_ros(context):
    from imblearn.over_sampling import RandomOverSampler

    return RandomOverSampler(random_state=context.seed)


def _build_smote(context):
    from imblearn.over_sampling import SMOTE

    return SMOTE(k_neighbors=_smote_neighbours(context), random_state=context.seed)


def _smote_neighbours(context):
    """SMOTE's default 5 neighbours, lowered (with a note) to fit the smallest class."""
    classes, counts = np.unique(context.y_train, return_counts=True)
    # Under the 'auto' strategy only the classes smaller than the largest are oversampled, and
    # SMOTE needs k_neighbors + 1 rows in each of them.
    oversampled = counts[counts < counts.max()]
    if len(oversampled) == 0:
        return _SMOTE_DEFAULT_NEIGHBOURS
    smallest = int(oversampled.min())
    if smallest < 2:
        raise ValueError(
            "SMOTE needs at least 2 rows in every class it oversamples; "
            f"class {classes[counts == smallest][0]!r} has {smallest}."
        )
    k_neighbors = min(_SMOTE_DEFAULT_NEIGHBOURS, smallest - 1)
    if k_neighbors < _SMOTE_DEFAULT_NEIGHBOURS:
        context.notes.append(
            f"SMOTE k_neighbors lowered to {k_neighbors} (smallest class has {smallest} rows)"
        )
    return k_neighbors


def categorical_columns(X):
    """Names of the non-numeric columns of a DataFrame (text, category, bool, object); empty
    for an array."""
    if not hasattr(X, "select_dtypes"):
        return []
    return list(X.select_dtypes(exclude="number").columns)


def _needs_categorical_columns(X, y, image_shape):
    if not categorical_columns(X):
        return "no categorical (text) columns; use smote"
    return None


def _needs_numbers(X, y, image_shape):
    if categorical_columns(X):
        return "SMOTE interpolates numbers and this table has text columns; use smotenc"
    return None


def _needs_two_classes(X, y, image_shape):
    n_classes = len(np.unique(y))
    if n_classes != 2:
        return (
            f"TunedThresholdClassifierCV tunes binary decision thresholds only; this data "
            f"set has {n_classes} classes"
        )
    return None


def _build_smotenc(context):
    from imblearn.over_sampling import SMOTEN, SMOTENC

    columns = categorical_columns(context.X_train)
    k_neighbors = _smote_neighbours(context)
    if len(columns) == context.X_train.shape[1]:
        context.notes.append("SMOTEN: every column is categorical")
        return SMOTEN(k_neighbors=k_neighbors, random_state=context.seed)
    return SMOTENC(columns, k_neighbors=k_neighbors, random_state=context.seed)


def _build_imbgan(class_name, context):
    sampler_class = getattr(importlib.import_module("imbgan"), class_name)
    if class_name == "MirrorSampler":
        return sampler_class(image_shape=context.image_shape, random_state=context.seed)
    params = {
        "random_state": context.seed,
        "image_shape": context.image_shape,
        "device": context.device,
        "verbose": 0,
    }
    # Leave the sampler's own defaults alone unless the run asks for something else.
    if context.epochs is not None:
        params["epochs"] = context.epochs
    if context.batch_size is not None:
        params["batch_size"] = context.batch_size
    return sampler_class(**params)


def builtin_sampler_specs():
    """The specs of every name in :data:`SAMPLER_NAMES`, whether or not imbgan exports it yet."""
    specs = {
        "none": SamplerSpec("none", _build_none),
        "none-weighted": SamplerSpec("none-weighted", _build_none, balance="weighted"),
        "none-threshold": SamplerSpec(
            "none-threshold", _build_none, balance="threshold", skip_reason=_needs_two_classes
        ),
        "ros": SamplerSpec("ros", _build_ros),
        "smote": SamplerSpec("smote", _build_smote, skip_reason=_needs_numbers),
        "smotenc": SamplerSpec("smotenc", _build_smotenc, skip_reason=_needs_categorical_columns),
    }
    for name, class_name in IMBGAN_CLASSES.items():
        specs[name] = SamplerSpec(
            name,
            partial(_build_imbgan, class_name),
            images_only=name == "mirror",
            generates_images=name in GAN_SAMPLERS,
        )
    return specs


def missing_imbgan_class(name):
    """Why the imbgan sampler behind ``name`` cannot run, or None when it can."""
    class_name = IMBGAN_CLASSES.get(name)
    if class_name is None:
        return None
    try:
        package = importlib.import_module("imbgan")
    except Exception as exc:  # a half-written package must not stop the baselines
        return f"skipped: importing imbgan failed ({type(exc).__name__}: {exc})"
    if getattr(package, class_name, None) is None:
        return f"skipped: imbgan does not export {class_name} (yet)"
    return None
