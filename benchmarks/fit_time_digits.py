"""Fit time and generated-sample accuracy of every sampler, with its defaults, on the digits.

For each sampler exported by imbgan: ``fit_resample`` on scikit-learn's 8x8 digits made
imbalanced (the smallest classes keep a handful of images), its wall-clock time, and how often an
SVM trained on the full balanced digits recognises the generated images of each class as that
class (paper 000's "accuracy of the generated images").

Usage::

    python benchmarks/fit_time_digits.py                 # every sampler, defaults
    python benchmarks/fit_time_digits.py --samplers CGANSampler --threads 1
    python benchmarks/fit_time_digits.py --full          # all 1797 digits (balanced)

Prints one line per sampler: seconds, mean generated accuracy over digits 1..9, the same over
the five smallest classes (digits 5..9), the epochs run and the per-class accuracies.
"""

import argparse
import platform
import time

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.svm import SVC

import imbgan
from imbgan.datasets import make_imbalanced_split


def imbalanced_digits(random_state=0):
    """The training rows of the library's ``ir`` split (GAMO's protocol): digits 0..9 keep
    170, 115, 77, 52, 35, 24, 16, 11, 7, 5 images (geometric; a ratio of 34.5 rounds to
    these counts, 170 / 5 = 34)."""
    X, y = load_digits(return_X_y=True)
    X_train, _, y_train, _ = make_imbalanced_split(
        X, y, imbalance_ratio=34.5, max_per_class=170, random_state=random_state
    )
    return X_train, y_train


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    names = [n for n in imbgan.__all__ if n.endswith("Sampler") and not n.startswith("Base")]
    parser.add_argument("--samplers", nargs="*", default=names)
    parser.add_argument("--threads", type=int, default=None, help="torch intra-op threads")
    parser.add_argument("--per-class", type=int, default=100, help="generated images per class")
    parser.add_argument(
        "--full", action="store_true", help="fit on all 1797 digits instead of the imbalanced set"
    )
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    X_full, y_full = load_digits(return_X_y=True)
    judge = SVC(gamma=0.001).fit(X_full, y_full)
    X, y = (X_full, y_full) if args.full else imbalanced_digits()
    print(
        f"# {platform.node()} {platform.processor() or platform.machine()}, "
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
        f"train counts {np.bincount(y).tolist()}"
    )
    print(
        f"{'sampler':16s} {'fit s':>7s} {'gen acc':>8s} {'minority':>8s}  per-class (digits 1..9)"
    )
    # Digit 0 is the majority class, which GAMO (by design) cannot generate.
    digits = np.arange(1, 10)
    for name in args.samplers:
        sampler = getattr(imbgan, name)(image_shape=(8, 8), random_state=0)
        start = time.perf_counter()
        sampler.fit_resample(X, y)
        seconds = time.perf_counter() - start
        per_class = []
        for digit in digits:
            try:
                images = sampler.generate(np.full(args.per_class, digit), random_state=0)
            except ValueError:  # GAMO generates only the classes it oversampled
                per_class.append(np.nan)
                continue
            per_class.append(np.mean(judge.predict(images) == digit))
        per_class = np.array(per_class)
        print(
            f"{name:16s} {seconds:7.1f} {np.nanmean(per_class):8.2f} "
            f"{np.nanmean(per_class[digits >= 5]):8.2f} {getattr(sampler, 'n_epochs_', 0):6d}  "
            + " ".join(f"{a:4.2f}" if np.isfinite(a) else "   -" for a in per_class),
            flush=True,
        )


if __name__ == "__main__":
    main()
