"""Conditional GAN (Mirza & Osindero, 2014) with the DCGAN toolbox of Garrido et al. (2019)."""

from numbers import Integral, Real

from imblearn.utils import Substitution
from sklearn.utils._param_validation import Interval, StrOptions

from .._docstrings import CGAN_BATCH_SAMPLING, NEAREST_ROW_JUDGE, sampler_docs
from .._selection import NearestRowClassifier
from ..base import BaseGANSampler
from ..losses import fake_term, generator_term, gradient_penalty, real_term
from ..nets import ConditionalGenerator, Discriminator
from ._steps import CriticStepsMixin


@Substitution(
    **sampler_docs(
        latent_dim=64,
        epochs='"auto"',
        batch_size=64,
        learning_rate=0.0002,
        batch_sampling='"balanced"',
        batch_sampling_measured=CGAN_BATCH_SAMPLING,
        diff_augment='"auto"',
        selection_judge=NEAREST_ROW_JUDGE,
    )
)
class CGANSampler(CriticStepsMixin, BaseGANSampler):
    """Oversample with a conditional GAN.

    The generator ``G(z, c)`` and the discriminator ``D(x, c)`` both see the class ``c``
    (Mirza & Osindero). For images both networks are DCGAN-style convolutional networks
    (Radford et al., as laid out in Garrido et al., table 2); for tabular data they are MLPs.
    Training, per batch of real rows ``x`` with classes ``c`` (drawn class-balanced by default,
    ``batch_sampling``; the discriminator's images translated, ``diff_augment``):

    1. generate ``x' = G(z, c)`` for the batch's own classes and update D on
       ``L_real(D(x, c)) + L_fake(D(x', c))`` (plus the gradient penalty for
       ``loss="wgan-gp"``); matching the classes keeps D from scoring the class prior;
    2. every ``n_critic`` steps, draw classes ``c'`` uniformly over all classes (balanced, so
       the minority classes are trained as often as the majority) and update G on
       ``L_gen(D(G(z, c'), c'))``.

    New samples of class ``c`` are ``G(z, c)`` with fresh ``z``: exact per-class counts.

    Read more in the :ref:`User Guide <cgan>`.

    Parameters
    ----------
    {sampling_strategy}

    {image_shape}

    {categorical_features}

    {continuous_encoding}

    {gan_parameters}

    loss : {{"lsgan", "bce", "hinge", "wgan-gp"}}, default="lsgan"
        Adversarial loss: least squares (Mao et al.), the non-saturating binary cross-entropy
        loss, the hinge loss (Lim & Ye; Miyato et al.), or the Wasserstein loss with gradient
        penalty (Gulrajani et al.; the critic then has no batch normalisation).

    conditioning : {{"input", "features", "projection"}}, default="input"
        Where the discriminator sees the class: as extra input channels (images) or columns
        (tabular), concatenated to the convolutional features before a hidden layer, or as a
        projection (Miyato & Koyama, 2018: the score is ``psi(phi(x)) + embed(c) . phi(x)``
        with ``phi`` the trunk's features and ``embed`` a learned class embedding; not in the
        cGAN paper). Garrido et al. found the input option necessary for a WGAN critic.

    label_smoothing : float, default=0.0
        One-sided label smoothing: the discriminator's target for real samples becomes
        ``1 - label_smoothing`` (``"bce"``, ``"lsgan"``; for ``"hinge"`` the real margin).

    minibatch_discrimination : bool, default=False
        Add a minibatch-discrimination layer to the discriminator against mode collapse.
        Not with ``loss="wgan-gp"``, whose per-sample gradient penalty it would corrupt.

    n_critic : int or None, default=None
        Discriminator steps per generator step; None means 5 for ``"wgan-gp"`` and 1 otherwise.

    gp_weight : float, default=10.0
        Weight of the gradient penalty (``"wgan-gp"`` only).

    {spectral_norm}

    {diff_augment}

    {random_state}

    Attributes
    ----------
    {gan_attributes}

    generator_ : torch.nn.Module
        The trained generator ``G(z, c)``.

    discriminator_ : torch.nn.Module
        The trained discriminator ``D(x, c)``.

    See Also
    --------
    ACGANSampler : The discriminator classifies instead of taking the class as input.
    CAGANSampler : One discriminator output per class.

    References
    ----------
    .. [1] M. Mirza and S. Osindero, "Conditional Generative Adversarial Nets", 2014.
    .. [2] Q. Garrido, A. Lafourcade, R. Lapertot and J. Lefevre, "A practical guide to
       understanding and applying Generative Adversarial Networks and their improvements", 2019.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbgan import CGANSampler
    >>> X, y = make_classification(n_classes=2, weights=[0.9, 0.1], n_samples=200,
    ...                            random_state=0)
    >>> print(sorted(Counter(y.tolist()).items()))
    [(0, 179), (1, 21)]
    >>> X_res, y_res = CGANSampler(epochs=5, random_state=0).fit_resample(X, y)
    >>> print(sorted(Counter(y_res.tolist()).items()))
    [(0, 179), (1, 179)]
    """

    _network_attributes = ("generator_", "discriminator_")

    _image_judge = NearestRowClassifier

    _parameter_constraints: dict = {
        **BaseGANSampler._parameter_constraints,
        "categorical_features": ["array-like", None],
        "continuous_encoding": [StrOptions({"min-max", "mode-specific"})],
        "loss": [StrOptions({"lsgan", "bce", "hinge", "wgan-gp"})],
        "spectral_norm": ["boolean"],
        "diff_augment": [str, None],
        "conditioning": [StrOptions({"input", "features", "projection"})],
        "label_smoothing": [Interval(Real, 0, 1, closed="left")],
        "minibatch_discrimination": ["boolean"],
        "n_critic": [Interval(Integral, 1, None, closed="left"), None],
        "gp_weight": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        image_shape=None,
        categorical_features=None,
        continuous_encoding="min-max",
        latent_dim=64,
        network_width=1.0,
        epochs="auto",
        batch_size=64,
        batch_sampling="balanced",
        learning_rate=2e-4,
        loss="lsgan",
        conditioning="input",
        label_smoothing=0.0,
        minibatch_discrimination=False,
        n_critic=None,
        gp_weight=10.0,
        device="auto",
        random_state=None,
        verbose=False,
        callbacks=None,
        generated_share=0.5,
        selection="confidence",
        selection_candidates=4.0,
        selection_classifier=None,
        near_copy_ratio=0.1,
        generator_ema=None,
        spectral_norm=False,
        diff_augment="auto",
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.image_shape = image_shape
        self.categorical_features = categorical_features
        self.continuous_encoding = continuous_encoding
        self.latent_dim = latent_dim
        self.network_width = network_width
        self.epochs = epochs
        self.batch_size = batch_size
        self.batch_sampling = batch_sampling
        self.learning_rate = learning_rate
        self.loss = loss
        self.conditioning = conditioning
        self.label_smoothing = label_smoothing
        self.minibatch_discrimination = minibatch_discrimination
        self.n_critic = n_critic
        self.gp_weight = gp_weight
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.generated_share = generated_share
        self.selection = selection
        self.selection_candidates = selection_candidates
        self.selection_classifier = selection_classifier
        self.near_copy_ratio = near_copy_ratio
        self.generator_ema = generator_ema
        self.spectral_norm = spectral_norm
        self.diff_augment = diff_augment

    @property
    def _adam_betas(self):
        # beta2 = 0.9 as in WGAN-GP (Gulrajani et al.) and BAGAN-GP; the critic's loss moves
        # too much for the slower second-moment average of the default 0.999.
        return (0.5, 0.9) if self.loss == "wgan-gp" else (0.5, 0.999)

    def _build_networks(self, spec, data, labels):
        if self.minibatch_discrimination and self.loss == "wgan-gp":
            raise ValueError(
                "minibatch_discrimination=True cannot be combined with loss='wgan-gp': the "
                "gradient penalty is defined per sample, and minibatch discrimination makes "
                "each score depend on the whole batch. Use one or the other."
            )
        self.generator_ = ConditionalGenerator(spec, self.latent_dim, width=self.network_width)
        self.discriminator_ = Discriminator(
            spec,
            {"adversarial": 1},
            conditioning=self.conditioning,
            batch_norm=self.loss != "wgan-gp",
            minibatch_discrimination=self.minibatch_discrimination,
            spectral_norm=self.spectral_norm,
            augment=self.diff_augment,
            width=self.network_width,
        )
        self._critic_steps = self.n_critic or (5 if self.loss == "wgan-gp" else 1)
        return {"generator": self.generator_, "discriminator": self.discriminator_}

    def _score(self, rows, labels):
        return self.discriminator_(rows, labels)["adversarial"]

    def _train_step(self, real, labels):
        # The critic compares real and generated rows of the same classes: with balanced fake
        # classes it could score the class prior instead of realism (unbounded for WGAN).
        fake = self.generator_(self._sample_latent(len(real)), labels)
        d_loss = (
            real_term(self.loss, self._score(real, labels), self.label_smoothing).mean()
            + fake_term(self.loss, self._score(fake.detach(), labels)).mean()
        )
        if self.loss == "wgan-gp":
            d_loss = d_loss + self.gp_weight * gradient_penalty(
                lambda rows: self._score(rows, labels), real, fake
            )
        self._update("discriminator", d_loss)
        losses = {"discriminator": d_loss}

        if self._generator_step_due(self._critic_steps):
            # The generator trains on balanced classes so minority classes get equal attention.
            fake_labels = self._sample_labels(len(real))
            fake = self.generator_(self._sample_latent(len(real)), fake_labels)
            g_loss = generator_term(self.loss, self._score(fake, fake_labels)).mean()
            self._update("generator", g_loss)
            losses["generator"] = g_loss
        return losses
