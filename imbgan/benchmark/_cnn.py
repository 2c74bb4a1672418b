"""A small convolutional classifier for images, with the scikit-learn estimator interface."""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data
from torch import nn

from .._data import check_image_shape
from .._torch import predict_proba_in_chunks
from ..base import MAX_SEED, resolve_device, seeded_torch

_PREDICT_BATCH = 1024


class SmallCNNClassifier(ClassifierMixin, BaseEstimator):
    """Two convolution blocks and a small dense head, trained with Adam on cross-entropy.

    A fixed, cheap image classifier for the benchmark: it sees flattened rows like every other
    scikit-learn classifier (so it fits in an imblearn pipeline after a sampler) and reshapes
    them to ``image_shape`` inside.

    Architecture: ``conv3x3(channels[0]) -> ReLU -> max-pool 2 -> conv3x3(channels[1]) -> ReLU
    -> adaptive average pool to 2 x 2 -> dense(hidden) -> ReLU -> dense(n_classes)``. Inputs are
    standardised with the mean and standard deviation of all training pixels, so raw 0-255
    pixels and [0, 1] pixels train alike.

    Parameters
    ----------
    image_shape : tuple of int
        ``(channels, height, width)`` or ``(height, width)`` of one sample; the product must be
        the number of features.
    channels : tuple of two int, default=(16, 32)
        Filters of the two convolutions.
    hidden : int, default=64
        Units of the dense hidden layer.
    epochs : int, default=15
        Passes over the training data (raised to meet ``min_steps``).
    min_steps : int, default=0
        At least this many gradient steps: on small training sets ``epochs`` passes are few
        steps (15 passes over 355 imbalanced 8 x 8 digits are 90 steps, which left the network
        at 0.50 balanced accuracy where 600 steps reached 0.91), so the number of passes is
        raised to ``ceil(min_steps / steps_per_epoch)`` when that is more. 0 keeps ``epochs``
        as given. The passes actually run are ``n_epochs_``.
    batch_size : int, default=64
        Samples per gradient step.
    learning_rate : float, default=1e-3
        Adam's step size.
    weight_decay : float, default=0.0
        Adam's L2 penalty.
    class_weight : {None, "balanced"}, default=None
        ``"balanced"`` weights each class's cross-entropy by ``n_samples / (n_classes * n_c)``
        (:func:`~sklearn.utils.class_weight.compute_class_weight`), so that every class
        contributes equally to the loss, as ``class_weight="balanced"`` does in scikit-learn.
    device : str, default="cpu"
        Torch device; ``"auto"`` picks CUDA when available. Resolved at fit time into
        ``device_``.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation and the batch order; an int gives identical models.
    verbose : int, default=0
        Print the mean training loss after each epoch when positive.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_features_in_ : int
        Number of features seen during fit.
    device_ : torch.device
        Device the network lives on.
    module_ : torch.nn.Module
        The trained network.
    input_mean_, input_scale_ : float
        Pixel standardisation learnt on the training data.
    loss_history_ : list of float
        Mean training loss per epoch.
    n_epochs_ : int
        Passes over the data actually run (``epochs``, or more to reach ``min_steps``).

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from imbgan.benchmark import SmallCNNClassifier
    >>> X, y = load_digits(return_X_y=True)
    >>> clf = SmallCNNClassifier(image_shape=(1, 8, 8), epochs=1, random_state=0)
    >>> clf.fit(X[:200], y[:200]).predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints = {
        "image_shape": ["array-like"],
        "channels": ["array-like"],
        "hidden": [Interval(Integral, 1, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "min_steps": [Interval(Integral, 0, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "class_weight": [StrOptions({"balanced"}), None],
        "device": [StrOptions({"auto", "cpu", "cuda", "mps"}), str],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        image_shape,
        *,
        channels=(16, 32),
        hidden=64,
        epochs=15,
        min_steps=0,
        batch_size=64,
        learning_rate=1e-3,
        weight_decay=0.0,
        class_weight=None,
        device="cpu",
        random_state=None,
        verbose=0,
    ):
        self.image_shape = image_shape
        self.channels = channels
        self.hidden = hidden
        self.epochs = epochs
        self.min_steps = min_steps
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.class_weight = class_weight
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def _image_shape(self, n_features):
        return check_image_shape(
            self.image_shape,
            n_features,
            hint="Give (channels, height, width) whose product is the number of features.",
        )

    def _build(self, image_shape, n_classes):
        in_channels, height, width = image_shape
        first, second = (int(c) for c in self.channels)
        # Pool only when there is something to pool: a 1-pixel-wide image stays as it is.
        pool = nn.MaxPool2d(2) if min(height, width) >= 2 else nn.Identity()
        return nn.Sequential(
            nn.Conv2d(in_channels, first, kernel_size=3, padding=1),
            nn.ReLU(),
            pool,
            nn.Conv2d(first, second, kernel_size=3, padding=1),
            nn.ReLU(),
            # A 2 x 2 grid keeps coarse layout (where the strokes are) at any input size.
            nn.AdaptiveAvgPool2d(2),
            nn.Flatten(),
            nn.Linear(second * 4, int(self.hidden)),
            nn.ReLU(),
            nn.Linear(int(self.hidden), n_classes),
        )

    def _images(self, X):
        """Standardised images of shape ``(n, C, H, W)``, on the host."""
        images = (np.asarray(X, dtype=np.float32) - self.input_mean_) / self.input_scale_
        return images.reshape(-1, *self._image_shape(X.shape[1]))

    def fit(self, X, y):
        """Train the network.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Flattened images.
        y : array-like of shape (n_samples,)
            Labels.

        Returns
        -------
        self : SmallCNNClassifier
            The fitted classifier.
        """
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float32)
        check_classification_targets(y)
        shape = self._image_shape(X.shape[1])
        self.classes_, y_index = np.unique(y, return_inverse=True)
        self.device_ = resolve_device(self.device)
        rng = check_random_state(self.random_state)
        seed = int(rng.randint(MAX_SEED))

        self.input_mean_ = float(X.mean())
        # A constant image set would divide by zero: fall back to no scaling.
        self.input_scale_ = float(X.std()) or 1.0
        inputs = torch.from_numpy(self._images(X)).to(self.device_)
        targets = torch.from_numpy(y_index.astype(np.int64)).to(self.device_)

        # A forked generator leaves the caller's torch random stream untouched.
        with seeded_torch(seed, self.device_):
            self.module_ = self._build(shape, len(self.classes_)).to(self.device_)
        optimizer = torch.optim.Adam(
            self.module_.parameters(), lr=self.learning_rate, weight_decay=self.weight_decay
        )
        weight = None
        if self.class_weight == "balanced":
            balanced = compute_class_weight("balanced", classes=self.classes_, y=y)
            weight = torch.as_tensor(balanced, dtype=torch.float32, device=self.device_)
        loss_fn = nn.CrossEntropyLoss(weight=weight)
        self.loss_history_ = []
        n_samples = len(targets)
        steps_per_epoch = math.ceil(n_samples / self.batch_size)
        self.n_epochs_ = max(self.epochs, math.ceil(self.min_steps / steps_per_epoch))
        self.module_.train()
        for epoch in range(self.n_epochs_):
            order = torch.from_numpy(rng.permutation(n_samples)).to(self.device_)
            total = 0.0
            for start in range(0, n_samples, self.batch_size):
                batch = order[start : start + self.batch_size]
                optimizer.zero_grad()
                loss = loss_fn(self.module_(inputs[batch]), targets[batch])
                loss.backward()
                optimizer.step()
                total += loss.item() * len(batch)
            self.loss_history_.append(total / n_samples)
            if self.verbose > 0:
                print(f"epoch {epoch + 1}/{self.n_epochs_}: loss {self.loss_history_[-1]:.4f}")
        self.module_.eval()
        return self

    def predict_proba(self, X):
        """Class probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Flattened images.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        check_is_fitted(self, "module_")
        X = validate_data(self, X, dtype=np.float32, reset=False)
        return predict_proba_in_chunks(
            self.module_, self._images(X), len(self.classes_), self.device_, _PREDICT_BATCH
        )

    def predict(self, X):
        """Most probable class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Flattened images.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels.
        """
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
