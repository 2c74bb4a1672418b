"""Accuracy of generated digits per class: BAGAN, BAGAN-GP and AC-GAN on imbalanced digits.

Paper 000 (Mariani et al., BAGAN) measures whether generated images show the class they were
generated for by classifying them with a model trained on the whole, balanced data set. This
script does the same on scikit-learn's embedded 8 x 8 digits:

1. a classifier (an RBF support vector machine, about 99 % accurate on digits) is trained on all
   1797 images;
2. the training set is made imbalanced with :func:`imbgan.datasets.make_imbalanced_split` (the
   benchmark's ``ir`` protocol): class counts fall geometrically from ``--max-per-class`` for
   digit 0 to ``--min-per-class`` for digit 9 (the smallest classes keep a handful of images);
3. each sampler, with its default parameters, runs ``fit_resample`` on the imbalanced set (timed);
4. ``--n-generated`` images per class are generated and classified; the script prints, per class,
   the fraction recognised as the class they were generated for.

BAGAN-GP runs twice, with a fresh discriminator and with one initialised from the encoder.
With ``--full``, each sampler is also timed on all 1797 digits. Times are wall-clock seconds and
the process's CPU seconds; with one torch thread the CPU time is what the fit would take on an
idle core, which makes it the better number on a shared machine.

This is a benchmark, not a test: it prints numbers. Run it with ``python
benchmarks/bagan_digits.py`` (about a minute or two per sampler on two CPU cores).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.svm import SVC

from imbgan import ACGANSampler, BAGANGPSampler, BAGANSampler
from imbgan.datasets import make_imbalanced_split
from imbgan.metrics import generated_accuracy

IMAGE_SHAPE = (1, 8, 8)

SAMPLERS = {
    "BAGAN": lambda seed: BAGANSampler(image_shape=IMAGE_SHAPE, random_state=seed),
    "BAGAN-GP (D fresh)": lambda seed: BAGANGPSampler(
        image_shape=IMAGE_SHAPE, discriminator_from_encoder=False, random_state=seed
    ),
    "BAGAN-GP (D from encoder)": lambda seed: BAGANGPSampler(
        image_shape=IMAGE_SHAPE, discriminator_from_encoder=True, random_state=seed
    ),
    "AC-GAN": lambda seed: ACGANSampler(image_shape=IMAGE_SHAPE, random_state=seed),
}


def imbalanced_digits(max_per_class, min_per_class, seed):
    """All digits, and the training rows of the library's ``ir`` split (GAMO's protocol):
    geometric class counts from ``max_per_class`` (digit 0) to ``min_per_class`` (digit 9)."""
    X, y = load_digits(return_X_y=True)
    X_train, _, y_train, _ = make_imbalanced_split(
        X,
        y,
        imbalance_ratio=max_per_class / min_per_class,
        max_per_class=max_per_class,
        random_state=seed,
    )
    return X, y, X_train, y_train


def timed_fit(sampler, X, y):
    """Wall-clock and process CPU seconds of ``sampler.fit_resample(X, y)``."""
    wall, cpu = time.perf_counter(), time.process_time()
    sampler.fit_resample(X, y)
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samplers", nargs="+", default=list(SAMPLERS), choices=list(SAMPLERS))
    parser.add_argument("--max-per-class", type=int, default=175)
    parser.add_argument("--min-per-class", type=int, default=5)
    parser.add_argument("--n-generated", type=int, default=200, help="images per class")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--full", action="store_true", help="also time fits on all digits")
    parser.add_argument(
        "--threads", type=int, default=1, help="torch threads (1 gives steadier timings)"
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)

    X_full, y_full, X, y = imbalanced_digits(args.max_per_class, args.min_per_class, seed=0)
    # gamma=0.001 is the classic setting for digits' 0-16 pixel values.
    classifier = SVC(gamma=0.001).fit(X_full, y_full)
    print("training counts per digit:", np.bincount(y, minlength=10).tolist())
    print(f"torch threads: {args.threads}; {args.n_generated} generated images per class\n")

    header = "sampler".ljust(28) + "seed  fit_s  cpu_s " + " ".join(f"{d:>5}" for d in range(10))
    print(header + "   mean  min3")
    labels = np.repeat(np.arange(10), args.n_generated)
    for name in args.samplers:
        for seed in args.seeds:
            sampler = SAMPLERS[name](seed)
            fit_seconds, cpu_seconds = timed_fit(sampler, X, y)
            generated = sampler.generate(labels, random_state=seed)
            accuracy = generated_accuracy(classifier, generated, labels)
            per_class = [accuracy[d] for d in range(10)]
            # "min3" is the mean over the three smallest classes (digits 7, 8, 9).
            print(
                f"{name:<28}{seed:>4} {fit_seconds:6.1f} {cpu_seconds:6.1f} "
                + " ".join(f"{a:5.2f}" for a in per_class)
                + f"  {np.mean(per_class):5.2f} {np.mean(per_class[7:]):5.2f}",
                flush=True,
            )

    if args.full:
        print("\nfit_resample on all 1797 digits (balanced, so little is generated):")
        for name in args.samplers:
            fit_seconds, cpu_seconds = timed_fit(SAMPLERS[name](0), X_full, y_full)
            print(f"{name:<28} wall {fit_seconds:6.1f} s  cpu {cpu_seconds:6.1f} s", flush=True)


if __name__ == "__main__":
    main()
