"""Time of one training epoch of GAMO against CGAN on a large synthetic table.

GAMO's convex generator mixes real rows of a class; mixing every row at every step (the
paper, ``n_anchors=None``) makes an epoch cost rows x minority rows, while ``n_anchors`` mixes a
fixed number of rows per step. This script fits ``CGANSampler`` and ``GAMOSampler`` (each with
its default batch size) for one epoch on a binary table made by scikit-learn's
``make_classification`` (``--features`` features, imbalance ratio ``--imbalance-ratio``) for
each of ``--rows``, and prints the time from the start of ``fit_resample`` to the end of the
first epoch (seen by a callback: data encoding, network construction and the epoch), its
steps and milliseconds per step, the whole ``fit_resample`` (with the generation of the
missing rows), and each GAMO variant's epoch time as a multiple of CGAN's in the same run
(CGAN runs first for each size and repeat, then each GAMO setting).

Run with ``python benchmarks/gamo_epoch_time.py`` (``--help`` for the options). It prints
numbers; it is not a test. Timings move with the machine's load.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from sklearn.datasets import make_classification

from imbgan import CGANSampler, GAMOSampler


class EpochClock:
    """A callback that records when the first epoch ends and stops training there."""

    def __init__(self):
        self.start = None
        self.epoch_seconds = None

    def __call__(self, sampler, epoch, losses):
        self.epoch_seconds = time.perf_counter() - self.start
        return True


def make_table(n_rows, n_features, imbalance_ratio, seed=0):
    minority_share = 1.0 / (1.0 + imbalance_ratio)
    return make_classification(
        n_samples=n_rows,
        n_features=n_features,
        n_informative=n_features // 2,
        weights=[1.0 - minority_share],
        random_state=seed,
    )


def samplers(anchor_settings):
    variants = {"CGAN": lambda cb: CGANSampler(epochs=1, random_state=0, callbacks=[cb])}
    for setting in anchor_settings:
        n_anchors = None if setting == "none" else int(setting)

        def gamo(cb, n_anchors=n_anchors):
            return GAMOSampler(epochs=1, n_anchors=n_anchors, random_state=0, callbacks=[cb])

        variants[f"GAMO n_anchors={n_anchors}"] = gamo
    return variants


def run(args):
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), "
        f"{args.features} features, imbalance ratio {args.imbalance_ratio}"
    )
    header = (
        f"{'rows':>8}{'minority':>10}  {'sampler':<24}{'steps':>7}{'epoch s':>10}"
        f"{'ms/step':>10}{'fit_resample s':>16}{'x CGAN':>8}"
    )
    print(header)
    for n_rows in [n for n in args.rows for _ in range(args.repeats)]:
        X, y = make_table(n_rows, args.features, args.imbalance_ratio)
        n_minority = int(np.bincount(y).min())
        cgan_seconds = None
        for name, build in samplers(args.n_anchors).items():
            clock = EpochClock()
            sampler = build(clock)
            clock.start = time.perf_counter()
            sampler.fit_resample(X, y)
            total = time.perf_counter() - clock.start
            steps = sampler._batches_per_epoch(n_rows)
            if name == "CGAN":
                cgan_seconds = clock.epoch_seconds
            ratio = clock.epoch_seconds / cgan_seconds
            print(
                f"{n_rows:>8}{n_minority:>10}  {name:<24}{steps:>7}{clock.epoch_seconds:>10.1f}"
                f"{1e3 * clock.epoch_seconds / steps:>10.2f}{total:>16.1f}{ratio:>8.2f}",
                flush=True,
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 200_000])
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--imbalance-ratio", type=float, default=10.0)
    parser.add_argument(
        "--n-anchors",
        nargs="+",
        default=["256"],
        help="GAMO n_anchors settings to time, ints or 'none' (every row: slow on large data)",
    )
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    parser.add_argument(
        "--repeats", type=int, default=1, help="runs per size (the machine's load moves timings)"
    )
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    run(args)


if __name__ == "__main__":
    main()
