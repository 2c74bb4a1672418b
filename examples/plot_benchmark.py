"""
=====================================
A small benchmark table on the digits
=====================================

:mod:`imbgan.benchmark` compares samplers on one protocol: split the data, resample the
training rows, train a fixed classifier, score the untouched test rows. From the command line::

    python -m imbgan.benchmark --quick

runs every sampler on the digits in its quick mode. Here we call the same harness from Python
with even smaller settings (one seed, a small training set, five GAN epochs, a logistic
regression) so that the page builds in seconds. **These numbers say how to run and read a
benchmark, not which sampler is best**: with five epochs the GANs are barely trained. Run the
command line without ``--quick`` for real numbers.
"""

# %%
# Run
# ---
# The GAMO protocol (``"ir"``): training counts fall geometrically from ``max_per_class`` to
# ``max_per_class / imbalance_ratio`` and the test set is balanced. ``none`` is the classifier
# on the imbalanced data, ``ros`` random oversampling, ``smote`` SMOTE and ``mirror`` the
# mirroring baseline.

import matplotlib.pyplot as plt
import pandas as pd

from imbgan.benchmark import BenchmarkConfig, format_table, run_benchmark, summarize

config = BenchmarkConfig(
    dataset="digits",
    protocol="ir",
    imbalance_ratio=10,
    max_per_class=40,
    samplers=("none", "ros", "smote", "mirror", "cgan", "acgan", "cagan"),
    classifier="logreg",
    seeds=(0,),
    quick=True,
)
result = run_benchmark(config, progress=False)

# %%
# The table
# ---------
# One row per sampler: ACSA (mean per-class recall), GM (geometric mean of the per-class
# recalls), the recall on the minority classes (here every class smaller than the largest),
# each as mean +- std over the cells (a single seed here, hence a std of 0), and the mean
# ``fit_resample`` time on the machine that built this page.

summary = summarize(result)
print(format_table(summary))

# %%
# The same summary as a DataFrame, plotted.

table = pd.DataFrame(summary).set_index("sampler")
fig, ax = plt.subplots(figsize=(6, 3))
table["acsa_mean"].plot.bar(ax=ax, yerr=table["acsa_std"], capsize=3, color="tab:blue")
ax.set_ylabel("test ACSA")
ax.set_ylim(max(0.0, table["acsa_mean"].min() - 0.1), 1.0)
ax.set_xlabel("")
fig.tight_layout()
