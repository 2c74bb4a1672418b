"""What generated_share and selection change, with one trained generator per sampler and seed.

Fits a sampler once on the MNIST IR-100 split of a seed, then draws the new rows in several ways
(random oversampling; generated rows only; with selection; half generated; half generated with
selection; a quarter generated), trains the benchmark CNN (and optionally the MLP) on each
resampled set and prints the ACSA on the balanced test set. Reusing one trained generator keeps
the comparison about the levers, not about the noise between two GAN fits.

Usage::

    python benchmarks/levers_mnist.py --data ../shared/data/mnist_test_first5000.npz \\
        --sampler CAGANSampler --seed 0 --classifiers cnn
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from sklearn.neural_network import MLPClassifier

import imbgan
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
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="an .npz with X (n, 28, 28) and y")
    parser.add_argument("--sampler", default="CAGANSampler")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--classifiers", nargs="+", default=["cnn"], choices=["cnn", "mlp"])
    parser.add_argument("--levers", nargs="+", default=list(LEVERS), choices=list(LEVERS))
    parser.add_argument("--epochs", default="auto", help='GAN epochs (default "auto")')
    args = parser.parse_args()
    torch.set_num_threads(1)

    data = np.load(args.data)
    X = data["X"].reshape(len(data["X"]), -1).astype(np.float32) / 255.0
    y = data["y"]
    X_train, X_test, y_train, y_test = make_imbalanced_split(
        X, y, imbalance_ratio=100, max_per_class=400, n_test_per_class=50, random_state=args.seed
    )
    epochs = args.epochs if args.epochs == "auto" else int(args.epochs)
    sampler = getattr(imbgan, args.sampler)(
        image_shape=(1, 28, 28), epochs=epochs, random_state=args.seed
    )
    started = time.perf_counter()
    sampler.fit_resample(X_train, y_train)
    print(f"{args.sampler} seed {args.seed}: fitted in {time.perf_counter() - started:.0f} s")

    positions = {label: i for i, label in enumerate(sampler.classes_)}
    new_index = np.concatenate(
        [np.full(n, positions[label]) for label, n in sampler.sampling_strategy_.items()]
    ).astype(np.intp)
    y_index = np.searchsorted(sampler.classes_, y_train)
    for lever in args.levers:
        sampler.set_params(**LEVERS[lever])
        rng = np.random.RandomState(args.seed)
        X_new = sampler._new_rows(X_train, y_index, new_index, rng).astype(np.float32)
        X_res = np.vstack([X_train, X_new])
        y_res = np.concatenate([y_train, sampler.classes_[new_index]])
        for name in args.classifiers:
            if name == "cnn":
                classifier = SmallCNNClassifier(
                    image_shape=(1, 28, 28), epochs=15, random_state=args.seed
                )
            else:
                classifier = MLPClassifier(max_iter=300, random_state=args.seed)
            classifier.fit(X_res, y_res)
            score = acsa_score(y_test, classifier.predict(X_test))
            print(f"{args.sampler:<14} seed {args.seed} {lever:<20} {name}  ACSA {score:.3f}")


if __name__ == "__main__":
    main()
