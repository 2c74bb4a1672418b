"""The fixed classifiers the benchmark trains on resampled data."""

from __future__ import annotations

from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from ._cnn import SmallCNNClassifier

#: Names accepted by ``--classifier``.
CLASSIFIER_NAMES = ("mlp", "logreg", "rf", "cnn")


def make_classifier(name, seed, image_shape=None, quick=False, device="cpu"):
    """A fresh, unfitted classifier.

    Parameters
    ----------
    name : {"mlp", "logreg", "rf", "cnn"}
        A one-hidden-layer MLP (100 units, as scikit-learn's default), logistic regression, a
        200-tree random forest, or :class:`SmallCNNClassifier` (images only).
    seed : int
        ``random_state`` of the classifier.
    image_shape : tuple of int or None
        None for tabular data: the classifier is then preceded by a :class:`StandardScaler`, as
        tabular features come in arbitrary units. Images are already scaled to [0, 1].
    quick : bool, default=False
        Fewer CNN epochs (5 instead of 15).
    device : str, default="cpu"
        Torch device of the CNN.

    Returns
    -------
    classifier : estimator
    """
    if name == "mlp":
        classifier = MLPClassifier(hidden_layer_sizes=(100,), max_iter=300, random_state=seed)
    elif name == "logreg":
        classifier = LogisticRegression(max_iter=2000)
    elif name == "rf":
        classifier = RandomForestClassifier(n_estimators=200, random_state=seed, n_jobs=1)
    elif name == "cnn":
        if image_shape is None:
            raise ValueError("The cnn classifier needs image data.")
        classifier = SmallCNNClassifier(
            image_shape=image_shape, epochs=5 if quick else 15, random_state=seed, device=device
        )
    else:
        raise ValueError(f"Unknown classifier {name!r}; choose from {CLASSIFIER_NAMES}.")
    if image_shape is None:
        return make_pipeline(StandardScaler(), classifier)
    return classifier
