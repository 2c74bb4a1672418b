"""Conditional activation GAN (Cho & Yoon, 2020)."""

from imblearn.utils import Substitution
from sklearn.utils._param_validation import StrOptions

from .._docstrings import NEAREST_ROW_JUDGE, sampler_docs
from .._selection import NearestRowClassifier
from ..base import BaseGANSampler
from ..losses import fake_term, generator_term, real_term
from ..nets import ConditionalGenerator, Discriminator, one_hot
from ._steps import MixedBatchMixin


@Substitution(
    **sampler_docs(
        latent_dim=64,
        epochs='"auto"',
        batch_size=64,
        learning_rate=(0.0002, 0.0004),
        spectral_norm=True,
        selection_candidates=8.0,
        selection_judge=NEAREST_ROW_JUDGE,
    )
)
class CAGANSampler(MixedBatchMixin, BaseGANSampler):
    """Oversample with a conditional activation GAN (CA-GAN).

    One GAN per class sharing all hidden layers: the discriminator has one output ``D_c(x)``
    per class and, for a sample of condition ``cnd`` (one-hot), only the output of its class is
    trained. With least squares (Cho & Yoon, eqs. 19-20), per batch of real rows ``x`` of
    classes ``cnd`` and generated rows ``x' = G(z, cnd')``, ``cnd'`` uniform over classes:

    - ``L_D = E[(D(x) - 1)^2 . cnd] + E[D(x')^2 . cnd']``
    - ``L_G = E[(D(x') - 1)^2 . cnd']``

    where ``.`` is the inner product with the condition mask (eqs. 17-18 for other losses).
    Unlike AC-GAN there is a single loss, so no classification weight to tune.

    Read more in the :ref:`User Guide <cagan>`.

    Parameters
    ----------
    {sampling_strategy}

    {image_shape}

    {categorical_features}

    {continuous_encoding}

    {gan_parameters}

    loss : {{"lsgan", "bce", "hinge"}}, default="hinge"
        The per-class adversarial loss ``f`` of eqs. 13-14. The paper used least squares
        (``"lsgan"``); ``"hinge"`` (Lim & Ye; Miyato et al.), with ``spectral_norm=True``,
        measured better on MNIST (see the User Guide).

    mixed_batch : bool, default=True
        Pass real and generated samples through the discriminator in one batch (section 4);
        matters only for an image discriminator with batch normalisation, that is with
        ``spectral_norm=False``.

    {spectral_norm}

    {diff_augment}

    {random_state}

    Attributes
    ----------
    {gan_attributes}

    generator_ : torch.nn.Module
        The trained generator ``G(z, c)``.

    discriminator_ : torch.nn.Module
        The trained discriminator with one output per class (head ``"classes"``).

    See Also
    --------
    ACGANSampler : Adversarial and classification heads with a weight between them.
    CGANSampler : The discriminator takes the class as input.

    References
    ----------
    .. [1] J. Cho and K. Yoon, "Conditional Activation GAN: Improved Auxiliary Classifier GAN",
       IEEE Access 2020.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbgan import CAGANSampler
    >>> X, y = make_classification(n_classes=2, weights=[0.9, 0.1], n_samples=200,
    ...                            random_state=0)
    >>> X_res, y_res = CAGANSampler(epochs=5, random_state=0).fit_resample(X, y)
    >>> print(sorted(Counter(y_res.tolist()).items()))
    [(0, 179), (1, 179)]
    """

    _network_attributes = ("generator_", "discriminator_")

    _image_judge = NearestRowClassifier

    _parameter_constraints: dict = {
        **BaseGANSampler._parameter_constraints,
        "categorical_features": ["array-like", None],
        "continuous_encoding": [StrOptions({"min-max", "mode-specific"})],
        "loss": [StrOptions({"lsgan", "bce", "hinge"})],
        "spectral_norm": ["boolean"],
        "diff_augment": [str, None],
        "mixed_batch": ["boolean"],
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
        batch_sampling="shuffle",
        # The discriminator learns twice as fast as the generator (the two time-scale rule of
        # Heusel et al., as SAGAN pairs it with spectral normalisation and the hinge loss): on
        # MNIST at IR 100 (seeds 0-4) the share of generated digits recognised rose from 0.85
        # to 0.89 with the held-out CNN ACSA level (+0.003).
        learning_rate=(2e-4, 4e-4),
        # Hinge loss and spectral normalisation: on MNIST at IR 100 (seeds 0-2, logistic
        # judge) the held-out CNN ACSA rose from 0.804 (least squares, batch-normalised
        # discriminator) to 0.824, and the share of generated digits recognised from 0.49 to
        # 0.85; with them the engine's 1-NN judge did better still (0.828), so CA-GAN now uses it.
        loss="hinge",
        mixed_batch=True,
        device="auto",
        random_state=None,
        verbose=False,
        callbacks=None,
        generated_share=0.5,
        selection="confidence",
        # Eight candidates per kept row: the ranking judge then keeps more typical digits (on
        # MNIST recognised 0.92 instead of 0.89, held-out CNN ACSA level, seeds 0-4).
        selection_candidates=8.0,
        selection_classifier=None,
        near_copy_ratio=0.1,
        generator_ema=None,
        spectral_norm=True,
        diff_augment=None,
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
        self.mixed_batch = mixed_batch
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

    def _build_networks(self, spec, data, labels):
        self.generator_ = ConditionalGenerator(spec, self.latent_dim, width=self.network_width)
        self.discriminator_ = Discriminator(
            spec,
            {"classes": spec.n_classes},
            spectral_norm=self.spectral_norm,
            augment=self.diff_augment,
            width=self.network_width,
        )
        return {"generator": self.generator_, "discriminator": self.discriminator_}

    def _masked(self, terms, labels):
        """Sum of each sample's loss over its own class only (the ``. cnd`` of eqs. 17-20)."""
        return (terms * one_hot(labels, self.spec_.n_classes)).sum(dim=1).mean()

    def _train_step(self, real, labels):
        fake_labels = self._sample_labels(len(real))
        fake = self.generator_(self._sample_latent(len(real)), fake_labels)

        real_out, fake_out = self._discriminate(
            real, labels, fake.detach(), fake_labels, self.mixed_batch
        )
        d_loss = self._masked(real_term(self.loss, real_out["classes"]), labels) + self._masked(
            fake_term(self.loss, fake_out["classes"]), fake_labels
        )
        self._update("discriminator", d_loss)

        fake_out = self._discriminate_generated(fake, fake_labels, real, labels, self.mixed_batch)
        g_loss = self._masked(generator_term(self.loss, fake_out["classes"]), fake_labels)
        self._update("generator", g_loss)
        return {"discriminator": d_loss, "generator": g_loss}
