"""Command line of the benchmark: ``python -m imbgan.benchmark`` or ``imbgan-benchmark``.

See :mod:`imbgan.benchmark` for what a run does and how to run it on a Dask or Ray cluster.
"""

from __future__ import annotations

import argparse
import importlib.util
import shlex
import sys
from pathlib import Path

from ..datasets import EMBEDDED_DATASETS
from ._classifiers import CLASSIFIER_NAMES
from ._report import format_quality_table, format_table, summarize, summarize_quality, write_results
from ._runner import PROTOCOLS, BenchmarkConfig, run_benchmark
from ._samplers import SAMPLER_NAMES


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Show "(default: ...)" only for options whose help does not state its default itself."""

    def _get_help_string(self, action):
        if action.default is None:
            return action.help
        return super()._get_help_string(action)


def build_parser():
    """The argument parser of the command line, its options grouped as ``--help`` shows them."""
    parser = argparse.ArgumentParser(
        prog="imbgan-benchmark",
        description=(
            "Compare GAN oversamplers with no resampling (plain, class-weighted or with a "
            "tuned threshold), random oversampling, SMOTE(NC) and mirroring on an imbalanced "
            "split of a data set."
        ),
        formatter_class=_HelpFormatter,
    )
    _add_data_arguments(parser.add_argument_group("data and protocol"))
    _add_model_arguments(parser.add_argument_group("samplers and classifier"))
    _add_run_arguments(parser.add_argument_group("run"))
    return parser


def _add_data_arguments(data):
    """Options of the data set and of the protocol that splits it."""
    data.add_argument(
        "--dataset",
        default="digits",
        help=f"{', '.join(EMBEDDED_DATASETS)}, a .npz file (X, y, optional image_shape), a "
        ".csv file with a label column, or a directory of MNIST-format idx files",
    )
    data.add_argument(
        "--label-column",
        default=None,
        help="CSV only: the label column, by name or 0-based position (default: the last)",
    )
    data.add_argument(
        "--protocol",
        choices=PROTOCOLS,
        default="ir",
        help="ir: GAMO's geometric class counts and a balanced test set; drop: BAGAN's one "
        "class made minority by dropping a fraction of it; cv: stratified k-fold on the data "
        "as it is",
    )
    data.add_argument(
        "--imbalance-ratio", type=float, default=10.0, help="ir: largest / smallest class"
    )
    data.add_argument(
        "--max-per-class",
        type=int,
        default=None,
        help="ir: training rows of the largest class (default: half the smallest class)",
    )
    data.add_argument(
        "--n-test-per-class",
        type=int,
        default=None,
        help="ir: test rows per class (default: all that remain, balanced)",
    )
    data.add_argument(
        "--drop",
        type=float,
        nargs="+",
        default=None,
        metavar="FRACTION",
        help="drop: fractions of the minority class's training rows to drop "
        "(default 0.4 0.8 0.95; quick 0.8)",
    )
    data.add_argument(
        "--minority-classes",
        nargs="+",
        default=None,
        metavar="CLASS",
        help="drop: classes made minority in turn (default all; quick the first)",
    )
    data.add_argument(
        "--n-splits", type=int, default=None, help="cv: number of folds (default 5; quick 3)"
    )


def _add_model_arguments(models):
    """Options of the samplers and of the classifiers trained on their output."""
    models.add_argument(
        "--samplers",
        nargs="+",
        choices=SAMPLER_NAMES,
        default=None,
        metavar="NAME",
        help=f"any of {' '.join(SAMPLER_NAMES)} (default: all that apply: mirror only for "
        "images, none-threshold only for two classes, smotenc only for tables with text "
        "columns, where smote does not apply). none-weighted and none-threshold do not "
        "resample: they balance the classifier with class weights or a tuned decision "
        "threshold. Samplers imbgan does not export yet are listed as skipped.",
    )
    models.add_argument(
        "--classifier",
        nargs="+",
        choices=CLASSIFIER_NAMES,
        default=None,
        metavar="NAME",
        help=f"fixed classifier(s) trained on the resampled data, any of "
        f"{' '.join(CLASSIFIER_NAMES)} (default: cnn for images, mlp for tables; cnn: images "
        "only; hgb: HistGradientBoostingClassifier). With several, each cell resamples once "
        "and scores the same resampled data with every classifier; the table gets a row per "
        "classifier",
    )
    models.add_argument(
        "--epochs",
        type=int,
        default=None,
        help="GAN training epochs (default: each sampler's own; quick 5)",
    )
    models.add_argument("--batch-size", type=int, default=None, help="GAN batch size")
    models.add_argument("--device", default="cpu", help="torch device: cpu, cuda or auto")


def _add_run_arguments(run):
    """Options of the run: seeds, parallelism, extras and where the results go."""
    run.add_argument(
        "--seeds",
        type=int,
        nargs="+",
        default=None,
        metavar="SEED",
        help="seeds, one cell per sampler and seed (default 0 1 2 3 4; quick 0 1)",
    )
    run.add_argument(
        "--n-jobs",
        type=int,
        default=None,
        help="cells run at once by joblib (-1: all cores; default: joblib's parallel_config, "
        "else 1)",
    )
    run.add_argument(
        "--threads-per-cell",
        type=int,
        default=None,
        help="torch and BLAS threads inside each cell (default 1: small models run fastest "
        "single-threaded; use --n-jobs to occupy more cores)",
    )
    run.add_argument(
        "--quick",
        action="store_true",
        help="small settings (5 GAN epochs, 2 seeds) that check that everything runs: under a "
        "minute on 2 cores for digits",
    )
    run.add_argument(
        "--quality",
        action="store_true",
        help="images: per-class accuracy, diversity and novelty (SSIM) of generated samples, "
        "and a PNG grid of samples per GAN sampler",
    )
    run.add_argument(
        "--raise-errors",
        action="store_true",
        help="stop at the first failing cell with its traceback (error_score='raise'), instead "
        "of recording it as failed and going on",
    )
    run.add_argument("--out", default="benchmark-results", help="directory for the result files")
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")


def _minority_classes(values):
    """Class labels typed on the command line, as integers where they look like integers."""
    if values is None:
        return None
    converted = []
    for value in values:
        try:
            converted.append(int(value))
        except ValueError:
            converted.append(value)
    return tuple(converted)


def _config_from_args(args):
    """The :class:`BenchmarkConfig` that parsed command-line arguments describe."""
    return BenchmarkConfig(
        dataset=args.dataset,
        protocol=args.protocol,
        imbalance_ratio=args.imbalance_ratio,
        max_per_class=args.max_per_class,
        n_test_per_class=args.n_test_per_class,
        drop_fractions=tuple(args.drop) if args.drop else None,
        minority_classes=_minority_classes(args.minority_classes),
        n_splits=args.n_splits,
        samplers=tuple(dict.fromkeys(args.samplers)) if args.samplers else None,
        classifier=tuple(dict.fromkeys(args.classifier)) if args.classifier else None,
        seeds=tuple(args.seeds) if args.seeds else None,
        n_jobs=args.n_jobs,
        epochs=args.epochs,
        batch_size=args.batch_size,
        device=args.device,
        quick=args.quick,
        quality=args.quality,
        label_column=args.label_column,
        threads_per_cell=args.threads_per_cell,
        error_score="raise" if args.raise_errors else float("nan"),
    )


def main(argv=None):
    """Run a benchmark from command-line arguments.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns
    -------
    exit_code : int
        0 when every requested cell ran, 1 when some failed or none could run (every sampler
        skipped), 2 for bad arguments, 130 when interrupted (Ctrl-C or SIGTERM).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    argv = list(sys.argv[1:] if argv is None else argv)
    if Path(args.out).exists() and not Path(args.out).is_dir():
        parser.error(f"--out {args.out} is an existing file; give a directory.")
    config = _config_from_args(args)
    try:
        result = run_benchmark(config, progress=not args.no_progress)
    except KeyboardInterrupt:
        # Ctrl-C or SIGTERM: run_benchmark has stopped the workers; nothing is written.
        print("\nInterrupted: the workers were stopped; no results written.", file=sys.stderr)
        return 130
    except (ValueError, FileNotFoundError) as exc:
        # Bad data set, protocol settings or sampler names: say so without a traceback.
        parser.error(str(exc))

    summary = summarize(result)
    print()
    print(format_table(summary))
    if args.quality and result.image_shape is None:
        print("(--quality measures images only; this data set is tabular.)")
    if args.minority_classes and args.protocol != "drop":
        print(f"(--minority-classes applies to --protocol drop only; ignored for {args.protocol}.)")
    quality = summarize_quality(result)
    if quality:
        print()
        print("Generated-sample quality per class (SSIM: diversity lower = more diverse; ")
        print("novelty lower = less copying; compare each with its real-data reference):")
        print(format_quality_table(quality))
    command = "imbgan-benchmark " + shlex.join(argv) if argv else "imbgan-benchmark"
    paths = write_results(result, args.out, command=command)
    print()
    print(f"Results written to {args.out}: " + ", ".join(p.name for p in paths.values()))
    if importlib.util.find_spec("matplotlib") is None:
        print('No PNG plots: matplotlib is not installed (pip install "imbgan[plot]").')
    print(f"Wall time {result.wall_time:.1f} s.")
    failed = any(row["status"] in ("failed", "partial") for row in summary)
    if not result.records:
        print("No cell ran: every requested sampler was skipped.")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
