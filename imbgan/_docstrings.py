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

CONTINUOUS_ENCODING = """continuous_encoding : {"min-max", "mode-specific"}, default="min-max"
        How the networks see the numeric columns of a table. ``"min-max"``: each column scaled
        to [-1, 1]. ``"mode-specific"``: CTGAN's mode-specific normalisation (Xu et al.,
        2019): a Bayesian Gaussian mixture of up to 10 modes per column; a value is coded as
        its most probable mode (one-hot; the generator emits a distribution over the modes)
        and its offset from that mode's mean in units of 4 standard deviations. It is meant
        for columns with several modes; see :ref:`mixed_tables` for what it measured. Tables
        only."""

GAN_PARAMETERS = """latent_dim : int, default={latent_dim}
        Size of the generator's latent vector ``z``.

    network_width : float > 0, default=1.0
        Multiplies the channels of every convolution and the units of every hidden layer of
        the networks (rounded, at least one); 1.0 builds the sizes the sampler's page states.
        A convolution's arithmetic grows with the square of the width. On 28 x 28 MNIST digits
        at imbalance ratio 100, 0.5 fitted in about two fifths of the time with the
        classifier's ACSA about level (from -0.015 to +0.006 by sampler) and generated images
        recognised less often by the conditional GANs; 2.0 took about three times as long,
        gained 0.014 for BAGAN-GP (two seeds) and cost CA-GAN 0.008 (one seed); see the User
        Guide's tuning page.

    epochs : int or "auto", default={epochs}
        Passes over the training data for adversarial training. ``"auto"`` makes enough passes
        for about {auto_steps} training steps (batches): a GAN needs a number of updates, and a
        small data set reaches it only with more passes. With more than ten classes it makes
        proportionally more steps ({auto_steps} times the classes over ten), so that each class
        gets the updates one of ten would: every batch is shared between the classes. The
        number used is ``n_epochs_``.

    batch_size : int, default={batch_size}
        Real samples per training step (batches are never smaller than this, so batch
        normalisation is safe on tiny data).

    batch_sampling : {{"shuffle", "balanced"}}, default={batch_sampling}
        How the training phase draws its batches of real rows. ``"shuffle"``: each epoch
        passes over every row once in a random order, so each class fills batches in
        proportion to its rows (a class of 4 rows among 1,000 turns up about once in four
        batches of 64). ``"balanced"``: each epoch draws as many rows with replacement, each
        from a class chosen uniformly, so the discriminator sees a rare class's real rows as
        often as the generator's class-balanced batches ask it to judge that class (training
        by sampling, as CTGAN's conditional batches do for categories). The rare rows are then
        repeated many times per epoch. Pretraining (BAGAN's autoencoder) always shuffles.
        {batch_sampling_measured}

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
        functions or objects that pickle (not lambdas) if you save it.

    generated_share : float in [0, 1], default={generated_share}
        Share of each class's new rows that ``fit_resample`` generates; the rest are copies of
        the class's real rows drawn at random (as random oversampling makes them). 1 adds only
        generated rows, 0 is random oversampling. Copies keep the real rare rows weighted next
        to generated ones, which the generator cannot reproduce exactly from a handful.

    selection : {{"confidence"}} or None, default={selection}
        Select generated rows in ``fit_resample``: draw ``selection_candidates`` times as many
        candidates as needed, keep those that ``selection_classifier`` (trained inside
        ``fit_resample`` on the real training rows) assigns to their intended class, minus
        near-copies of real rows (see ``near_copy_ratio``), most confident first. If fewer pass
        than needed, the shortfall is filled with copies of real rows of the class, so class
        counts stay exact and no rejected row is returned. ``selection_counts_`` says how many
        candidates each class had, rejected and kept. None keeps every draw. ``generate(y)``
        always returns plain draws.

    selection_candidates : float >= 1, default={selection_candidates}
        Candidates drawn per generated row needed when ``selection`` is set.

    selection_classifier : estimator with predict_proba or None, default=None
        The judge of ``selection``, cloned and fitted on the real rows as the networks see
        them (scaled to [-1, 1]). None: {selection_judge}.

    near_copy_ratio : float >= 0, default={near_copy_ratio}
        With ``selection``, a candidate closer to a real row of its class than this fraction of
        the median distance between a real row and its nearest real neighbour of the same class
        is rejected as a near-copy. 0 rejects none.

    generator_ema : float in [0, 1) or None, default={generator_ema}
        Decay of an exponential moving average of the generator's weights (and batch-norm
        statistics) over the adversarial steps; the sampler then draws with the averaged
        weights (Yazici et al., 2019). The decay warms up as ``min(generator_ema, (1 + t) /
        (10 + t))`` after ``t`` generator steps, so a short fit does not keep its untrained
        initial weights in the average. None draws with the weights of the last step."""

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

    copied_from_ : ndarray of shape (n_new,)
        For each row the last ``fit_resample`` added, in order: the index (into the training
        rows) of the real row it copies, or -1 for a generated row. Copies come from
        ``generated_share`` < 1 and from ``selection`` shortfalls.

    selection_counts_ : dict of str to dict
        Only with ``selection``: per class label, the number of ``"candidates"`` drawn, rejected
        as ``"wrong_class"`` or ``"near_copy"``, and ``"kept"`` (the rest of the class's
        generated rows were filled with copies of real rows) in the last ``fit_resample``.

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


