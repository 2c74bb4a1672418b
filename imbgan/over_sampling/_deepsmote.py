"""DeepSMOTE (Dablain, Krawczyk & Chawla, 2023): SMOTE in the latent space of an autoencoder."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import torch
from imblearn.utils import Substitution
from sklearn.neighbors import NearestNeighbors
from sklearn.utils._param_validation import Interval, StrOptions
from torch import nn
from torch.nn import functional as F

from .._docstrings import sampler_docs
from ..base import GENERATION_CHUNK, BaseGANSampler, seeded_torch
from ..nets import Autoencoder, ConvGenerator, LatentEncoder, build_generator


class LatentDecoder(nn.Module):
    """``Dec(z)``, or ``Dec(z * Emb(y))`` with a class embedding (BAGAN-GP's supervised decoder).

    Parameters
    ----------
    body : torch.nn.Module
        Maps latent vectors to rows.
    embedding : torch.nn.Embedding or None
        ``n_classes`` vectors of the latent size that scale the code element-wise; None decodes
        the code alone (the unsupervised autoencoder of the DeepSMOTE paper).
    """

    def __init__(self, body, embedding=None):
        super().__init__()
        self.body = body
        self.embedding = embedding

    def forward(self, codes, labels):
        if self.embedding is not None:
            codes = codes * self.embedding(labels)
        return self.body(codes)


def _without_input_normalisation(decoder):
    """The generator body with the batch normalisation after its first linear layer removed.

    That normalisation makes a decoder blind to a shift of all codes, so nothing keeps the
    encoder's codes from drifting: measured on 28 x 28 digits, the codes' mean norm reached 300
    against a spread of 2 between rows, and with ``latent_space="supervised"`` the decoder
    drew little more than class means (reconstruction error 0.20 after 120 steps, against 0.10
    for the unsupervised codes; presumably the class embedding turns the common offset into
    class-wise ones). The authors' decoder has no normalisation there either.
    """
    layers = decoder.project if isinstance(decoder, ConvGenerator) else decoder.body
    if isinstance(layers[1], nn.BatchNorm1d):
        layers[1] = nn.Identity()
    return decoder


def neighbour_codes(codes):
    """The penalty's permutation: position ``i`` gets the code of row ``i + 1`` (cyclically).

    The rows come in random order, so this is a random permutation without fixed points: with
    two or more rows, every decoded code is compared with a *different* row of its class.
    """
    return torch.roll(codes, shifts=-1, dims=0)


def latent_neighbour_table(codes, y_index, n_classes, k_neighbors):
    """Per class, the rows and each row's nearest same-class neighbours in the latent space.

    Parameters
    ----------
    codes : ndarray of shape (n_samples, latent_dim)
    y_index : ndarray of int of shape (n_samples,)
        Class indices in ``range(n_classes)``.
    n_classes : int
    k_neighbors : int
        Neighbours wanted; a class of ``n`` rows gets ``min(k_neighbors, n - 1)``.

    Returns
    -------
    members : list of ndarray of int
        Per class, the indices of its rows in ``codes``.
    neighbours : list of ndarray of int
        Per class, an array of shape ``(n_c, k_c)``: row ``i`` holds the indices (into
        ``codes``) of the ``k_c`` nearest other rows of the class to its ``i``-th row.
    """
    members, neighbours = [], []
    for c in range(n_classes):
        rows = np.flatnonzero(y_index == c)
        k = min(k_neighbors, len(rows) - 1)
        if k < 1:
            table = np.empty((len(rows), 0), dtype=np.intp)
        else:
            search = NearestNeighbors(n_neighbors=k + 1).fit(codes[rows])
            found = search.kneighbors(codes[rows], return_distance=False)
            # Drop each row itself; with duplicate codes it need not come first.
            table = np.stack(
                [[j for j in hits if j != i][:k] for i, hits in enumerate(found)]
            ).astype(np.intp)
            table = rows[table]
        members.append(rows)
        neighbours.append(table)
    return members, neighbours


@Substitution(
    **sampler_docs(
        latent_dim=32,
        epochs='"auto"',
        batch_size=64,
        learning_rate=0.001,
        auto_steps=200,
    )
)
class DeepSMOTESampler(BaseGANSampler):
    """Oversample with DeepSMOTE: new codes in an autoencoder's latent space, decoded as the class.

    Two steps (Dablain, Krawczyk and Chawla, 2023):

    1. **Autoencoder with a penalty**, trained on all classes, so that the majority classes teach
       the decoder what the data look like. Per batch ``x`` the loss is the reconstruction error
       plus ``penalty_weight`` times the paper's penalty::

           R = mean((Dec(Enc(x)) - x)^2)
           P = mean((Dec(Enc(s)[perm[i]]) - s[i])^2)

       where ``s`` holds up to ``batch_size`` rows of one class drawn at random and ``perm``
       moves every code to another position, so that each decoded code is compared with a
       *different* row of its class, as if one sample were generated from its neighbour.
    2. **SMOTE in the latent space**: a new sample of class ``c`` is
       ``Dec(z_i + u (z_j - z_i))``, ``u ~ U(0, 1)``, with ``z_i`` the code of a random training
       row of ``c`` and ``z_j`` the code of one of its ``k_neighbors`` nearest neighbours among
       the codes of ``c``.

    imbgan's default replaces step 2 with *latent transfer* (``latent_sampling="transfer"``):
    the code of a row of another class decoded with the label of ``c``; and selects the decoded
    candidates with a 1-nearest-neighbour judge (see ``selection_classifier``).
    ``latent_sampling="smote", generated_share=1.0, selection=None`` is the paper's step 2.

    The authors' script compares the decoded permuted codes with the *permuted* rows, which makes
    the penalty a second reconstruction loss; imbgan implements the penalty as the paper defines
    it (each decoded code against the row at its new position).

    Read more in the :ref:`User Guide <deepsmote>`.

    Parameters
    ----------
    {sampling_strategy}

    {image_shape}

    {categorical_features}

    {continuous_encoding}

    {gan_parameters}

    k_neighbors : int, default=5
        Nearest same-class neighbours in the latent space to interpolate towards, as in SMOTE.
        A class of ``n`` rows uses ``min(k_neighbors, n - 1)`` (stored in ``k_neighbors_``), so
        small classes never fail.

    latent_space : {{"autoencoder", "supervised"}}, default="supervised"
        ``"autoencoder"`` is the paper's unsupervised autoencoder ``Dec(Enc(x))``.
        ``"supervised"`` decodes ``Dec(Enc(x) * Emb(y))`` with a learned class embedding, as
        BAGAN-GP's supervised autoencoder does, so that the class of a decoded code is set by
        its label and not only by where the code lies. See the User Guide for the measurement
        behind the default.

    penalty_weight : float, default=1.0
        Weight of the penalty ``P`` against the reconstruction error (1 in the paper); 0
        trains a plain autoencoder.

    singleton_noise : float, default=0.1
        A class of one row has no neighbour to interpolate towards: its new samples decode
        ``z + singleton_noise * sigma * e``, ``e ~ N(0, I)``, with ``sigma`` the per-dimension
        standard deviation of all training codes. 0 copies the decoded code of the row.

    latent_sampling : {{"transfer", "smote", "mixed"}}, default="transfer"
        Where the decoded codes of a class come from.

        - ``"smote"``: the paper's SMOTE between codes of the class (step 2 above).
        - ``"transfer"``: the code of a random training row of *another* class, decoded with
          this class's label: ``Dec(Enc(x_d) * Emb(c))``. The supervised decoder takes the
          class from the label and the rest (slant, thickness, position, size) from the
          donor row, so a rare class borrows the variety of the common ones instead of
          recombining its own few rows. Needs ``latent_space="supervised"``. Candidates that
          do not read as their class are the selection's job (see ``selection``). See the
          User Guide for the measurement behind the default.
        - ``"mixed"``: each candidate is drawn one way or the other with even odds, and the
          selection keeps those that read as their class. Needs ``latent_space="supervised"``.

    {random_state}

    Attributes
    ----------
    {gan_attributes}

    encoder_ : torch.nn.Module
        The trained encoder ``Enc``.

    decoder_ : LatentDecoder
        The trained decoder; ``decoder_.embedding`` is the class embedding (None for
        ``latent_space="autoencoder"``).

    latent_codes_ : ndarray of shape (n_samples, latent_dim)
        Codes of the training rows, in the order of ``X``, computed after training (float32,
        on the CPU, so they pickle and follow any device).

    neighbors_ : list of ndarray of int
        One array per class of ``classes_``, of shape ``(n_c, k_c)``: row ``i`` holds the
        indices into ``latent_codes_`` of the nearest same-class codes of the class's ``i``-th
        training row.

    k_neighbors_ : ndarray of int of shape (n_classes,)
        Neighbours used per class: ``min(k_neighbors, n_c - 1)``; 0 for a class of one row.

    See Also
    --------
    BAGANGPSampler : Supervised autoencoder followed by a GAN.
    BAGANSampler : Autoencoder followed by a GAN with class-conditional Gaussian latents.
    imblearn.over_sampling.SMOTE : The same interpolation in the data space.

    Notes
    -----
    There is no adversarial training: ``epochs`` counts passes of the autoencoder,
    ``latent_dim`` is the size of its code, and ``generator_ema`` (which averages a GAN
    generator's weights) does not apply: anything but None raises a ``ValueError``. Adam uses
    its usual betas ``(0.9, 0.999)``, as the authors' script does.

    The penalty's codes are detached, as in the authors' script: the penalty trains the decoder
    (and the embedding) only, so the encoder's codes are shaped by reconstruction alone. Its
    rows come from a class drawn uniformly from all classes, so rare classes get as many penalty
    steps as common ones. The decoder sees the batch and the penalty rows in one pass, so its
    batch normalisation never sees a one-class batch on its own.

    ``history_`` holds, per epoch, the mean squared reconstruction error (``"reconstruction"``)
    and the penalty (``"penalty"``), both on the [-1, 1] scale of ``codec_``.

    References
    ----------
    .. [1] D. Dablain, B. Krawczyk and N. V. Chawla, "DeepSMOTE: Fusing Deep Learning and SMOTE
       for Imbalanced Data", IEEE Transactions on Neural Networks and Learning Systems, 2023
       (arXiv:2105.02340).
    .. [2] N. V. Chawla, K. W. Bowyer, L. O. Hall and W. P. Kegelmeyer, "SMOTE: Synthetic
       Minority Over-sampling Technique", Journal of Artificial Intelligence Research, 2002.
    .. [3] G. Huang and A. H. Jafari, "Enhanced balancing GAN: minority-class image generation",
       Neural Computing and Applications, 2021.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbgan import DeepSMOTESampler
    >>> X, y = make_classification(n_classes=2, weights=[0.9, 0.1], n_samples=200,
    ...                            random_state=0)
    >>> print(sorted(Counter(y.tolist()).items()))
    [(0, 179), (1, 21)]
    >>> X_res, y_res = DeepSMOTESampler(epochs=5, random_state=0).fit_resample(X, y)
    >>> print(sorted(Counter(y_res.tolist()).items()))
    [(0, 179), (1, 179)]
    """

    _parameter_constraints: dict = {
        **BaseGANSampler._parameter_constraints,
        "categorical_features": ["array-like", None],
        "continuous_encoding": [StrOptions({"min-max", "mode-specific"})],
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "latent_space": [StrOptions({"autoencoder", "supervised"})],
        "penalty_weight": [Interval(Real, 0, None, closed="left")],
        "singleton_noise": [Interval(Real, 0, None, closed="left")],
        "latent_sampling": [StrOptions({"transfer", "smote", "mixed"})],
    }

    #: An autoencoder, not a GAN: Adam's usual betas, as in the authors' script.
    _adam_betas = (0.9, 0.999)
    # Measured on MNIST at IR 100 (994 rows, 28 x 28; see the User Guide): 200 steps took 31 s
    # of CPU time on one thread and gave a CNN ACSA of 0.728; 600 steps 78 s and 0.732.
    _auto_training_steps = 200
    #: Channels of the convolutional decoder's last stage (doubling towards its input); half the
    #: GAN generators' 32, which made a step on 28 x 28 images about 2.5 times cheaper.
    _decoder_width = 16
    _training_only_attributes = ("_train_data", "_train_labels", "_class_members")
    _network_attributes = ("encoder_", "decoder_")

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        image_shape=None,
        categorical_features=None,
        continuous_encoding="min-max",
        latent_dim=32,
        network_width=1.0,
        epochs="auto",
        batch_size=64,
        batch_sampling="shuffle",
        learning_rate=1e-3,
        k_neighbors=5,
        latent_space="supervised",
        penalty_weight=1.0,
        singleton_noise=0.1,
        latent_sampling="transfer",
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
        self.k_neighbors = k_neighbors
        self.latent_space = latent_space
        self.penalty_weight = penalty_weight
        self.singleton_noise = singleton_noise
        self.latent_sampling = latent_sampling
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

    # ------------------------------------------------------------------ training

    def _build_networks(self, spec, data, labels):
        if self.generator_ema is not None:
            raise ValueError(
                f"generator_ema={self.generator_ema!r} does not apply to DeepSMOTESampler, which "
                "trains an autoencoder and no GAN generator; leave generator_ema=None."
            )
        if self.latent_sampling != "smote" and self.latent_space != "supervised":
            raise ValueError(
                f"latent_sampling={self.latent_sampling!r} decodes codes of other classes with "
                "the label of the class, which needs a decoder that reads the label: set "
                'latent_space="supervised", or latent_sampling="smote" for the unsupervised '
                "autoencoder."
            )
        width = self.network_width
        self.encoder_ = LatentEncoder(spec, self.latent_dim, batch_norm=False, width=width)
        embedding = None
        if self.latent_space == "supervised":
            embedding = nn.Embedding(spec.n_classes, self.latent_dim)
        body = build_generator(
            spec, self.latent_dim, width=width, base_channels=self._decoder_width
        )
        self.decoder_ = LatentDecoder(_without_input_normalisation(body), embedding)
        # Generation during training (a callback calling generate()) indexes the current codes.
        self._train_data, self._train_labels = data, labels
        self._class_members = [torch.nonzero(labels == c).flatten() for c in range(spec.n_classes)]
        return {"autoencoder": Autoencoder(self.encoder_, self.decoder_)}

    def _penalty_rows(self, batch_size):
        """Up to ``batch_size`` rows of one class drawn uniformly, in random order."""
        members = self._class_members
        c = int(torch.randint(len(members), (1,)))
        chosen = members[c][torch.randperm(len(members[c]), device=members[c].device)]
        chosen = chosen[:batch_size]
        return self._train_data[chosen], self._train_labels[chosen]

    def _losses(self, real, labels, class_rows, class_labels):
        """Reconstruction error of ``real`` and the penalty on the one-class rows."""
        n_real = len(real)
        codes = self.encoder_(torch.cat([real, class_rows]))
        real_codes, class_codes = codes[:n_real], codes[n_real:].detach()
        # Decoded permuted code i is compared with the un-permuted row i: the paper's penalty.
        # (The authors' script compares it with the permuted row i.e. the row the code came
        # from, which only repeats the reconstruction loss.)
        decoded = self.decoder_(
            torch.cat([real_codes, neighbour_codes(class_codes)]),
            torch.cat([labels, class_labels]),
        )
        reconstruction = F.mse_loss(decoded[:n_real], real)
        penalty = F.mse_loss(decoded[n_real:], class_rows)
        return reconstruction, penalty

    def _train_step(self, real, labels):
        class_rows, class_labels = self._penalty_rows(self.batch_size)
        reconstruction, penalty = self._losses(real, labels, class_rows, class_labels)
        self._update("autoencoder", reconstruction + self.penalty_weight * penalty)
        return {"reconstruction": reconstruction.detach(), "penalty": penalty.detach()}

    def _fit_model(self, X, y_index, random_state):
        super()._fit_model(X, y_index, random_state)
        data = torch.as_tensor(self.codec_.encode(X), device=self.device_)
        self.latent_codes_ = self._encode_all(data)
        self._calibrate_decoder(self.latent_codes_, y_index)
        self.neighbors_ = latent_neighbour_table(
            self.latent_codes_, y_index, len(self.classes_), self.k_neighbors
        )[1]
        self.k_neighbors_ = np.array([table.shape[1] for table in self.neighbors_])
        self._latent_labels = np.asarray(y_index, dtype=np.intp)

    def _encode_all(self, data):
        self._set_train_mode(False)
        with torch.no_grad():
            chunks = [
                self.encoder_(data[start : start + GENERATION_CHUNK]).float().cpu().numpy()
                for start in range(0, len(data), GENERATION_CHUNK)
            ]
        return np.concatenate(chunks).astype(np.float32, copy=False)

    def _calibrate_decoder(self, codes, y_index):
        """Set the running statistics of the decoder's batch normalisation to those of the
        training codes.

        Running statistics are averages over training steps taken with earlier weights; one
        pass over the final codes makes evaluation mode decode exactly as the final training
        steps did. (With a batch normalisation right after the decoder's input, removed by
        :func:`_without_input_normalisation`, the lag had made evaluation mode decode every code
        to one blurred image: reconstruction error 0.61 against 0.15 in training mode.)
        """
        norms = [
            m for m in self.decoder_.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)
        ]
        if not norms:
            return
        momenta = [m.momentum for m in norms]
        for m in norms:
            m.reset_running_stats()
            m.momentum = None  # a cumulative average over the chunks
        codes = torch.as_tensor(codes, device=self.device_)
        labels = torch.as_tensor(y_index, dtype=torch.long, device=self.device_)
        # Interleaved chunks, so that each one mixes the classes even when y is sorted.
        n_chunks = -(-len(codes) // GENERATION_CHUNK)
        self.decoder_.train()
        # A forked random stream: the decoder of a mixed table draws categories in training mode.
        with seeded_torch(0, self.device_), torch.no_grad():
            for start in range(n_chunks):
                if len(codes[start::n_chunks]) > 1:
                    self.decoder_(codes[start::n_chunks], labels[start::n_chunks])
        for m, momentum in zip(norms, momenta):
            m.momentum = momentum
        self.decoder_.eval()

    # ------------------------------------------------------------------ generation

    def _latent_index(self):
        """Codes, class members and neighbour tables to interpolate between."""
        if getattr(self, "_train_data", None) is not None:
            # Mid-training (a callback calls generate()): index the codes of the encoder as
            # it is now.
            codes = self._encode_all(self._train_data)
            y_index = self._train_labels.cpu().numpy()
            # Only the running statistics change, which training-mode steps do not use.
            self._calibrate_decoder(codes, y_index)
            members, neighbours = latent_neighbour_table(
                codes, y_index, len(self.classes_), self.k_neighbors
            )
            return codes, members, neighbours
        members = [np.flatnonzero(self._latent_labels == c) for c in range(len(self.classes_))]
        return self.latent_codes_, members, self.neighbors_

    def _generate_batch(self, labels):
        codes, members, neighbours = self._latent_index()
        codes_t = torch.as_tensor(codes, device=self.device_)
        if self.latent_sampling == "transfer":
            new_codes = self._transferred_codes(codes_t, members, labels)
        elif self.latent_sampling == "smote":
            new_codes = self._interpolated_codes(codes_t, members, neighbours, labels)
        else:
            # "mixed": each candidate comes from either step with even odds; the selection
            # then keeps whichever read as their class.
            transferred = self._transferred_codes(codes_t, members, labels)
            interpolated = self._interpolated_codes(codes_t, members, neighbours, labels)
            by_transfer = torch.rand(len(labels), 1, device=self.device_) < 0.5
            new_codes = torch.where(by_transfer, transferred, interpolated)
        return self.decoder_(new_codes, labels)

    def _interpolated_codes(self, codes, members, neighbours, labels):
        """Per label ``c``, SMOTE between a random code of ``c`` and one of its same-class
        neighbours (a class of one row: its code plus ``singleton_noise``)."""
        spread = codes.std(dim=0) if len(codes) > 1 else torch.zeros_like(codes[0])
        new_codes = torch.empty(len(labels), codes.shape[1], device=self.device_)
        # Classes in a fixed order, so an int random_state gives the same samples every time.
        for c in torch.unique(labels).tolist():
            where = torch.nonzero(labels == c).flatten()
            n = len(where)
            rows = torch.as_tensor(members[c], device=self.device_)
            pick = torch.randint(len(rows), (n,), device=self.device_)
            base = codes[rows[pick]]
            table = torch.as_tensor(neighbours[c], device=self.device_)
            if table.shape[1] == 0:
                noise = torch.randn(n, codes.shape[1], device=self.device_)
                new_codes[where] = base + self.singleton_noise * spread * noise
                continue
            column = torch.randint(table.shape[1], (n,), device=self.device_)
            neighbour = codes[table[pick, column]]
            gap = torch.rand(n, 1, device=self.device_)
            new_codes[where] = base + gap * (neighbour - base)
        return new_codes

    def _transferred_codes(self, codes, members, labels):
        """Per label ``c``, the code of a random training row of another class (any row when
        ``c`` is the only class); rows are drawn uniformly, so common classes donate most."""
        y_index = torch.empty(len(codes), dtype=torch.long, device=self.device_)
        for c, rows in enumerate(members):
            y_index[torch.as_tensor(rows, device=self.device_)] = c
        new_codes = torch.empty(len(labels), codes.shape[1], device=self.device_)
        # Classes in a fixed order, so an int random_state gives the same samples every time.
        for c in torch.unique(labels).tolist():
            where = torch.nonzero(labels == c).flatten()
            donors = torch.nonzero(y_index != c).flatten()
            if len(donors) == 0:
                donors = torch.arange(len(codes), device=self.device_)
            pick = torch.randint(len(donors), (len(where),), device=self.device_)
            new_codes[where] = codes[donors[pick]]
        return new_codes
