"""
======================================
Tabular data in a pandas DataFrame
======================================

GAN samplers are not only for images. On tabular data they use small MLPs, scale each
column on its own, and keep the container: a DataFrame with string labels goes in, a DataFrame
with the same columns and a Series with the same labels comes out.

We make scikit-learn's embedded breast-cancer data imbalanced (keeping only 30 of the 212
malignant tumours), oversample it with :class:`~imbgan.CGANSampler`, look at the generated
rows, and compare a classifier trained with and without them.
"""

# %%
# An imbalanced DataFrame with string labels
# ------------------------------------------

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from imbgan import CGANSampler
from imbgan.metrics import acsa_score, gm_score

data = load_breast_cancer(as_frame=True)
X = data.data
y = data.target.map({0: "malignant", 1: "benign"}).rename("diagnosis")

rng = np.random.RandomState(0)
malignant = np.flatnonzero(y == "malignant")
keep = np.concatenate([np.flatnonzero(y == "benign"), rng.choice(malignant, 30, replace=False)])
X, y = X.iloc[np.sort(keep)], y.iloc[np.sort(keep)]
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, test_size=0.3, random_state=0)
y_train.value_counts()

# %%
# Resample: the DataFrame stays a DataFrame
# -----------------------------------------
# The original rows come first, unchanged; the generated malignant rows are appended. Each
# generated value lies in the range of its column in the training data.

sampler = CGANSampler(epochs=100, batch_size=32, random_state=0)
X_res, y_res = sampler.fit_resample(X_train, y_train)
print(type(X_res).__name__, X_res.shape)
print(type(y_res).__name__, y_res.value_counts().to_dict())

generated = X_res.iloc[len(X_train) :]
generated.iloc[:5, :6]

# %%
# Generated and real malignant rows, two features at a time
# ---------------------------------------------------------

real_malignant = X_train[y_train == "malignant"]
real_benign = X_train[y_train == "benign"]
pairs = [("mean radius", "mean texture"), ("worst concave points", "worst area")]
fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
for ax, (a, b) in zip(axes, pairs):
    ax.scatter(real_benign[a], real_benign[b], s=8, c="lightgray", label="benign (real)")
    ax.scatter(
        generated[a], generated[b], s=10, c="tab:orange", alpha=0.6, label="malignant (generated)"
    )
    ax.scatter(
        real_malignant[a],
        real_malignant[b],
        s=22,
        c="tab:red",
        marker="x",
        label="malignant (real)",
    )
    ax.set_xlabel(a)
    ax.set_ylabel(b)
axes[0].legend(loc="lower right", fontsize=8)
fig.tight_layout()

# %%
# Training curves
# ---------------
# ``history_`` maps each loss to its per-epoch mean; a DataFrame makes it a one-liner to plot.

pd.DataFrame(sampler.history_).plot(xlabel="epoch", ylabel="mean loss", figsize=(5, 3))

# %%
# Does it help the classifier?
# ----------------------------
# The same pipeline without oversampling, with SMOTE and with the GAN sampler, each scored on
# the untouched test split. On a small tabular problem like this SMOTE is a strong baseline;
# always compare (and cross-validate, see the user guide on tuning) before choosing.

candidates = {
    "no oversampling": None,
    "SMOTE": SMOTE(random_state=0),
    "CGANSampler": CGANSampler(epochs=100, batch_size=32, random_state=0),
}
rows = []
for name, candidate in candidates.items():
    steps = [candidate] if candidate is not None else []
    model = make_pipeline(*steps, StandardScaler(), LogisticRegression(max_iter=1000))
    y_pred = model.fit(X_train, y_train).predict(X_test)
    rows.append(
        {
            "sampler": name,
            "ACSA": acsa_score(y_test, y_pred),
            "GM": gm_score(y_test, y_pred),
            "malignant recall": np.mean(y_pred[y_test == "malignant"] == "malignant"),
        }
    )
pd.DataFrame(rows).round(3)

# %%
# One split of a small test set (9 malignant tumours) is a noisy measurement: read the table
# as an illustration of the workflow, not as a verdict on the samplers.