SPECTRAL_NORM = """spectral_norm : bool, default={spectral_norm}
        Spectral normalisation of every convolution and linear layer of the discriminator
        (Miyato et al., 2018): each weight is divided by its largest singular value (one power
        iteration per training step), which bounds how fast the discriminator's output can
        change and steadies training on small data. The discriminator then has no batch
        normalisation (as in Miyato et al.). Usually paired with ``loss="hinge"``. Not in this
        sampler's paper."""


DIFF_AUGMENT = """diff_augment : str or None, default={diff_augment}
        Differentiable augmentation (Zhao et al., "Differentiable Augmentation for
        Data-Efficient GAN Training", NeurIPS 2020): every image the discriminator sees while
        training, real and generated, in the discriminator's and the generator's steps, is
        randomly transformed, so that the discriminator cannot memorise a small training set
        (a rare class of a few images is one) while the generator still learns untransformed
        images. A comma-separated subset of ``"color"``, ``"translation"`` and ``"cutout"``
        (``"translation,cutout"`` is the paper's choice for small data), for images only;
        ``"auto"`` is ``"translation"`` for images and nothing for tables; None trains without
        it. Not in this sampler's paper."""


BATCH_SAMPLING_MEASURED = "See the User Guide's tuning page for what it measured."

CGAN_BATCH_SAMPLING = """cGAN's default, with ``diff_augment="auto"``: the discriminator
        sees the rare classes' real images far more often, and translating them keeps it
        from memorising the few it has. On MNIST at imbalance ratio 100 (28 x 28, 4 images of
        the rarest digit) the two together raised the share of generated digits recognised
        as their class from 0.71 to 0.80 (held out, five seeds) with the classifier level
        held out and better on the protocol's test set (CNN ACSA 0.812 against 0.806, MLP
        0.742 against 0.722, five seeds); see the User Guide's tuning page."""

NEAREST_NEIGHBOUR_JUDGE = (
    "a 1-nearest-neighbour classifier: a candidate is kept when its nearest real row is of its "
    "intended class (on MNIST at IR 100 it kept rows that helped a CNN downstream more than a "
    "logistic regression's choice; see the User Guide's page on selection)"
)

NEAREST_ROW_JUDGE = (
    "for images, :class:`~imbgan.NearestRowClassifier`, a 1-nearest-neighbour classifier that "
    "ranks: a candidate is kept when its nearest real row is of its intended class, those "
    "deepest inside their class first (on MNIST at IR 100 this sampler's kept digits were "
    "recognised as their class more often with the classifier downstream level; see the User "
    "Guide's page on selection); for tables, the plain 1-nearest-neighbour classifier, which "
    "keeps accepted candidates in the order drawn (the most typical rows did worse on German "
    "credit)"
)

LOGISTIC_JUDGE = (
    'a logistic regression with ``class_weight="balanced"``, which ranks candidates by '
    "confidence; for this sampler it measured level with or better than the other samplers' "
    "1-nearest-neighbour judge on MNIST (see the User Guide's page on selection)"
)


def sampler_docs(auto_steps=800, **defaults):
    """The substitution values for a GAN sampler with the given default values."""
    defaults["auto_steps"] = auto_steps
    defaults.setdefault("generated_share", 0.5)
    defaults.setdefault("selection", '"confidence"')
    defaults.setdefault("selection_candidates", 4.0)
    defaults.setdefault("near_copy_ratio", 0.1)
    defaults.setdefault("selection_judge", NEAREST_NEIGHBOUR_JUDGE)
    defaults.setdefault("generator_ema", "None")
    defaults.setdefault("spectral_norm", "False")
    defaults.setdefault("diff_augment", "None")
    defaults.setdefault("batch_sampling", '"shuffle"')
    defaults.setdefault("batch_sampling_measured", BATCH_SAMPLING_MEASURED)
    return {
        "sampling_strategy": BaseOverSampler._sampling_strategy_docstring,
        "random_state": _random_state_docstring,
        "image_shape": IMAGE_SHAPE,
        "categorical_features": CATEGORICAL_FEATURES,
        "continuous_encoding": CONTINUOUS_ENCODING,
        "gan_parameters": GAN_PARAMETERS.format(**defaults),
        "gan_attributes": GAN_ATTRIBUTES,
        "spectral_norm": SPECTRAL_NORM.format(**defaults),
        "diff_augment": DIFF_AUGMENT.format(**defaults),
    }
