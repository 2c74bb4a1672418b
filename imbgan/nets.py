"""Network builders for a data shape: MLPs for tabular rows, DCGAN-style convolutions for images.

Every network takes and returns flattened rows of shape ``(batch, n_features)`` (channels-first
pixel order for images), so the training engine never needs to know which family it holds.

The convolutional family follows the DCGAN guidelines summarised in Garrido et al. (2019),
table 2: strided convolutions instead of pooling, batch normalisation in the generator and
(except for a WGAN-GP critic) in the discriminator, ReLU/tanh in the generator and LeakyReLU(0.2)
in the discriminator. It adapts to any image size: the generator starts from a small map of
``ceil(size / 2**k)`` and crops its last transposed convolution to the requested size, so 8x8,
28x28, 32x32, 64x64 and odd sizes all work with 1 or 3 channels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

LEAKY_SLOPE = 0.2

#: Channels of the convolutional trunk's first stage and its cap, units of the tabular trunk's
#: and generator's hidden layers, channels of the convolutional generator's last stage and
#: units of the discriminator's layer after a feature-conditioned trunk, at
#: ``network_width=1``.
TRUNK_BASE_CHANNELS, TRUNK_MAX_CHANNELS = 32, 256
TRUNK_HIDDEN = (256, 128)
GENERATOR_HIDDEN = (128, 256)
GENERATOR_BASE_CHANNELS = 32
JOINT_HIDDEN = 256


@dataclass(frozen=True)
class DataSpec:
    """What the networks need to know about the data.

    Parameters
    ----------
    n_features : int
        Length of one row as the networks see it (a discrete column counts one code per
        category).
    n_classes : int
        Number of classes.
    image_shape : tuple of int or None
        ``(C, H, W)`` for images, None for tabular data.
    discrete_groups : tuple of (int, int)
        ``(start, stop)`` of the codes of each discrete (one-hot encoded) column of a table, as
        in ``DataCodec.discrete_groups_``; the tabular generator emits a distribution over each
        group instead of ``tanh`` values.
    """

    n_features: int
    n_classes: int
    image_shape: tuple | None = None
    discrete_groups: tuple = ()

    @property
    def is_image(self):
        return self.image_shape is not None


def scaled_width(units, width):
    """``units`` times the ``network_width`` multiplier ``width``, rounded, at least 1."""
    return max(1, round(units * width))


def one_hot(labels, n_classes):
    """Float one-hot rows for integer class indices."""
    return F.one_hot(labels, n_classes).to(torch.float32)


#: Smallest height and width the convolutional networks take: a 4 x 4 kernel with stride 2 and
#: padding 1 needs at least 2 pixels.
MIN_IMAGE_SIDE = 2


def check_conv_image_size(image_shape):
    """Raise a ``ValueError`` naming the fix when images are too small for the conv networks."""
    _, height, width = image_shape
    if min(height, width) < MIN_IMAGE_SIDE:
        raise ValueError(
            f"Images of shape (C, H, W)={tuple(image_shape)} are too small for the convolutional "
            f"networks, which need a height and width of at least {MIN_IMAGE_SIDE} pixels. If "
            "these are not images (for example an (n, features, 1) array), pass 2-D rows of "
            "shape (n_samples, n_features) with image_shape=None to use the tabular networks."
        )


def _generator_stages(height, width):
    """Number of x2 upsamplings so that the starting map is about 4 pixels on its short side."""
    return max(1, int(math.floor(math.log2(max(min(height, width), 4) / 4))))


def _discriminator_stages(height, width):
    """Number of stride-2 convolutions that bring the short side down to 3 or less."""
    side, stages = min(height, width), 0
    while side > 3:
        side //= 2
        stages += 1
    return max(1, stages)


#: Temperature of the Gumbel-softmax of discrete columns in training, as in CTGAN (Xu et al.).
GUMBEL_TEMPERATURE = 0.2


def sample_categories(rows, discrete_groups):
    """Replace each discrete group of ``rows`` (non-negative weights) by a one-hot draw.

    Category ``k`` of a group is drawn with probability proportional to its weight, using
    torch's global generator (seeded by the engine). Rows without groups pass unchanged.
    """
    if not discrete_groups:
        return rows
    rows = rows.clone()
    for start, stop in discrete_groups:
        weights = rows[:, start:stop].clamp(min=0) + 1e-12
        picks = torch.multinomial(weights, 1).squeeze(1)
        rows[:, start:stop] = F.one_hot(picks, stop - start).to(rows.dtype)
    return rows


class MLPGenerator(nn.Module):
    """Tabular generator: ``[z, condition] -> (Linear, BatchNorm, LeakyReLU)* -> Linear ->``
    ``tanh`` for continuous codes and a distribution per discrete column.

    Each discrete column (a group of ``k`` one-hot codes, see ``discrete_groups``) gets a
    Gumbel-softmax of its ``k`` outputs (Jang et al.; temperature :data:`GUMBEL_TEMPERATURE`,
    as CTGAN) in training mode, so that the discriminator sees nearly one-hot rows like the
    real ones while gradients flow; in evaluation mode (generation) an exact one-hot draw from
    the softmax (the Gumbel-max trick), so a category comes up as often as the generator
    gives it probability.
    """

    def __init__(self, input_dim, n_features, hidden=GENERATOR_HIDDEN, discrete_groups=()):
        super().__init__()
        layers, width = [], input_dim
        for units in hidden:
            layers += [nn.Linear(width, units), nn.BatchNorm1d(units), nn.LeakyReLU(LEAKY_SLOPE)]
            width = units
        self.discrete_groups = tuple((int(a), int(b)) for a, b in discrete_groups)
        layers.append(nn.Linear(width, n_features))
        if not self.discrete_groups:
            layers.append(nn.Tanh())
        self.body = nn.Sequential(*layers)
        # The output as consecutive spans: (start, stop, is_discrete).
        self.spans, position = [], 0
        for start, stop in self.discrete_groups:
            if start > position:
                self.spans.append((position, start, False))
            self.spans.append((start, stop, True))
            position = stop
        if position < n_features:
            self.spans.append((position, n_features, False))

    def forward(self, inputs):
        outputs = self.body(inputs)
        if not self.discrete_groups:
            return outputs
        pieces = [
            F.gumbel_softmax(outputs[:, start:stop], tau=GUMBEL_TEMPERATURE, hard=not self.training)
            if discrete
            else torch.tanh(outputs[:, start:stop])
            for start, stop, discrete in self.spans
        ]
        return torch.cat(pieces, dim=1)


class ConvGenerator(nn.Module):
    """DCGAN generator for images of any size.

    ``[z, condition] -> Linear -> (C0, h0, w0) -> k x [ConvTranspose 4x4 stride 2, BatchNorm,
    ReLU] -> crop to (H, W) -> Conv 3x3 -> tanh``; the channel count halves at each upsampling.
    """

    def __init__(self, input_dim, image_shape, base_width=GENERATOR_BASE_CHANNELS):
        super().__init__()
        check_conv_image_size(image_shape)
        channels, height, width = image_shape
        stages = _generator_stages(height, width)
        self.image_shape = tuple(image_shape)
        self.start_shape = (
            base_width * 2**stages,
            math.ceil(height / 2**stages),
            math.ceil(width / 2**stages),
        )
        self.project = nn.Sequential(
            nn.Linear(input_dim, math.prod(self.start_shape)),
            nn.BatchNorm1d(math.prod(self.start_shape)),
            nn.ReLU(),
        )
        blocks, width_now = [], self.start_shape[0]
        for _ in range(stages):
            blocks += [
                nn.ConvTranspose2d(width_now, width_now // 2, 4, stride=2, padding=1),
                nn.BatchNorm2d(width_now // 2),
                nn.ReLU(),
            ]
            width_now //= 2
        self.upsample = nn.Sequential(*blocks)
        self.to_image = nn.Sequential(nn.Conv2d(width_now, channels, 3, padding=1), nn.Tanh())

    def forward(self, inputs):
        maps = self.project(inputs).view(-1, *self.start_shape)
        maps = self.upsample(maps)
        _, height, width = self.image_shape
        maps = maps[:, :, :height, :width]
        return self.to_image(maps).flatten(1)


class MLPTrunk(nn.Module):
    """Tabular feature extractor: ``(Linear, LeakyReLU)*``; ``extra_inputs`` are concatenated."""

    def __init__(self, n_features, hidden=TRUNK_HIDDEN, extra_inputs=0):
        super().__init__()
        layers, width = [], n_features + extra_inputs
        for units in hidden:
            layers += [nn.Linear(width, units), nn.LeakyReLU(LEAKY_SLOPE)]
            width = units
        self.body = nn.Sequential(*layers)
        self.out_features = width

    def forward(self, rows, extra=None):
        if extra is not None:
            rows = torch.cat([rows, extra], dim=1)
        return self.body(rows)


#: The transformations of ``diff_augment`` (Zhao et al., 2020), applied in this order.
DIFF_AUGMENT_POLICIES = ("color", "translation", "cutout")

#: What ``diff_augment="auto"`` means for images (tables: no augmentation). Translation alone
#: measured level with none on the classifier's ACSA for AC-GAN on MNIST and made its generated
#: digits far easier to recognise; cutout cost ACSA (benchmarks/README.md).
DIFF_AUGMENT_AUTO = "translation"


class DifferentiableAugment(nn.Module):
    """Random, differentiable transformations of a batch of images (Zhao et al., 2020).

    "Differentiable Augmentation for Data-Efficient GAN Training" transforms *every* image the
    discriminator sees, real and generated, in the discriminator's and the generator's steps
    alike, so that the discriminator cannot memorise a small training set and the generator
    still learns the untransformed distribution (the transformations are differentiable, so
    its gradients pass through them). Each image gets its own random draw, from torch's global
    generator (seeded by the engine).

    Parameters
    ----------
    policy : str
        Comma-separated transformations among ``"color"`` (brightness shift in [-0.5, 0.5],
        then for 3 channels saturation scaled by [0, 2], then contrast scaled by [0.5, 1.5],
        on the [-1, 1] pixel scale), ``"translation"`` (an integer shift of up to 1/8 of the
        height and width, the border pixels repeated into the vacated edge) and ``"cutout"``
        (a square of half the height and width set to 0, the middle of the pixel range).
    """

    def __init__(self, policy):
        super().__init__()
        names = [name.strip() for name in policy.split(",") if name.strip()]
        unknown = sorted(set(names) - set(DIFF_AUGMENT_POLICIES))
        if unknown or not names:
            problem = f"unknown transformations {unknown}" if unknown else "no transformation"
            raise ValueError(
                f"diff_augment={policy!r} names {problem}; use a comma-separated subset of "
                f'{", ".join(DIFF_AUGMENT_POLICIES)}, for example "translation,cutout", '
                "or None."
            )
        self.policy = tuple(name for name in DIFF_AUGMENT_POLICIES if name in names)

    def forward(self, images):
        for name in self.policy:
            images = getattr(self, f"_{name}")(images)
        return images

    @staticmethod
    def _uniform(images, low, high):
        """One value per image in [low, high), shaped to broadcast over (C, H, W)."""
        draw = torch.rand(images.shape[0], 1, 1, 1, device=images.device, dtype=images.dtype)
        return low + (high - low) * draw

    def _color(self, images):
        images = images + self._uniform(images, -0.5, 0.5)
        if images.shape[1] == 3:
            grey = images.mean(dim=1, keepdim=True)
            images = grey + (images - grey) * self._uniform(images, 0.0, 2.0)
        mean = images.mean(dim=(1, 2, 3), keepdim=True)
        return mean + (images - mean) * self._uniform(images, 0.5, 1.5)

    @staticmethod
    def _translation(images, ratio=0.125):
        n, _, height, width = images.shape
        shift_h, shift_w = max(1, round(height * ratio)), max(1, round(width * ratio))
        device = images.device
        top = torch.randint(0, 2 * shift_h + 1, (n, 1), device=device)
        left = torch.randint(0, 2 * shift_w + 1, (n, 1), device=device)

        def selection(size, shift, offset):
            """Per image, a one-hot (size, size) matrix picking the source of each pixel row (or
            column): shifted by ``offset - shift``, the border repeated where it runs out."""
            positions = torch.arange(size, device=device)[None, :]
            return F.one_hot((positions + offset - shift).clamp(0, size - 1), size)

        # Shifting by products with one-hot matrices, not by indexing or padding: their
        # gradients are deterministic on CUDA too, and exact (one product term per pixel).
        rows = selection(height, shift_h, top).to(images.dtype)[:, None]
        cols = selection(width, shift_w, left).to(images.dtype)[:, None]
        return rows @ images @ cols.transpose(-1, -2)

    @staticmethod
    def _cutout(images, ratio=0.5):
        n, _, height, width = images.shape
        size_h, size_w = max(1, round(height * ratio)), max(1, round(width * ratio))
        device = images.device
        # The square's top-left corner, so that it may hang over any edge by up to half its size.
        top = torch.randint(0, height + 1, (n, 1, 1), device=device) - size_h // 2
        left = torch.randint(0, width + 1, (n, 1, 1), device=device) - size_w // 2
        rows = torch.arange(height, device=device)[None, :, None]
        cols = torch.arange(width, device=device)[None, None, :]
        inside = (rows >= top) & (rows < top + size_h) & (cols >= left) & (cols < left + size_w)
        return images * (~inside).unsqueeze(1).to(images.dtype)


class ConvTrunk(nn.Module):
    """DCGAN discriminator trunk: k x [Conv 4x4 stride 2, (BatchNorm), LeakyReLU(0.2)] -> flatten.

    ``extra_inputs`` condition channels are appended to the image as constant maps (the
    "label as extra input channels" option of Garrido et al., needed for a WGAN critic).
    """

    def __init__(
        self,
        image_shape,
        extra_inputs=0,
        batch_norm=True,
        base_width=TRUNK_BASE_CHANNELS,
        max_width=TRUNK_MAX_CHANNELS,
        augment=None,
    ):
        super().__init__()
        check_conv_image_size(image_shape)
        # Only while training: a discriminator judges untransformed images once trained.
        self.augment = None if augment is None else DifferentiableAugment(augment)
        channels, height, width = image_shape
        self.image_shape = tuple(image_shape)
        layers, width_in = [], channels + extra_inputs
        for stage in range(_discriminator_stages(height, width)):
            width_out = min(max_width, base_width * 2**stage)
            layers.append(nn.Conv2d(width_in, width_out, 4, stride=2, padding=1))
            if batch_norm and stage > 0:
                layers.append(nn.BatchNorm2d(width_out))
            layers.append(nn.LeakyReLU(LEAKY_SLOPE))
            width_in = width_out
        self.body = nn.Sequential(*layers)
        with torch.no_grad():
            probe = torch.zeros(2, channels + extra_inputs, height, width)
            self.out_features = self.body(probe).flatten(1).shape[1]

    def forward(self, rows, extra=None):
        images = rows.view(-1, *self.image_shape)
        if self.augment is not None and self.training:
            images = self.augment(images)
        if extra is not None:
            planes = extra[:, :, None, None].expand(-1, -1, *self.image_shape[1:])
            images = torch.cat([images, planes], dim=1)
        return self.body(images).flatten(1)


class MinibatchDiscrimination(nn.Module):
    """Minibatch discrimination (Salimans et al., 2016): append, for each sample, how close it is
    to the rest of the batch, so that the discriminator can spot a collapsed generator."""

    def __init__(self, in_features, n_kernels=16, kernel_dim=8):
        super().__init__()
        self.tensor = nn.Parameter(torch.randn(in_features, n_kernels * kernel_dim) * 0.1)
        self.n_kernels, self.kernel_dim = n_kernels, kernel_dim
        self.out_features = in_features + n_kernels

    def forward(self, features):
        rows = (features @ self.tensor).view(-1, self.n_kernels, self.kernel_dim)
        distances = (rows[:, None] - rows[None, :]).abs().sum(-1)
        closeness = torch.exp(-distances).sum(1) - 1.0
        return torch.cat([features, closeness], dim=1)


def build_trunk(spec, extra_inputs=0, batch_norm=True, augment=None, width=1.0):
    """The discriminator / encoder feature extractor for ``spec``; ``augment`` (a
    :class:`DifferentiableAugment` policy, or ``"auto"``: :data:`DIFF_AUGMENT_AUTO` for images,
    none for tables) applies to images only; ``width`` multiplies every layer's channels or
    units."""
    if augment == "auto":
        augment = DIFF_AUGMENT_AUTO if spec.is_image else None
    if spec.is_image:
        return ConvTrunk(
            spec.image_shape,
            extra_inputs=extra_inputs,
            batch_norm=batch_norm,
            base_width=scaled_width(TRUNK_BASE_CHANNELS, width),
            max_width=scaled_width(TRUNK_MAX_CHANNELS, width),
            augment=augment,
        )
    if augment is not None:
        raise ValueError(
            f"diff_augment={augment!r} transforms images, but these rows are a table; pass "
            "image_shape for images, or set diff_augment=None."
        )
    hidden = tuple(scaled_width(units, width) for units in TRUNK_HIDDEN)
    return MLPTrunk(spec.n_features, hidden=hidden, extra_inputs=extra_inputs)


def build_generator(spec, input_dim, width=1.0, base_channels=GENERATOR_BASE_CHANNELS):
    """A generator from ``input_dim`` values (latent plus condition) to rows of ``spec``;
    ``width`` multiplies every layer's channels (``base_channels`` at the last stage of an
    image generator) or units."""
    if spec.is_image:
        return ConvGenerator(
            input_dim, spec.image_shape, base_width=scaled_width(base_channels, width)
        )
    hidden = tuple(scaled_width(units, width) for units in GENERATOR_HIDDEN)
    return MLPGenerator(
        input_dim, spec.n_features, hidden=hidden, discrete_groups=spec.discrete_groups
    )


class Discriminator(nn.Module):
    """A trunk, optional conditioning and minibatch discrimination, and linear output heads.

    Parameters
    ----------
    spec : DataSpec
    head_sizes : dict of str to int
        Output heads, for example ``{"adversarial": 1}`` or ``{"adversarial": 1, "classes": n}``.
    conditioning : {None, "input", "features", "projection"}
        Where the one-hot label enters: ``"input"`` (extra input channels for images, extra
        columns for tabular rows), ``"features"`` (after the trunk, followed by a hidden layer)
        or ``"projection"`` (the projection discriminator of Miyato & Koyama, 2018: the
        ``"adversarial"`` head's score plus the inner product of a learned class embedding with
        the trunk's features).
    batch_norm : bool
        Batch normalisation in the convolutional trunk (off for a WGAN-GP critic, whose gradient
        penalty is defined per sample).
    minibatch_discrimination : bool
        Add a minibatch-discrimination layer after the trunk.
    spectral_norm : bool
        Divide the weight of every convolution and linear layer by its largest singular value
        (Miyato et al., 2018, one power iteration per training forward pass), which bounds the
        discriminator's Lipschitz constant; it replaces batch normalisation, which is then off
        whatever ``batch_norm`` says (as in Miyato et al.). The engine bakes the normalised
        weights in after training (:func:`imbgan._torch.bake_parametrizations`).
    augment : str or None
        A :class:`DifferentiableAugment` policy applied to every image the discriminator sees
        while training (images only).
    width : float
        Multiplies the channels or units of every layer (the ``network_width`` parameter).
    """

    def __init__(
        self,
        spec,
        head_sizes,
        conditioning=None,
        batch_norm=True,
        minibatch_discrimination=False,
        spectral_norm=False,
        augment=None,
        width=1.0,
    ):
        super().__init__()
        self.conditioning = conditioning
        self.n_classes = spec.n_classes
        batch_norm = batch_norm and not spectral_norm
        extra = spec.n_classes if conditioning == "input" else 0
        self.trunk = build_trunk(
            spec, extra_inputs=extra, batch_norm=batch_norm, augment=augment, width=width
        )
        joint_units = scaled_width(JOINT_HIDDEN, width)
        features = self.trunk.out_features
        self.minibatch = None
        if minibatch_discrimination:
            self.minibatch = MinibatchDiscrimination(features)
            features = self.minibatch.out_features
        self.joint = None
        if conditioning == "features":
            self.joint = nn.Sequential(
                nn.Linear(features + spec.n_classes, joint_units), nn.LeakyReLU(LEAKY_SLOPE)
            )
            features = joint_units
        self.heads = nn.ModuleDict(
            {name: nn.Linear(features, size) for name, size in head_sizes.items()}
        )
        self.projection = None
        if conditioning == "projection":
            if "adversarial" not in head_sizes:
                raise ValueError('conditioning="projection" needs an "adversarial" head.')
            self.projection = nn.Embedding(spec.n_classes, features)
        if spectral_norm:
            for layer in list(self.modules()):
                if isinstance(layer, (nn.Conv2d, nn.Linear, nn.Embedding)):
                    nn.utils.parametrizations.spectral_norm(layer)

    def forward(self, rows, labels=None):
        """Return a dict of head outputs (raw scores, no activation)."""
        condition = (
            one_hot(labels, self.n_classes) if self.conditioning in ("input", "features") else None
        )
        features = self.trunk(rows, condition if self.conditioning == "input" else None)
        if self.minibatch is not None:
            features = self.minibatch(features)
        if self.joint is not None:
            features = self.joint(torch.cat([features, condition], dim=1))
        outputs = {name: head(features) for name, head in self.heads.items()}
        if self.projection is not None:
            projected = (self.projection(labels) * features).sum(dim=1, keepdim=True)
            outputs["adversarial"] = outputs["adversarial"] + projected
        return outputs


class ConditionalGenerator(nn.Module):
    """``G(z, c)``: the one-hot class concatenated to the latent vector (Mirza & Osindero)."""

    def __init__(self, spec, latent_dim, width=1.0):
        super().__init__()
        self.n_classes = spec.n_classes
        self.body = build_generator(spec, latent_dim + spec.n_classes, width=width)

    def forward(self, latent, labels):
        return self.body(torch.cat([latent, one_hot(labels, self.n_classes)], dim=1))


class LatentEncoder(nn.Module):
    """``E(x)``: a discriminator-style trunk followed by a linear map to the latent space.

    The trunk has exactly the architecture of the trunk that ``Discriminator(spec, ...,
    batch_norm=batch_norm)`` builds, so its weights can initialise a discriminator.

    Parameters
    ----------
    spec : DataSpec
        The data shape.
    latent_dim : int
        Size of the code.
    batch_norm : bool
        Batch normalisation in a convolutional trunk.
    output_activation : bool
        Follow the linear map with LeakyReLU(0.2) (BAGAN-GP's encoder) instead of leaving the code
        linear (BAGAN's encoder).
    width : float
        Multiplies the channels or units of every layer of the trunk.
    """

    def __init__(self, spec, latent_dim, batch_norm=False, output_activation=False, width=1.0):
        super().__init__()
        self.trunk = build_trunk(spec, batch_norm=batch_norm, width=width)
        layers = [nn.Linear(self.trunk.out_features, latent_dim)]
        if output_activation:
            layers.append(nn.LeakyReLU(LEAKY_SLOPE))
        self.to_latent = nn.Sequential(*layers)

    def forward(self, rows):
        return self.to_latent(self.trunk(rows))


class Autoencoder(nn.Module):
    """Holds an encoder and a decoder so that one optimiser trains both."""

    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder
