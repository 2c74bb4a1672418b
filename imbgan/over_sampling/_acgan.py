"""Auxiliary classifier GAN (Odena et al., 2017) with the modified loss of Cho & Yoon."""

from numbers import Real

import torch
from imblearn.utils import Substitution
from sklearn.utils._param_validation import Interval, StrOptions
from torch.nn import functional as F

from .._docstrings import sampler_docs
from ..base import BaseGANSampler
from ..losses import fake_term, generator_term, real_term
from ..nets import ConditionalGenerator, Discriminator
from ._steps import MixedBatchMixin


@Substitution(
    **sampler_docs(
        latent_dim=64,
        epochs='"auto"',
        batch_size=64,
        learning_rate=0.0002,
        diff_augment='"auto"',
    )
)
class ACGANSampler(MixedBatchMixin, BaseGANSampler):
    """Oversample with an auxiliary classifier GAN (AC-GAN).

    The generator is ``G(z, c)``; the discriminator does not see the class but has two heads,
    an adversarial score ``D_adv(x)`` and class logits ``D_cls(x)``. Per batch of real rows
    ``x`` with classes ``c`` and generated rows ``x' = G(z, c')``, ``c'`` uniform over classes
    (Cho & Yoon, eqs. 7-10):

    - ``L_D = L_adv(D_adv(x), D_adv(x')) + lambda * CE(D_cls(x), c)``
      (``+ lambda * CE(D_cls(x'), c')`` only with ``fake_classification=True``, the original
      AC-GAN);
    - ``L_G = L_gen(D_adv(x')) + lambda * CE(D_cls(x'), c')``.

    Dropping the generated-data term from the discriminator's classification loss is the
    "modified AC-GAN" of Cho & Yoon: otherwise D learns to classify poor early fakes and pushes
    the generator towards easily classified, less realistic samples.

    Fixed bugs of the popular reference script: the class head returns logits (softmax is not
    applied before the cross-entropy) and batch normalisation keeps its default epsilon.

    Read more in the :ref:`User Guide <acgan>`.

    Parameters
    ----------
    {sampling_strategy}

    {image_shape}

    {categorical_features}

    {continuous_encoding}

    {gan_parameters}

    loss : {{"lsgan", "bce", "hinge"}}, default="lsgan"
        Adversarial loss (Cho & Yoon used least squares; ``"hinge"`` is the hinge loss of
        Lim & Ye and Miyato et al.).

    classification_weight : float, default=1.0
        ``lambda``, the weight of the classification loss relative to the adversarial loss.

    fake_classification : bool, default=False
        Also train the discriminator's classifier on generated samples (original AC-GAN).

    class_weight : {{"balanced"}} or None, default=None
        Weights of the classes in the discriminator's classification loss on real rows.
        ``"balanced"`` weighs each class inversely to its count, ``n_samples / (n_classes *
        count)`` as scikit-learn's ``class_weight="balanced"``, so that the classifier, whose
        gradients teach the generator the classes, learns the rare classes as well as the
        common ones. Not in the papers.

    mixed_batch : bool, default=True
        Pass real and generated samples through the discriminator in one batch (Cho & Yoon,
        section 4); matters for images, whose discriminator uses batch normalisation.

    {spectral_norm}

    {diff_augment}

    {random_state}

    Attributes
    ----------
    {gan_attributes}

    generator_ : torch.nn.Module
        The trained generator ``G(z, c)``.

    discriminator_ : torch.nn.Module
        The trained discriminator with heads ``"adversarial"`` and ``"classes"``.

    See Also
    --------
    CGANSampler : The discriminator takes the class as input.
    CAGANSampler : One adversarial output per class, no classification loss to weigh.

    References
    ----------
    .. [1] A. Odena, C. Olah and J. Shlens, "Conditional Image Synthesis with Auxiliary
       Classifier GANs", ICML 2017.
    .. [2] J. Cho and K. Yoon, "Conditional Activation GAN: Improved Auxiliary Classifier GAN",
       IEEE Access 2020.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbgan import ACGANSampler
    >>> X, y = make_classification(n_classes=2, weights=[0.9, 0.1], n_samples=200,
    ...                            random_state=0)
    >>> X_res, y_res = ACGANSampler(epochs=5, random_state=0).fit_resample(X, y)
    >>> print(sorted(Counter(y_res.tolist()).items()))
    [(0, 179), (1, 179)]
    """

    _network_attributes = ("generator_", "discriminator_")

    _parameter_constraints: dict = {
        **BaseGANSampler._parameter_constraints,
        "categorical_features": ["array-like", None],
        "continuous_encoding": [StrOptions({"min-max", "mode-specific"})],
        "loss": [StrOptions({"lsgan", "bce", "hinge"})],
        "spectral_norm": ["boolean"],
        "diff_augment": [str, None],
        "classification_weight": [Interval(Real, 0, None, closed="left")],
        "fake_classification": ["boolean"],
        "class_weight": [StrOptions({"balanced"}), None],
        "mixed_batch": ["boolean"],
    }

    _training_only_attributes = ("_class_weights",)

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
        learning_rate=2e-4,
        loss="lsgan",
        classification_weight=1.0,
        fake_classification=False,
        class_weight=None,
        mixed_batch=True,
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
        self.classification_weight = classification_weight
        self.fake_classification = fake_classification
        self.class_weight = class_weight
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
            {"adversarial": 1, "classes": spec.n_classes},
            spectral_norm=self.spectral_norm,
            augment=self.diff_augment,
            width=self.network_width,
        )
        self._class_weights = None
        if self.class_weight == "balanced":
            # The engine's class counts, already on the host: no copy of the labels back from
            # the device.
            counts = self.class_counts_
            self._class_weights = torch.as_tensor(
                counts.sum() / (len(counts) * counts), dtype=torch.float32, device=labels.device
            )
        return {"generator": self.generator_, "discriminator": self.discriminator_}

    def _train_step(self, real, labels):
        fake_labels = self._sample_labels(len(real))
        fake = self.generator_(self._sample_latent(len(real)), fake_labels)
        weight = self.classification_weight

        real_out, fake_out = self._discriminate(
            real, labels, fake.detach(), fake_labels, self.mixed_batch
        )
        d_loss = (
            real_term(self.loss, real_out["adversarial"]).mean()
            + fake_term(self.loss, fake_out["adversarial"]).mean()
            + weight * F.cross_entropy(real_out["classes"], labels, weight=self._class_weights)
        )
        if self.fake_classification:
            d_loss = d_loss + weight * F.cross_entropy(fake_out["classes"], fake_labels)
        self._update("discriminator", d_loss)

        fake_out = self._discriminate_generated(fake, fake_labels, real, labels, self.mixed_batch)
        adversarial = generator_term(self.loss, fake_out["adversarial"]).mean()
        g_loss = adversarial + weight * F.cross_entropy(fake_out["classes"], fake_labels)
        self._update("generator", g_loss)
        return {"discriminator": d_loss, "generator": g_loss}
