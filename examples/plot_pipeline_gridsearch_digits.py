"""
=======================================================================
Tuning ``sampling_strategy`` with a Pipeline and GridSearchCV on digits
=======================================================================

A GAN sampler is an imbalanced-learn sampler, so it goes into an imbalanced-learn
:class:`~imblearn.pipeline.Pipeline` in front of a classifier, and its parameters are searched
like any others. Here we ask how many digits to generate: none, enough to bring every class to
half the size of the largest, or enough to balance the classes fully (``"auto"``).

The networks are trained for a handful of epochs only, so that this page builds in seconds;
the numbers below illustrate the procedure, not the best a GAN sampler can do.
"""

# %%
# An imbalanced digits problem
# ----------------------------
# :func:`~imbgan.datasets.make_imbalanced_split` applies the GAMO protocol to scikit-learn's
# embedded 8 x 8 digits: training counts fall geometrically from 60 (digit 0) to 6 (digit 9),
# and the test set is balanced.

from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from imblearn.pipeline import make_pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.preprocessing import StandardScaler

from imbgan import CAGANSampler
from imbgan.datasets import load_dataset, make_imbalanced_split
from imbgan.metrics import acsa_score, acsa_scorer, gm_score

X, y, image_shape = load_dataset("digits")
X_train, X_test, y_train, y_test = make_imbalanced_split(
    X, y, imbalance_ratio=10, max_per_class=60, n_test_per_class=50, random_state=0
)
print("training counts:", np.bincount(y_train).tolist())
print("test counts:    ", np.bincount(y_test).tolist())

# %%
# The candidates for ``sampling_strategy``
# ----------------------------------------
# A callable strategy is evaluated on the labels of each cross-validation training fold, so
# it adapts to the fold's own class counts. ``UpTo(f)`` brings every class to at least ``f``
# times the size of the largest class; ``UpTo(0)`` adds nothing, which lets the search tell us
# whether oversampling helps at all.


class UpTo:
    """Oversample every class to at least ``fraction`` of the largest class."""

    def __init__(self, fraction):
        self.fraction = fraction

    def __call__(self, y):
        counts = Counter(y)
        target = int(self.fraction * max(counts.values()))
        return {label: max(count, target) for label, count in counts.items()}

    def __repr__(self):
        return f"UpTo({self.fraction})"


# %%
# The pipeline and the search
# ---------------------------
# The sampler only runs during ``fit``: imbalanced-learn's pipeline passes the test folds to
# the scaler and the classifier untouched. We score with the ACSA (the mean of the per-class
# recalls), so that every digit counts the same.

pipeline = make_pipeline(
    CAGANSampler(image_shape=image_shape, epochs=10, random_state=0),
    StandardScaler(),
    LogisticRegression(max_iter=1000),
)
search = GridSearchCV(
    pipeline,
    {"cagansampler__sampling_strategy": [UpTo(0), UpTo(0.5), "auto"]},
    scoring=acsa_scorer,
    cv=StratifiedKFold(n_splits=3, shuffle=True, random_state=0),
)
search.fit(X_train, y_train)

cv_results = search.cv_results_
results = pd.DataFrame(
    {
        "sampling_strategy": [str(p) for p in cv_results["param_cagansampler__sampling_strategy"]],
        "mean ACSA": cv_results["mean_test_score"],
        "std": cv_results["std_test_score"],
    }
)
results.round(3)

# %%
# Plot the cross-validated score of each candidate.

fig, ax = plt.subplots(figsize=(5, 3))
ax.bar(results["sampling_strategy"], results["mean ACSA"], yerr=results["std"], capsize=4)
ax.set_ylim(max(0.0, results["mean ACSA"].min() - 0.1), 1.0)
ax.set_ylabel("cross-validated ACSA")
ax.set_xlabel("sampling_strategy")
fig.tight_layout()

# %%
# The refitted best pipeline on the held-out, balanced test set
# -------------------------------------------------------------

y_pred = search.predict(X_test)
print("best:", search.best_params_)
print(f"test ACSA: {acsa_score(y_test, y_pred):.3f}")
print(f"test GM:   {gm_score(y_test, y_pred):.3f}")

# %%
# Which candidate wins depends on the data, the classifier and how well the GAN is trained;
# with more epochs the generated digits improve and the answer can change. That is the point
# of searching rather than assuming that full balance is best. The sampler's own parameters
# (``epochs``, ``latent_dim``, ...) can go into the same grid.
