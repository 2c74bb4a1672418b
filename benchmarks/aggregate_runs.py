"""One table from many harness runs: mean ACSA per classifier and sampler, the paired difference to
random oversampling on the same seeds, and the generated rows' recognised share.

The recorded MNIST protocol is run as one harness run per sampler and seed (a GAN cell takes
minutes, so a cut-off run still covers every sampler); this reads every run's ``cells.csv`` and
``quality.csv`` under a folder and prints the Markdown table of ``benchmarks/README.md``.

Usage::

    python benchmarks/aggregate_runs.py benchmarks/results/mnist-ir100
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from imbgan.benchmark import SAMPLER_NAMES as ORDER  # the harness's table order


def read_runs(folder, name):
    """Every run's ``name`` (``cells.csv`` or ``quality.csv``) under ``folder``, concatenated."""
    frames = [pd.read_csv(path) for path in sorted(Path(folder).glob(f"*/{name}"))]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def recognised(quality):
    """Per sampler, "mean / worst": the recognised share of each class averaged over the runs,
    then its mean and its minimum over the classes."""
    per_class = quality.groupby(["sampler", "class"])["accuracy"].mean()
    return per_class.groupby("sampler").agg(lambda s: f"{s.mean():.2f} / {s.min():.2f}")


def table(cells, quality):
    cells = cells[cells["status"] == "ok"]
    ros = cells[cells["sampler"] == "ros"].set_index(["classifier", "seed"])["acsa"]
    paired = cells.join(ros.rename("ros_acsa"), on=["classifier", "seed"])
    paired["minus_ros"] = paired["acsa"] - paired["ros_acsa"]
    grouped = paired.groupby(["classifier", "sampler"], sort=False)
    summary = grouped.agg(
        acsa=("acsa", "mean"),
        std=("acsa", "std"),
        minus_ros=("minus_ros", "mean"),
        gm=("gm", "mean"),
        minority_recall=("minority_recall", "mean"),
        fit_time=("fit_time", "mean"),
        seeds=("seed", lambda s: " ".join(map(str, sorted(s)))),
    )
    names = recognised(quality) if len(quality) else pd.Series(dtype=str)
    rows = [
        "| classifier | sampler | ACSA | ACSA - ROS (same seeds) | GM | minority recall "
        "| fit time (s) | seeds | recognised (mean / worst class) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    rank = {name: i for i, name in enumerate(ORDER)}
    ordered = sorted(summary.index, key=lambda key: (key[0], rank.get(key[1], len(ORDER)), key[1]))
    for classifier, sampler in ordered:
        r = summary.loc[(classifier, sampler)]
        rows.append(
            f"| {classifier} | {sampler} | {r.acsa:.3f} ± {r['std']:.3f} | {r.minus_ros:+.3f} "
            f"| {r.gm:.3f} | {r.minority_recall:.3f} | {r.fit_time:.0f} | {r.seeds} "
            f"| {names.get(sampler, '-')} |"
        )
    return "\n".join(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="a folder with one harness output folder per run")
    args = parser.parse_args()
    print(table(read_runs(args.folder, "cells.csv"), read_runs(args.folder, "quality.csv")))


if __name__ == "__main__":
    main()
