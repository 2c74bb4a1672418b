"""
================================
Generated digits, class by class
================================

Fit a conditional GAN on an imbalanced version of scikit-learn's 8 x 8 digits, draw new
digits of every class with :meth:`~imbgan.BaseImbganSampler.generate`, and look at them next
to real ones. We also ask a classifier trained on real digits whether it recognises the
generated ones, the first of the quality checks of the BAGAN paper
(:func:`imbgan.metrics.generated_accuracy`), and plot the training losses from ``history_``.

The GAN is trained for a few dozen epochs on a CPU so that this page builds quickly; expect
rough digits. More epochs give cleaner ones.
"""

# %%
# Data and sampler
# ----------------
# The digits come as rows of 64 pixel values from 0 to 16; ``image_shape=(1, 8, 8)`` tells the
# sampler how each row folds into an image, so it uses convolutional networks.

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from imbgan import CGANSampler
from imbgan.datasets import load_dataset, make_imbalanced_split
from imbgan.metrics import generated_accuracy
from imbgan.plotting import plot_samples_per_class

X, y, image_shape = load_dataset("digits")
X_train, X_test, y_train, y_test = make_imbalanced_split(
    X, y, imbalance_ratio=10, max_per_class=80, n_test_per_class=60, random_state=0
)
print("training counts:", np.bincount(y_train).tolist())

# Small batches give more updates per epoch on a training set of a few hundred rows.
sampler = CGANSampler(image_shape=image_shape, epochs=40, batch_size=32, random_state=0)
X_res, y_res = sampler.fit_resample(X_train, y_train)
print("after fit_resample:", np.bincount(y_res).tolist())

# %%
# Real and generated digits
# -------------------------
# ``generate(labels)`` returns exactly one sample per label, in the layout and dtype of the
# training data. :func:`imbgan.plotting.plot_samples_per_class` draws them with one row per
# class: four real training digits on the left, eight generated ones on the right.

n_real, n_generated = 4, 8
classes = sampler.classes_
labels = np.repeat(classes, n_generated)
generated = sampler.generate(labels, random_state=0)

# Four training digits of each class, picked at random.
rng = np.random.RandomState(0)
real = np.concatenate([rng.permutation(np.flatnonzero(y_train == c))[:n_real] for c in classes])

ax = plot_samples_per_class(
    generated,
    labels,
    image_shape=image_shape,
    X_real=X_train[real],
    y_real=y_train[real],
    value_range=(0, 16),
    title="Digit (training count): real | generated",
)
ax.set_yticklabels([f"{c} ({np.sum(y_train == c)})" for c in classes])

# %%
# Does a classifier trained on real digits recognise them?
# --------------------------------------------------------
# A classifier fitted on the balanced test digits (real data the GAN never saw) labels 50
# generated digits per class. Random guessing would score 0.1.

judge = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X_test, y_test)
labels = np.repeat(classes, 50)
accuracy = generated_accuracy(judge, sampler.generate(labels, random_state=1), labels)
for label, value in accuracy.items():
    print(f"digit {label}: {value:.2f} recognised")

# %%
# The training curves
# -------------------
# ``history_`` holds the mean of each loss per epoch. GAN losses do not go to zero: the two
# networks play against each other, and a steady band is a good sign (see the user guide page
# on reading ``history_``).

fig, ax = plt.subplots(figsize=(5, 3))
for name, values in sampler.history_.items():
    ax.plot(np.arange(1, len(values) + 1), values, label=name)
ax.set_xlabel("epoch")
ax.set_ylabel("mean loss (least squares)")
ax.legend()
fig.tight_layout()
