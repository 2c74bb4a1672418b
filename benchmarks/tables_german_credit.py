"""Every GAN sampler on a mixed-type table as users hold it: German credit with its text columns.

Reads ``german_credit.csv`` (13 text columns, 7 integer columns, label ``class``: good 700 /
bad 300) as a pandas DataFrame, text columns intact, and cross-validates (stratified 5-fold, one
seed) the pipeline ``sampler -> ColumnTransformer(OneHotEncoder(handle_unknown="ignore") on
the text columns, StandardScaler on the numbers) -> LogisticRegression`` for no resampling,
random oversampling, SMOTENC and each GAN sampler with its defaults. ``--ir 10`` first drops
rows of the minority class ``bad`` from each training fold (never from the test fold) until
the imbalance ratio is 10.

A second table looks at what the GAN samplers generate in each fold (the ``bad`` rows they
add), to see why they help or harm:

* ``judge``: share of generated rows that a logistic regression trained on the fold's real
  rows (same encoding) assigns to ``bad``; the same for the real ``bad`` rows is in the
  ``real`` line. Far below the real share means rows outside the class;
* ``cat TV``: total-variation distance between the category frequencies of the generated rows
  and of the real ``bad`` rows, averaged over the 13 text columns (0: the same frequencies);
* ``num KS``: Kolmogorov-Smirnov statistic between generated and real ``bad`` values, averaged
  over the 7 numeric columns;
* ``unique``: distinct generated rows / generated rows (mode collapse shows as a low share);
* ``steps``: training steps (batches) of the adversarial phase, ``epochs``: epochs run.

Usage::

    python benchmarks/tables_german_credit.py                     # the table as it is
    python benchmarks/tables_german_credit.py --ir 10
    python benchmarks/tables_german_credit.py --samplers CGANSampler --folds 2   # quick look
    python benchmarks/tables_german_credit.py --continuous-encoding mode-specific
    python benchmarks/tables_german_credit.py --ir 10 --samplers GAMOSampler \
        --set selection=confidence

One seed (``--seed``) and one thread per fit by default; prints mean and std over the folds.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from _cli import parse_assignments
from imblearn.over_sampling import SMOTENC, RandomOverSampler
from imblearn.pipeline import make_pipeline
from scipy.stats import ks_2samp
from sklearn.base import clone
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import imbgan

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "german_credit.csv"
GAN_SAMPLERS = [
    "CGANSampler",
    "ACGANSampler",
    "CAGANSampler",
    "BAGANSampler",
    "BAGANGPSampler",
    "GAMOSampler",
]


def encoder():
    return make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
        (StandardScaler(), make_column_selector(dtype_include="number")),
    )


def classifier():
    return LogisticRegression(max_iter=1000)


def samplers(names, text_columns, seed, params):
    out = {"none": None, "ros": RandomOverSampler(random_state=seed)}
    out["smotenc"] = SMOTENC(categorical_features=text_columns, random_state=seed)
    for name in names:
        cls = getattr(imbgan, name)
        accepted = {k: v for k, v in params.items() if k in cls().get_params()}
        out[name] = cls(random_state=seed, device="cpu", **accepted)
    return out


def make_imbalanced(X, y, ratio, rng):
    """Drop minority rows until n_majority / n_minority is ``ratio``."""
    labels, counts = np.unique(y, return_counts=True)
    minority = labels[np.argmin(counts)]
    keep_minority = max(1, round(counts.max() / ratio))
    rows = np.flatnonzero(y == minority)
    drop = rng.choice(rows, len(rows) - keep_minority, replace=False)
    keep = np.setdiff1d(np.arange(len(y)), drop)
    return X.iloc[keep], y[keep]


def diagnostics(sampler, X_train, y_train, X_res, y_res, minority):
    """What a GAN sampler added to the minority class, compared with the real minority rows."""
    generated = X_res.iloc[len(X_train) :]
    real = X_train[y_train == minority]
    judge = make_pipeline(encoder(), classifier()).fit(X_train, y_train)
    text = [c for c in X_train.columns if not pd.api.types.is_numeric_dtype(X_train[c])]
    numbers = [c for c in X_train.columns if c not in text]
    tv = []
    for column in text:
        p = real[column].value_counts(normalize=True)
        q = generated[column].value_counts(normalize=True)
        tv.append(0.5 * p.subtract(q, fill_value=0).abs().sum())
    ks = [ks_2samp(real[c], generated[c]).statistic for c in numbers]
    n_epochs = len(next(iter(sampler.history_.values())))
    return {
        "judge": float(np.mean(judge.predict(generated) == minority)),
        "judge_real": float(np.mean(judge.predict(real) == minority)),
        "cat TV": float(np.mean(tv)),
        "num KS": float(np.mean(ks)),
        "unique": len(generated.drop_duplicates()) / max(1, len(generated)),
        "steps": n_epochs * sampler._batches_per_epoch(len(X_train)),
        "epochs": n_epochs,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ir", type=float, default=None, help="imbalance ratio of training folds")
    parser.add_argument("--samplers", nargs="+", default=GAN_SAMPLERS)
    parser.add_argument("--epochs", default=None, help="override the GAN samplers' epochs")
    parser.add_argument(
        "--continuous-encoding",
        choices=["min-max", "mode-specific"],
        default=None,
        help="the GAN samplers' continuous_encoding (those that have it)",
    )
    parser.add_argument(
        "--set",
        nargs="+",
        default=[],
        metavar="NAME=VALUE",
        help="more GAN sampler parameters (Python literals), for the samplers that have them",
    )
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)

    table = pd.read_csv(args.data)
    y = table.pop("class").to_numpy(dtype=str)  # a unicode array, not objects
    X = table
    text_columns = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
    labels, counts = np.unique(y, return_counts=True)
    minority = labels[np.argmin(counts)]
    params = {}
    if args.epochs is not None:
        params["epochs"] = args.epochs if args.epochs == "auto" else int(args.epochs)
    if args.continuous_encoding is not None:
        params["continuous_encoding"] = args.continuous_encoding
    params.update(parse_assignments(args.set))
    print(
        f"data: {args.data.name}, {X.shape[0]} rows, {len(text_columns)} text and "
        f"{X.shape[1] - len(text_columns)} numeric columns, classes "
        f"{dict(zip(labels.tolist(), counts.tolist()))}; {args.folds}-fold stratified CV, seed "
        f"{args.seed}"
        + (f", training folds made IR {args.ir:g}" if args.ir else "")
        + (f", GAN parameters {params}" if params else "")
    )

    rng = np.random.RandomState(args.seed)
    folds = StratifiedKFold(args.folds, shuffle=True, random_state=args.seed).split(X, y)
    scores, times, diags = {}, {}, {}
    for fold, (train, test) in enumerate(folds):
        X_train, y_train = X.iloc[train], y[train]
        if args.ir:
            X_train, y_train = make_imbalanced(X_train, y_train, args.ir, rng)
        for name, sampler in samplers(args.samplers, text_columns, args.seed, params).items():
            start = time.perf_counter()
            if sampler is None:
                X_res, y_res = X_train, y_train
            else:
                sampler = clone(sampler)
                X_res, y_res = sampler.fit_resample(X_train, y_train)
            elapsed = time.perf_counter() - start
            model = make_pipeline(encoder(), classifier()).fit(X_res, y_res)
            score = balanced_accuracy_score(y[test], model.predict(X.iloc[test]))
            scores.setdefault(name, []).append(score)
            times.setdefault(name, []).append(elapsed)
            if name in args.samplers:
                diags.setdefault(name, []).append(
                    diagnostics(sampler, X_train, y_train, X_res, y_res, minority)
                )
            print(f"  fold {fold}: {name:16s} ACSA {score:.3f}  fit {elapsed:6.1f} s", flush=True)

    print()
    print("| sampler | ACSA (mean ± std) | fit time (s) |")
    print("| --- | --- | --- |")
    for name in scores:
        s = np.asarray(scores[name])
        print(f"| {name} | {s.mean():.3f} ± {s.std():.3f} | {np.mean(times[name]):.1f} |")
    if diags:
        print()
        print(
            "| sampler | judge: generated / real bad | cat TV | num KS | unique | steps | epochs |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for name, rows in diags.items():
            mean = {k: np.mean([r[k] for r in rows]) for k in rows[0]}
            print(
                f"| {name} | {mean['judge']:.2f} / {mean['judge_real']:.2f} | "
                f"{mean['cat TV']:.3f} | {mean['num KS']:.3f} | {mean['unique']:.2f} | "
                f"{mean['steps']:.0f} | {mean['epochs']:.0f} |"
            )


if __name__ == "__main__":
    main()
