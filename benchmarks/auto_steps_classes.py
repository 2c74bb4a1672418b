"""How many training steps a conditional GAN needs as the number of classes grows.

``epochs="auto"`` aims for a fixed number of training steps (batches). In a conditional GAN
every batch is shared between the classes, so each class gets ``batch_size / n_classes`` rows
per step: a data set with more classes could need more steps. This script measures it on
scikit-learn's 8 x 8 digits: the first ``k`` digits (``--classes``), the same number of
training images per class whatever ``k``, one fit per number of steps (``--steps``), and the
share of each class's generated images that an SVM trained on the other digit images (all ten
classes, so that chance does not depend on ``k``) recognises as their class. The samplers draw
plainly (``generate``), without selection or copies.

Usage::

    python benchmarks/auto_steps_classes.py --sampler CGANSampler --seeds 0 1
    python benchmarks/auto_steps_classes.py --classes 2 5 10 --steps 100 200 400 800 1600

Prints one line per number of classes, seed and number of steps: the epochs run, the fit's
seconds and the mean recognised share over the classes (and the worst class).
"""

import argparse
import math
import time

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.svm import SVC

import imbgan


def split(n_classes, per_class, seed):
    """``per_class`` training images of each of digits ``0 .. n_classes - 1`` (drawn with
    ``seed``) and every digit image not drawn, of all ten classes, for the judge."""
    X, y = load_digits(return_X_y=True)
    rng = np.random.RandomState(seed)
    train = np.concatenate(
        [rng.choice(np.flatnonzero(y == c), per_class, replace=False) for c in range(n_classes)]
    )
    rest = np.setdiff1d(np.arange(len(y)), train)
    return X[train], y[train], X[rest], y[rest]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sampler", default="CGANSampler")
    parser.add_argument("--classes", nargs="+", type=int, default=[2, 5, 10])
    parser.add_argument("--steps", nargs="+", type=int, default=[100, 200, 400, 800, 1600])
    parser.add_argument("--per-class", type=int, default=60)
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1])
    parser.add_argument("--n-generated", type=int, default=200, help="images drawn per class")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    print(
        f"# {args.sampler}, {args.per_class} training images per class, torch threads "
        f"{args.threads}"
    )
    print("classes  seed  steps  epochs  fit_s  recognised  worst")
    for n_classes in args.classes:
        for seed in args.seeds:
            X, y, X_judge, y_judge = split(n_classes, args.per_class, seed)
            judge = SVC(gamma="scale").fit(X_judge, y_judge)
            for steps in args.steps:
                sampler = getattr(imbgan, args.sampler)(image_shape=(1, 8, 8), random_state=seed)
                batches = max(1, len(X) // sampler.batch_size)
                sampler.set_params(epochs=math.ceil(steps / batches))
                started = time.perf_counter()
                sampler.fit_resample(X, y)
                seconds = time.perf_counter() - started
                wanted = np.repeat(np.arange(n_classes), args.n_generated)
                recognised = [
                    float(
                        np.mean(
                            judge.predict(sampler.generate(wanted[wanted == c], random_state=seed))
                            == c
                        )
                    )
                    for c in range(n_classes)
                ]
                print(
                    f"{n_classes:7d}  {seed:4d}  {steps:5d}  {sampler.n_epochs_:6d}  "
                    f"{seconds:5.1f}  {np.mean(recognised):10.3f}  {min(recognised):5.3f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
