"""The fixed classifiers the benchmark trains on resampled data."""

from __future__ import annotations

from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import TunedThresholdClassifierCV
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.validation import check_is_fitted

from ._cnn import SmallCNNClassifier

#: Names accepted by ``--classifier``.
CLASSIFIER_NAMES = ("mlp", "logreg", "rf", "hgb", "cnn")

#: Ways a classifier corrects the imbalance itself (the ``none-weighted`` and ``none-threshold``
#: baselines).
BALANCE_MODES = ("weighted", "threshold")

# The CNN's least number of gradient steps. Measured on the ir split of digits (355 training
# rows, seeds 0 and 1): 90 steps (15 epochs) gave balanced accuracy 0.50, 600 steps 0.91-0.92,
# 1000 steps no more; 200 steps 0.85 in quick runs.
_CNN_MIN_STEPS = 600
_CNN_MIN_STEPS_QUICK = 200

# Classifiers whose constructor takes class_weight="balanced".
_CLASS_WEIGHTED = ("logreg", "rf", "hgb", "cnn")


def default_classifier(image_shape):
    """The classifier a run uses when none is named: the CNN for images, the MLP otherwise."""
    return "cnn" if image_shape is not None else "mlp"


class BalancedSampleWeightClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Fit a classifier with ``sample_weight = compute_sample_weight("balanced", y)``.

    For classifiers without a ``class_weight`` parameter whose ``fit`` takes sample weights
    (scikit-learn's :class:`~sklearn.neural_network.MLPClassifier`): every class then carries
    the same total weight, which is what ``class_weight="balanced"`` does for the others. A
    :class:`~sklearn.pipeline.Pipeline` gets the weights routed to its last step.

    Parameters
    ----------
    estimator : classifier or Pipeline
        Cloned at fit time.

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone.
    classes_ : ndarray
        Its classes.
    """

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y):
        """Fit the clone with balanced sample weights.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,)
            Labels.

        Returns
        -------
        self : BalancedSampleWeightClassifier
            Fitted.
        """
        weights = compute_sample_weight("balanced", y)
        self.estimator_ = clone(self.estimator)
        if isinstance(self.estimator_, Pipeline):
            params = {f"{self.estimator_.steps[-1][0]}__sample_weight": weights}
        else:
            params = {"sample_weight": weights}
        self.estimator_.fit(X, y, **params)
        self.classes_ = self.estimator_.classes_
        return self

    def predict(self, X):
        """Labels predicted by the fitted clone.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels.
        """
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict(X)


def _preprocessor(X):
    """Scale numeric columns; one-hot encode the others (text, category, bool) of a DataFrame."""
    if not hasattr(X, "select_dtypes"):
        return StandardScaler()
    return ColumnTransformer(
        [
            ("numeric", StandardScaler(), make_column_selector(dtype_include="number")),
            (
                "categorical",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                make_column_selector(dtype_exclude="number"),
            ),
        ]
    )


def make_classifier(
    name, seed, image_shape=None, quick=False, device="cpu", *, X=None, balance=None
):
    """A fresh, unfitted classifier.

    Parameters
    ----------
    name : {"mlp", "logreg", "rf", "hgb", "cnn"}
        A one-hidden-layer MLP (100 units, as scikit-learn's default), logistic regression, a
        200-tree random forest, scikit-learn's
        :class:`~sklearn.ensemble.HistGradientBoostingClassifier` with its defaults, or
        :class:`SmallCNNClassifier` (images only).
    seed : int
        ``random_state`` of the classifier.
    image_shape : tuple of int or None
        None for tabular data: the classifier is then preceded by a :class:`StandardScaler`, as
        tabular features come in arbitrary units, or, for a DataFrame ``X``, by a
        :class:`~sklearn.compose.ColumnTransformer` that scales the numeric columns and one-hot
        encodes the others (text, ``category``, ``bool``; categories unseen in training are
        ignored). Images are already scaled to [0, 1].
    quick : bool, default=False
        A shorter CNN training: at least 5 epochs and 200 gradient steps instead of 15 epochs
        and 600 steps (see ``min_steps`` of :class:`SmallCNNClassifier`).
    device : str, default="cpu"
        Torch device of the CNN.
    X : array-like or DataFrame, optional
        The training rows, to choose the tabular preprocessing.
    balance : {None, "weighted", "threshold"}, default=None
        ``"weighted"``: ``class_weight="balanced"`` for logreg, rf, hgb and the CNN (whose
        cross-entropy then weights each class by ``n_samples / (n_classes * n_c)``); the MLP,
        which has no ``class_weight``, gets the same weights as ``sample_weight``
        (:class:`BalancedSampleWeightClassifier`). ``"threshold"``: the classifier wrapped in
        :class:`~sklearn.model_selection.TunedThresholdClassifierCV`, which tunes the decision
        threshold for balanced accuracy (ACSA) by 5-fold stratified cross-validation on the
        training rows, then refits on all of them; binary targets only.

    Returns
    -------
    classifier : estimator
    """
    if balance not in (None, *BALANCE_MODES):
        raise ValueError(f"balance must be None or one of {BALANCE_MODES}; got {balance!r}.")
    weights = {"class_weight": "balanced"} if balance == "weighted" else {}
    if name == "mlp":
        classifier = MLPClassifier(hidden_layer_sizes=(100,), max_iter=300, random_state=seed)
    elif name == "logreg":
        classifier = LogisticRegression(max_iter=2000, **weights)
    elif name == "rf":
        classifier = RandomForestClassifier(
            n_estimators=200, random_state=seed, n_jobs=1, **weights
        )
    elif name == "hgb":
        classifier = HistGradientBoostingClassifier(random_state=seed, **weights)
    elif name == "cnn":
        if image_shape is None:
            raise ValueError("The cnn classifier needs image data.")
        classifier = SmallCNNClassifier(
            image_shape=image_shape,
            epochs=5 if quick else 15,
            min_steps=_CNN_MIN_STEPS_QUICK if quick else _CNN_MIN_STEPS,
            random_state=seed,
            device=device,
            **weights,
        )
    else:
        raise ValueError(f"Unknown classifier {name!r}; choose from {CLASSIFIER_NAMES}.")
    if image_shape is None:
        classifier = make_pipeline(_preprocessor(X), classifier)
    if balance == "weighted" and name not in _CLASS_WEIGHTED:
        classifier = BalancedSampleWeightClassifier(classifier)
    elif balance == "threshold":
        classifier = TunedThresholdClassifierCV(classifier, scoring="balanced_accuracy")
    return classifier
