"""Fit time and generated-sample accuracy of every sampler, with its defaults, on the digits.

For each sampler exported by imbgan: ``fit_resample`` on scikit-learn's 8x8 digits made
imbalanced (the smallest classes keep a handful of images), its wall-clock time, and how often an
SVM trained on the full balanced digits recognises the generated images of each class as that
class (paper 000's "accuracy of the generated images").

Usage::

    python benchmarks/fit_time_digits.py                 # every sampler, defaults
    python benchmarks/fit_time_digits.py --samplers CGANSampler --threads 1

Prints one line per sampler: seconds, mean generated accuracy, minority-class generated
accuracy and the per-class accuracies.
"""

import argparse
import platform
import time

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.svm import SVC

import imbgan

# Digits 0..9 keep these many training images (a geometric decay, imbalance ratio 36).
IMBALANCED_COUNTS = [180, 120, 80, 54, 36, 24, 16, 11, 7, 5]


def imbalanced_digits(random_state=0):
    X, y = load_digits(return_X_y=True)
    rng = np.random.RandomState(random_state)
    keep = np.concatenate(
        [
            rng.choice(np.flatnonzero(y == digit), n, replace=False)
            for digit, n in enumerate(IMBALANCED_COUNTS)
        ]
    )
    return X[keep], y[keep]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    names = [n for n in imbgan.__all__ if n.endswith("Sampler") and not n.startswith("Base")]
    parser.add_argument("--samplers", nargs="*", default=names)
    parser.add_argument("--threads", type=int, default=None, help="torch intra-op threads")
    parser.add_argument("--per-class", type=int, default=100, help="generated images per class")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    X_full, y_full = load_digits(return_X_y=True)
    judge = SVC(gamma=0.001).fit(X_full, y_full)
    X, y = imbalanced_digits()
    print(
        f"# {platform.node()} {platform.processor() or platform.machine()}, "
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
        f"train counts {IMBALANCED_COUNTS}"
    )
    print(
        f"{'sampler':16s} {'fit s':>7s} {'gen acc':>8s} {'minority':>8s}  per-class (digits 0..9)"
    )
    wanted = np.repeat(np.arange(10), args.per_class)
    minority = wanted >= 5
    for name in args.samplers:
        sampler = getattr(imbgan, name)(image_shape=(8, 8), random_state=0)
        start = time.perf_counter()
        sampler.fit_resample(X, y)
        seconds = time.perf_counter() - start
        recognised = judge.predict(sampler.generate(wanted, random_state=0)) == wanted
        per_class = recognised.reshape(10, -1).mean(axis=1)
        print(
            f"{name:16s} {seconds:7.1f} {recognised.mean():8.2f} "
            f"{recognised[minority].mean():8.2f}  " + " ".join(f"{a:.2f}" for a in per_class),
            flush=True,
        )


if __name__ == "__main__":
    main()
