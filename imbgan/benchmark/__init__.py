"""Benchmark harness: every imbgan sampler against no resampling, ROS, SMOTE and mirroring.

From the command line (``python -m imbgan.benchmark --help`` lists every option)::

    python -m imbgan.benchmark --quick               # digits, GAMO protocol, under a minute
    imbgan-benchmark --dataset wine --protocol cv --samplers none ros smote cgan
    imbgan-benchmark --protocol drop --drop 0.4 0.8 0.95 --quality --out results/drop

A run is a grid of *cells*, one per sampler x seed (x drop fraction x minority class for the
``drop`` protocol, x fold for ``cv``). A cell splits the data with its seed, resamples the
training rows with ``fit_resample`` (timed), trains a fixed classifier on the result, and scores
the untouched test rows. A cell that raises is recorded as failed with its error; the run goes
on. The table has one row per sampler (and setting): ACSA, GM and minority-class recall as
mean +- std over cells, and the mean ``fit_resample`` time.

Samplers are looked up on :mod:`imbgan` by class name when the run starts, so a sampler appears
in the benchmark as soon as the package exports it; one that is not exported yet is listed as
skipped with a note.

Running cells elsewhere
-----------------------
Cells are independent and run through :class:`joblib.Parallel`, which follows
:func:`joblib.parallel_config`. ``--n-jobs N`` runs N cells at once on this machine (loky
processes; torch threads are divided between them). To spread cells over a cluster, call
:func:`main` (or :func:`run_benchmark`) inside a joblib backend context. With Dask::

    import joblib
    from dask.distributed import Client
    from imbgan.benchmark import main

    client = Client("tcp://scheduler:8786")     # or Client() for a local cluster
    with joblib.parallel_config(backend="dask"):
        main(["--dataset", "digits", "--n-jobs", "-1", "--out", "results"])

With Ray::

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

from ._classifiers import CLASSIFIER_NAMES, make_classifier
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
    default_samplers,
    run_benchmark,
    run_cell,
)
from ._samplers import SAMPLER_NAMES, SamplerContext, SamplerSpec, builtin_sampler_specs

__all__ = [
    "BenchmarkConfig",
    "BenchmarkResult",
    "CLASSIFIER_NAMES",
    "PROTOCOLS",
    "SAMPLER_NAMES",
    "SamplerContext",
    "SamplerSpec",
    "SmallCNNClassifier",
    "builtin_sampler_specs",
    "default_samplers",
    "format_quality_table",
    "format_table",
    "main",
    "make_classifier",
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
