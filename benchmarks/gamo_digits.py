"""GAMO's evaluation protocol (Mullick et al., 2019, section 4) at the scale of sklearn's digits.

The paper trains on MNIST with geometric class counts (4000 down to 40) and tests on a balanced
set of 100 images per class. Here: the 8x8 digits embedded in scikit-learn, split by
:func:`imbgan.datasets.make_imbalanced_split` (the benchmark's ``ir`` protocol), training counts
falling geometrically from ``--max-per-class`` to ``max-per-class / --imbalance-ratio``, a
balanced test set of ``--test-per-class`` other images per class, and one fixed classifier
(a scikit-learn MLP with fixed settings) trained on the output of each resampler:

- no resampling, SMOTE (``k_neighbors`` lowered to fit the smallest class), random
  oversampling, GAMO and GAMO without its discriminator (GAMO\\D);
- plus GAMO's own classifier ``M`` (``GAMOSampler.classifier_``), the paper's end product.

ACSA (mean per-class recall, ``balanced_accuracy_score``) and GM (geometric mean of the
per-class recalls, ``geometric_mean_score``) are printed as mean +- std over the seeds, with the
mean time of ``fit_resample``. This prints numbers; it is not a test.

Run with ``python benchmarks/gamo_digits.py`` (``--help`` for the options).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from imblearn.metrics import geometric_mean_score
from imblearn.over_sampling import SMOTE, RandomOverSampler
from sklearn.datasets import load_digits
from sklearn.metrics import balanced_accuracy_score
from sklearn.neural_network import MLPClassifier

from imbgan import GAMOSampler
from imbgan.datasets import make_imbalanced_split


def fixed_classifier(seed, hidden_layers=(128,)):
    """The classifier every resampler feeds; its settings never change between methods."""
    return MLPClassifier(hidden_layer_sizes=tuple(hidden_layers), max_iter=400, random_state=seed)


def resamplers(seed, smallest_class, gamo_options):
    # SMOTE needs k_neighbors < the smallest class size.
    return {
        "SMOTE": SMOTE(k_neighbors=min(5, smallest_class - 1), random_state=seed),
        "RandomOverSampler": RandomOverSampler(random_state=seed),
        "GAMO": GAMOSampler(random_state=seed, **gamo_options),
        "GAMO\\D": GAMOSampler(use_discriminator=False, random_state=seed, **gamo_options),
    }


def scores(y_true, y_pred):
    return balanced_accuracy_score(y_true, y_pred), geometric_mean_score(y_true, y_pred)


def run(args):
    X, y = load_digits(return_X_y=True)
    gamo_options = {}
    if args.epochs is not None:
        gamo_options["epochs"] = args.epochs
    if args.n_anchors is not None:
        gamo_options["n_anchors"] = None if args.n_anchors == "none" else int(args.n_anchors)
    results = {}  # method -> list of (acsa, gm, fit seconds)

    for seed in range(args.seeds):
        X_train, X_test, y_train, y_test = make_imbalanced_split(
            X,
            y,
            imbalance_ratio=args.imbalance_ratio,
            max_per_class=args.max_per_class,
            n_test_per_class=args.test_per_class,
            random_state=seed,
        )
        counts = np.bincount(y_train)
        if seed == 0:
            print(f"train counts {counts.tolist()}, test {np.bincount(y_test).tolist()}")

        model = fixed_classifier(seed, args.hidden_layers).fit(X_train, y_train)
        results.setdefault("no resampling", []).append((*scores(y_test, model.predict(X_test)), 0))

        for name, sampler in resamplers(seed, counts.min(), gamo_options).items():
            start = time.perf_counter()
            X_res, y_res = sampler.fit_resample(X_train, y_train)
            fit_seconds = time.perf_counter() - start
            model = fixed_classifier(seed, args.hidden_layers).fit(X_res, y_res)
            results.setdefault(name, []).append(
                (*scores(y_test, model.predict(X_test)), fit_seconds)
            )
            if name == "GAMO":
                # The paper's end product: GAMO's own classifier M, trained with the generator.
                predicted = sampler.classifier_.predict(X_test)
                results.setdefault("GAMO's own classifier M", []).append(
                    (*scores(y_test, predicted), fit_seconds)
                )
        print(f"seed {seed} done", flush=True)

    print(
        f"\n{'method':<26}{'ACSA':>16}{'GM':>16}{'fit_resample s':>18}"
        f"   ({args.seeds} seeds, mean +- std)"
    )
    for name, rows in results.items():
        rows = np.asarray(rows)
        mean, std = rows.mean(axis=0), rows.std(axis=0)
        print(
            f"{name:<26}{mean[0]:>9.4f} +- {std[0]:.4f}{mean[1]:>9.4f} +- {std[1]:.4f}"
            f"{mean[2]:>12.2f} +- {std[2]:.2f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--imbalance-ratio", type=float, default=20.0)
    parser.add_argument("--max-per-class", type=int, default=120)
    parser.add_argument("--test-per-class", type=int, default=50)
    parser.add_argument("--epochs", type=int, default=None, help="GAMO epochs (default: its own)")
    parser.add_argument(
        "--n-anchors",
        default=None,
        help="GAMO's n_anchors: an int or 'none' (every row); default: GAMO's own",
    )
    parser.add_argument(
        "--hidden-layers",
        type=int,
        nargs="+",
        default=[128],
        help="hidden layer sizes of the fixed MLPClassifier (256 128 matches GAMO's own M)",
    )
    parser.add_argument(
        "--torch-threads",
        type=int,
        default=1,
        help="torch CPU threads; 1 avoids oversubscription on a small shared machine",
    )
    args = parser.parse_args()
    torch.set_num_threads(args.torch_threads)
    run(args)


if __name__ == "__main__":
    main()
