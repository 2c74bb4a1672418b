"""Benchmark harness: every imbgan sampler against no resampling, ROS, SMOTE and mirroring.

From the command line (``python -m imbgan.benchmark --help`` lists every option)::

    python -m imbgan.benchmark --quick               # digits, GAMO protocol, about a minute
    imbgan-benchmark --dataset wine --protocol cv --samplers none ros smote cgan
    imbgan-benchmark --protocol drop --drop 0.4 0.8 0.95 --quality --out results/drop
    imbgan-benchmark --dataset mnist.npz --classifier cnn mlp   # one GAN fit, two classifiers

A run is a grid of *cells*, one per sampler x split. The splits come from the protocol's
scikit-learn splitter: :class:`~imbgan.model_selection.ImbalancedSplit` (``ir``, one split per
seed), :class:`~imbgan.model_selection.DropSplit` (``drop``, one per seed, drop fraction and
minority class) or a shuffled :class:`~sklearn.model_selection.StratifiedKFold` (``cv``, one per
seed and fold). A cell resamples the training rows once with ``fit_resample`` (timed), trains
each fixed classifier (``--classifier``, one or more) on the result, and scores the untouched
test rows, as :func:`~sklearn.model_selection.cross_validate` scores a split. A cell that raises
is recorded as failed with its error (``error_score``); the run goes on. The table, aggregated
with pandas, has one row per sampler, setting and classifier: ACSA, GM and minority-class
recall as mean +- std over cells, and the mean ``fit_resample`` time.

Besides the samplers, three baselines that do not resample: ``none`` (the classifier as it is),
``none-weighted`` (``class_weight="balanced"``; the MLP gets the same weights as
``sample_weight``, the CNN a class-weighted cross-entropy) and ``none-threshold`` (the decision
threshold tuned for balanced accuracy by
:class:`~sklearn.model_selection.TunedThresholdClassifierCV`; binary data only, skipped with a
note otherwise). On tables with text columns (a CSV file read as a DataFrame), tabular
classifiers one-hot encode them, ``smotenc`` runs imbalanced-learn's ``SMOTENC`` (``SMOTEN`` when
every column is text) and ``smote`` is skipped.

Samplers are looked up on :mod:`imbgan` by class name when the run starts, so a sampler appears
in the benchmark as soon as the package exports it; one that is not exported yet is listed as
skipped with a note.

Running cells elsewhere
-----------------------
Cells are independent and run through :class:`joblib.Parallel`, which follows
:func:`joblib.parallel_config`. ``--n-jobs N`` runs N cells at once on this machine (loky
processes; torch threads are divided between them). Ctrl-C or SIGTERM stops the run and its
worker processes (the command exits with 130 and writes nothing). To spread cells over a
cluster, call :func:`main` (or :func:`run_benchmark`) inside a joblib backend context. With Dask
(``pip install "imbgan[dask]"``; the test suite runs a small benchmark on a
``distributed.LocalCluster`` and checks that it gives the local results)::

    import joblib
    from dask.distributed import Client
    from imbgan.benchmark import main

    client = Client("tcp://scheduler:8786")     # or Client() for a local cluster
    with joblib.parallel_config(backend="dask"):
        main(["--dataset", "digits", "--n-jobs", "-1", "--out", "results"])

With Ray (documented, not tested here; ``pip install "ray[default]"``)::

    import joblib, ray
    from ray.util.joblib import register_ray
    from imbgan.benchmark import main

    ray.init(address="auto")
    register_ray()
    with joblib.parallel_config(backend="ray"):
        main(["--dataset", "digits", "--n-jobs", "-1", "--out", "results"])

Pass ``--n-jobs -1`` (or leave ``--n-jobs`` out and set ``n_jobs`` in ``parallel_config``):
an explicit ``--n-jobs 1`` runs sequentially whatever the backend. The workers need imbgan
installed and the data set readable at the same path (embedded data sets always are). Results
stream back as cells finish where the backend supports it; otherwise the progress bar jumps at
the end.
"""

from ._classifiers import (
    CLASSIFIER_NAMES,
    BalancedSampleWeightClassifier,
    default_classifier,
    make_classifier,
)
from ._cnn import SmallCNNClassifier
from ._report import (
    format_quality_table,
    format_table,
    summarize,
    summarize_quality,
    write_results,
)
from ._runner import (
    PROTOCOLS,
    BenchmarkConfig,
    BenchmarkResult,
    CellError,
    default_samplers,
    protocol_splits,
    run_benchmark,
    run_cell,
)
from ._samplers import SAMPLER_NAMES, SamplerContext, SamplerSpec, builtin_sampler_specs

__all__ = [
    "BalancedSampleWeightClassifier",
    "BenchmarkConfig",
    "BenchmarkResult",
    "CLASSIFIER_NAMES",
    "CellError",
    "PROTOCOLS",
    "SAMPLER_NAMES",
    "SamplerContext",
    "SamplerSpec",
    "SmallCNNClassifier",
    "builtin_sampler_specs",
    "default_classifier",
    "default_samplers",
    "format_quality_table",
    "format_table",
    "main",
    "make_classifier",
    "protocol_splits",
    "run_benchmark",
    "run_cell",
    "summarize",
    "summarize_quality",
    "write_results",
]


def main(argv=None):
    """Run the command line; see :mod:`imbgan.benchmark.__main__`."""
    from .__main__ import main as _main

    return _main(argv)
