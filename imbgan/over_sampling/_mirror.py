"""The "mirror" baseline of the BAGAN paper: flipped copies of real minority images."""

import numpy as np
from imblearn.utils import Substitution
from sklearn.utils._param_validation import StrOptions

from .._docstrings import sampler_docs
from ..base import BaseImbganSampler

# Axes of a (n, C, H, W) batch.
_FLIP_AXES = {"horizontal": (3,), "vertical": (2,), "both": (2, 3)}


@Substitution(**sampler_docs(latent_dim=None, epochs=None, batch_size=None, learning_rate=None))
class MirrorSampler(BaseImbganSampler):
    """Oversample images with mirrored copies of randomly chosen real images of the class.

    The baseline augmentation of Mariani et al. (BAGAN, section 5.2): each new image of class
    ``c`` is a real image of ``c``, drawn uniformly with replacement, flipped along ``axis``.
    It needs no training and works on images only.

    Read more in the :ref:`User Guide <mirror>`.

    Parameters
    ----------
    {sampling_strategy}

    {image_shape}

    axis : {{"horizontal", "vertical", "both"}}, default="horizontal"
        ``"horizontal"`` mirrors left-right (reverses the width axis), ``"vertical"`` top-bottom,
        ``"both"`` rotates by 180 degrees.

    {random_state}

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples generated for each class.

    n_features_in_ : int
        Number of values per image, ``C * H * W``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features, when ``X`` was a DataFrame with string column names.

    classes_ : ndarray of shape (n_classes,)
        The class labels.

    class_counts_ : ndarray of shape (n_classes,)
        Number of training images of each class.

    image_shape_ : tuple of int
        ``(C, H, W)`` of the images.

    See Also
    --------
    imblearn.over_sampling.RandomOverSampler : Copies without flipping, for any data.

    References
    ----------
    .. [1] G. Mariani et al., "BAGAN: Data Augmentation with Balancing GAN", 2018.

    Examples
    --------
    >>> from collections import Counter
    >>> import numpy as np
    >>> from imbgan import MirrorSampler
    >>> images = np.arange(10 * 4 * 4).reshape(10, 4, 4)
    >>> y = np.array([0] * 8 + [1] * 2)
    >>> images_res, y_res = MirrorSampler(random_state=0).fit_resample(images, y)
    >>> images_res.shape, sorted(Counter(y_res.tolist()).items())
    ((16, 4, 4), [(0, 8), (1, 8)])
    """

    _parameter_constraints: dict = {
        **BaseImbganSampler._parameter_constraints,
        "axis": [StrOptions(set(_FLIP_AXES))],
    }
    _requires_images = True

    def __init__(
        self, *, sampling_strategy="auto", image_shape=None, axis="horizontal", random_state=None
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.image_shape = image_shape
        self.axis = axis
        self.random_state = random_state

    def _fit_model(self, X, y_index, random_state):
        self._rows_by_class = [X[y_index == k] for k in range(len(self.classes_))]

    def _generate_rows(self, class_index, random_state):
        n_features = self.n_features_in_
        dtype = self._rows_by_class[0].dtype
        rows = np.empty((len(class_index), n_features), dtype=dtype)
        for k, class_rows in enumerate(self._rows_by_class):
            wanted = np.flatnonzero(class_index == k)
            if len(wanted):
                picks = class_rows[random_state.randint(len(class_rows), size=len(wanted))]
                images = picks.reshape(len(wanted), *self.image_shape_)
                rows[wanted] = np.flip(images, axis=_FLIP_AXES[self.axis]).reshape(len(wanted), -1)
        return rows
