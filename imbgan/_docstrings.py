"""Parameter and attribute documentation shared by the samplers, written once.

Use with ``imblearn.utils.Substitution``: ``{sampling_strategy}``, ``{image_shape}``,
``{categorical_features}``,
``{gan_parameters}``, ``{random_state}``, ``{gan_attributes}`` in a class docstring.
"""

from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils._docstring import _random_state_docstring

IMAGE_SHAPE = """image_shape : tuple of int or None, default=None
        ``(C, H, W)`` (or ``(H, W)`` for one channel) of the images flattened into each row
        of ``X`` in channels-first order. None means tabular data, unless ``X`` is itself an
        image array of shape ``(n, H, W)``, ``(n, H, W, C)`` or ``(n, C, H, W)``: then the layout
        is inferred (a last axis of 1, 3 or 4 means channels last, otherwise a second axis of
        1, 3 or 4 means channels first) and ``image_shape`` only settles ambiguous cases. The
        resampled array comes back in the layout it came in."""

CATEGORICAL_FEATURES = """categorical_features : array-like of int, str or bool, default=None
        Columns of a table to treat as categories although they hold numbers (for example an
        integer-coded ``region``): column indices, column names of a DataFrame, or a boolean
        mask, as in imbalanced-learn's ``SMOTENC``. Columns of text, ``category``, ``bool`` or
        ``object`` dtype are categories without being listed. A categorical column is one-hot
        encoded for the networks, the generator emits a probability per category, and each
        generated row gets one category drawn from it, in the column's own dtype (see
        :ref:`mixed_tables`). Not for sparse ``X`` or images."""

GAN_PARAMETERS = """latent_dim : int, default={latent_dim}
        Size of the generator's latent vector ``z``.

    epochs : int or "auto", default={epochs}
        Passes over the training data for adversarial training. ``"auto"`` makes enough passes
        for about {auto_steps} training steps (batches): a GAN needs a number of updates, and a
        small data set reaches it only with more passes. The number used is ``n_epochs_``.

    batch_size : int, default={batch_size}
        Real samples per training step (batches are never smaller than this, so batch
        normalisation is safe on tiny data).

    learning_rate : float or (float, float), default={learning_rate}
        Adam learning rate, or a pair ``(generator_rate, discriminator_rate)``. Adam uses
        ``beta1=0.5`` as recommended for GANs by Radford et al.

    device : str or torch.device, default="auto"
        Where to train: ``"auto"`` (CUDA when available, else the CPU), ``"cpu"``, ``"cuda"``,
        ``"cuda:1"``, ... The fitted sampler pickles with its networks on the CPU, so a model
        trained on a GPU loads and generates on a machine without one.

    verbose : bool, default=False
        Show a progress bar with the current losses.

    callbacks : list of callable or None, default=None
        Called in order at the end of every adversarial epoch as
        ``callback(sampler, epoch, losses)``, with the 1-based epoch number and a dict of the
        epoch's mean losses (the values just appended to ``history_``). A callback that
        returns True stops training after that epoch; the sampler then generates with the
        networks as they are. A callback may call ``sampler.generate(...)`` to look at samples
        mid-training: that neither changes the training's random stream nor leaves the
        networks in evaluation mode. Pickling the sampler pickles its callbacks too, so use
        functions or objects that pickle (not lambdas) if you save it."""

GAN_ATTRIBUTES = """sampling_strategy_ : dict
        Number of samples generated for each class.

    n_features_in_ : int
        Number of features per row (``C * H * W`` for images).

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features, when ``X`` was a DataFrame with string column names.

    classes_ : ndarray of shape (n_classes,)
        The class labels.

    class_counts_ : ndarray of shape (n_classes,)
        Number of training samples of each class.

    image_shape_ : tuple of int or None
        ``(C, H, W)`` of the images, None for tabular data.

    device_ : torch.device
        The device the networks were trained on.

    n_epochs_ : int
        Number of adversarial training epochs planned (``epochs`` resolved). Fewer run when a
        callback stops training early; ``history_`` has one value per epoch run.

    history_ : dict of str to list of float
        Per-epoch mean of each loss, one list per loss name.

    codec_ : DataCodec
        The encoding between the data and the networks: continuous features scaled to
        [-1, 1], categorical ones one-hot (``codec_.discrete_groups_``).

    spec_ : DataSpec
        What the networks were built for: ``n_features`` (codes per row), ``n_classes``,
        ``image_shape`` and ``discrete_groups`` (the codes of each categorical column)."""


def sampler_docs(auto_steps=800, **defaults):
    """The substitution values for a GAN sampler with the given default values."""
    defaults["auto_steps"] = auto_steps
    return {
        "sampling_strategy": BaseOverSampler._sampling_strategy_docstring,
        "random_state": _random_state_docstring,
        "image_shape": IMAGE_SHAPE,
        "categorical_features": CATEGORICAL_FEATURES,
        "gan_parameters": GAN_PARAMETERS.format(**defaults),
        "gan_attributes": GAN_ATTRIBUTES,
    }
