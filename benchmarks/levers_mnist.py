"""What generated_share and selection change, with one trained generator per sampler and seed.

Fits a sampler once on the MNIST IR-100 split of a seed, then draws the new rows in several ways
(random oversampling; generated rows only; with selection; half generated; half generated with
selection; a quarter generated), trains the benchmark CNN (and optionally the MLP) on each
resampled set and prints the ACSA on the balanced test set. Reusing one trained generator keeps
the comparison about the levers, not about the noise between two GAN fits.

Each draw can also change parameters that act at drawing time (``--draw``): DeepSMOTE's
``latent_sampling`` or the judge of the selection (``selection_classifier``: ``default``, ``lr``
for the engine's class-balanced logistic regression, ``knn1``, ``knn3``, ``nearest-row`` for
:class:`imbgan.NearestRowClassifier`, a 1-NN judge that ranks the accepted candidates by their
distances to each class, most typical first (cGAN's and CA-GAN's default for images),
``nearest-row-border`` for the same ranking reversed). ``match_intensities=True`` is a probe
of this script, not a sampler parameter: it maps the pixel values of each class's generated
rows onto the distribution of the pixel values of its real training rows.

Besides the protocol's 50 test images per class, every resampled set is also scored on all
rows of the file that are not training rows ("held-out", about 4,000 images: less noise), and
the generated rows (not the copies) are judged as the harness's ``--quality`` judges them, by
the benchmark CNN trained on every row of the file ("recognised": mean over classes and the
worst class).

Usage::

    python benchmarks/levers_mnist.py --data ../shared/data/mnist_test_first5000.npz \\
        --sampler CAGANSampler --seed 0 --classifiers cnn
    python benchmarks/levers_mnist.py --data ../shared/data/mnist_test_first5000.npz \\
        --sampler DeepSMOTESampler --seed 0 --levers ros half+selection \\
        --draw latent_sampling=smote,selection_classifier=lr latent_sampling=transfer
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from _cli import parse_assignments
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier

import imbgan
from imbgan import NearestRowClassifier
from imbgan._selection import (
    logistic_selection_classifier,
    nearest_neighbour_selection_classifier,
)
from imbgan.benchmark import SmallCNNClassifier
from imbgan.datasets import make_imbalanced_split
from imbgan.metrics import acsa_score

LEVERS = {
    "ros": dict(generated_share=0.0, selection=None),
    "generated": dict(generated_share=1.0, selection=None),
    "generated+selection": dict(generated_share=1.0, selection="confidence"),
    "half": dict(generated_share=0.5, selection=None),
    "half+selection": dict(generated_share=0.5, selection="confidence"),
    "quarter": dict(generated_share=0.25, selection=None),
    "quarter+selection": dict(generated_share=0.25, selection="confidence"),
    "three-quarters+selection": dict(generated_share=0.75, selection="confidence"),
}


class Unranked(ClassifierMixin, BaseEstimator):
    """Accepts what ``estimator`` predicts but gives every accepted row the same confidence
    (one-hot probabilities), so the selection keeps accepted candidates in generation order:
    separates a judge's acceptance from its ranking."""

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y):
        self.estimator_ = clone(self.estimator).fit(X, y)
        self.classes_ = self.estimator_.classes_
        return self

    def predict_proba(self, X):
        decided = self.estimator_.predict_proba(X).argmax(axis=1)
        return np.eye(len(self.classes_))[decided]


class Borderline(Unranked):
    """Accepts what ``estimator`` predicts but ranks the accepted rows the other way round: the
    least confident (the nearest to another class) first. Probes whether the rows near the
    class border teach the classifier more than the typical ones."""

    def predict_proba(self, X):
        probabilities = self.estimator_.predict_proba(X)
        decided = probabilities.argmax(axis=1)
        confidence = probabilities.max(axis=1, keepdims=True)
        n_classes = len(self.classes_)
        # The decided class keeps the largest value (1 - c/2 >= 1/2 > (c/2) / (k - 1) for
        # k > 2), which now falls as the judge's confidence c rises.
        flipped = np.tile(confidence / 2 / max(n_classes - 1, 1), (1, n_classes))
        flipped[np.arange(len(X)), decided] = 1 - confidence[:, 0] / 2
        return flipped


JUDGES = {
    "default": lambda: None,
    "lr": logistic_selection_classifier,
    "lr-unranked": lambda: Unranked(logistic_selection_classifier()),
    "knn1": nearest_neighbour_selection_classifier,
    "knn3": lambda: KNeighborsClassifier(3),
    "nearest-row": NearestRowClassifier,
    "nearest-row-border": lambda: Borderline(NearestRowClassifier()),
}


def parse_draw(spec):
    """``"a=x,b=y"`` -> parameters to set before drawing (judges by name, see ``JUDGES``)."""
    params = parse_assignments(filter(None, spec.split(",")))
    if "selection_classifier" in params:
        params["selection_classifier"] = JUDGES[params["selection_classifier"]]()
    return params


def match_intensities(X_new, y_new, generated, X_real, y_real, n_quantiles=1001):
    """Probe: map the pixel values of each class's generated rows onto the distribution of
    pixel values of its real rows (quantile matching, one monotone map per class)."""
    X_new = X_new.copy()
    levels = np.linspace(0, 1, n_quantiles)
    for c in np.unique(y_new[generated]):
        rows = generated & (y_new == c)
        source = np.quantile(X_new[rows], levels)
        target = np.quantile(X_real[y_real == c], levels)
        X_new[rows] = np.interp(X_new[rows], source, target)
    return X_new


def rows_not_in(X, rows):
    """Mask of the rows of ``X`` that do not occur in ``rows`` (exact byte match)."""
    keys = {row.tobytes() for row in rows}
    return np.array([row.tobytes() not in keys for row in X])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="an .npz with X (n, 28, 28) and y")
    parser.add_argument("--sampler", default="CAGANSampler")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--classifiers", nargs="+", default=["cnn"], choices=["cnn", "mlp"])
    parser.add_argument("--levers", nargs="+", default=list(LEVERS), choices=list(LEVERS))
    parser.add_argument("--epochs", default="auto", help='GAN epochs (default "auto")')
    parser.add_argument(
        "--set",
        nargs="+",
        default=[],
        metavar="NAME=VALUE",
        help="sampler parameters for the fit (VALUE read as a Python literal, else a string)",
    )
    parser.add_argument(
        "--draw",
        nargs="+",
        default=[""],
        help="parameter sets applied before drawing, each NAME=VALUE[,NAME=VALUE]",
    )
    args = parser.parse_args()
    torch.set_num_threads(1)

    data = np.load(args.data)
    X = data["X"].reshape(len(data["X"]), -1).astype(np.float32) / 255.0
    y = data["y"]
    X_train, X_test, y_train, y_test = make_imbalanced_split(
        X, y, imbalance_ratio=100, max_per_class=400, n_test_per_class=50, random_state=args.seed
    )
    held_out = rows_not_in(X, X_train)
    # The harness's --quality judge: the benchmark CNN trained on every row of the file.
    judge = SmallCNNClassifier(image_shape=(1, 28, 28), epochs=15, random_state=0).fit(X, y)
    epochs = args.epochs if args.epochs == "auto" else int(args.epochs)
    params = {"image_shape": (1, 28, 28), "epochs": epochs, "random_state": args.seed}
    sampler = getattr(imbgan, args.sampler)(**{**params, **parse_assignments(args.set)})
    started = time.perf_counter()
    sampler.fit_resample(X_train, y_train)
    seconds = time.perf_counter() - started
    print(f"{args.sampler} {' '.join(args.set)} seed {args.seed}: fitted in {seconds:.0f} s")

    new_index = sampler._new_class_index()
    y_index = np.searchsorted(sampler.classes_, y_train)
    fitted_with = sampler.get_params(deep=False)
    # Random oversampling draws nothing from the generator: once is enough.
    runs = [(d, lever) for d in args.draw for lever in args.levers]
    runs = [(d, lever) for d, lever in runs if lever != "ros" or d == args.draw[0]]
    for draw, lever in runs:
        # Each draw starts from the fitted parameters, so one draw's settings never leak on.
        draw_params = parse_draw(draw)
        matched = draw_params.pop("match_intensities", False)
        sampler.set_params(**{**fitted_with, **draw_params, **LEVERS[lever]})
        rng = np.random.RandomState(args.seed)
        X_new = sampler._new_rows(X_train, y_index, new_index, rng).astype(np.float32)
        y_new = sampler.classes_[new_index]
        generated = sampler.copied_from_ < 0
        if matched:
            X_new = match_intensities(X_new, y_new, generated, X_train, y_train)
            X_new = X_new.astype(np.float32)
        X_res = np.vstack([X_train, X_new])
        y_res = np.concatenate([y_train, y_new])
        recognised = [
            np.mean(judge.predict(X_new[generated & (y_new == c)]) == c)
            for c in np.unique(y_new[generated])
        ]
        quality = (
            f"recognised {np.mean(recognised):.2f}/{np.min(recognised):.2f}"
            if recognised
            else "no generated rows"
        )
        for name in args.classifiers:
            if name == "cnn":
                classifier = SmallCNNClassifier(
                    image_shape=(1, 28, 28), epochs=15, random_state=args.seed
                )
            else:
                classifier = MLPClassifier(max_iter=300, random_state=args.seed)
            classifier.fit(X_res, y_res)
            score = acsa_score(y_test, classifier.predict(X_test))
            score_held_out = acsa_score(y[held_out], classifier.predict(X[held_out]))
            print(
                f"{args.sampler:<14} seed {args.seed} {draw or '-':<45} {lever:<20} {name}  "
                f"ACSA {score:.3f}  held-out {score_held_out:.3f}  generated {generated.sum()}  "
                f"{quality}",
                flush=True,
            )


if __name__ == "__main__":
    main()
