"""Differentiable augmentation (``diff_augment``, Zhao et al., 2020): what each transformation
does to a batch, that it acts only while the discriminator trains, and the samplers' option."""

import numpy as np
import pytest
import torch

from imbgan import (
    ACGANSampler,
    BAGANGPSampler,
    BAGANSampler,
    CAGANSampler,
    CGANSampler,
)
from imbgan.nets import DataSpec, DifferentiableAugment, Discriminator

IMAGE_SAMPLERS = [CGANSampler, ACGANSampler, CAGANSampler, BAGANSampler, BAGANGPSampler]


def numbered_images(n=16, height=8, width=8):
    """Images whose pixels are all different (1 ... H*W, the same in every image), so that
    where a pixel came from can be read off its value."""
    grid = torch.arange(1, height * width + 1, dtype=torch.float32).view(1, 1, height, width)
    return grid.repeat(n, 1, 1, 1)


def test_translation_shifts_each_image_by_at_most_an_eighth_repeating_the_border():
    torch.manual_seed(0)
    images = numbered_images()
    shifted = DifferentiableAugment("translation")(images)
    padded = torch.nn.functional.pad(images[:1], (1, 1, 1, 1), mode="replicate")[0, 0]
    shifts = set()
    for image in shifted[:, 0]:
        # An 8 x 8 image moves by at most round(8 / 8) = 1 pixel each way.
        matches = [
            (dy, dx)
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
            if torch.equal(image, padded[1 - dy : 9 - dy, 1 - dx : 9 - dx])
        ]
        assert len(matches) == 1
        shifts.add(matches[0])
    # Each image draws its own shift.
    assert len(shifts) > 1


def test_cutout_zeroes_one_square_of_half_the_side_per_image():
    torch.manual_seed(0)
    images = numbered_images(n=32)
    cut = DifferentiableAugment("cutout")(images)
    for original, image in zip(images[:, 0], cut[:, 0]):
        zeroed = torch.nonzero(image == 0)
        assert torch.equal(image[image != 0], original[image != 0])
        assert 0 < len(zeroed) <= 16
        rows, cols = zeroed[:, 0], zeroed[:, 1]
        # One axis-aligned rectangle (a 4 x 4 square, clipped at the image's edges).
        height = rows.max() - rows.min() + 1
        width = cols.max() - cols.min() + 1
        assert len(zeroed) == height * width
        assert height <= 4 and width <= 4


def test_color_shifts_brightness_and_scales_contrast_per_image():
    torch.manual_seed(0)
    images = torch.rand(8, 3, 6, 6) * 2 - 1
    coloured = DifferentiableAugment("color")(images)
    assert coloured.shape == images.shape
    changes = (coloured - images).flatten(1).abs().mean(dim=1)
    assert (changes > 0).all()
    assert len(set(changes.tolist())) == len(changes)


def test_gradients_pass_through_every_transformation():
    torch.manual_seed(0)
    images = (torch.rand(4, 1, 8, 8) * 2 - 1).requires_grad_()
    DifferentiableAugment("color,translation,cutout")(images).sum().backward()
    assert torch.isfinite(images.grad).all()
    assert images.grad.abs().sum() > 0


def test_unknown_transformation_is_refused_by_name():
    with pytest.raises(ValueError, match=r"'flip'.*translation"):
        DifferentiableAugment("translation,flip")
    with pytest.raises(ValueError, match="diff_augment"):
        DifferentiableAugment(" , ")


def test_discriminator_augments_only_while_training():
    """In evaluation mode an augmented discriminator scores exactly as the same weights without
    augmentation; in training mode the same batch scores differently from call to call."""
    torch.manual_seed(0)
    spec = DataSpec(n_features=64, n_classes=2, image_shape=(1, 8, 8))
    augmented = Discriminator(spec, {"adversarial": 1}, batch_norm=False, augment="translation")
    plain = Discriminator(spec, {"adversarial": 1}, batch_norm=False)
    plain.load_state_dict(augmented.state_dict())
    rows = torch.rand(6, 64) * 2 - 1
    augmented.eval(), plain.eval()
    assert torch.equal(augmented(rows)["adversarial"], plain(rows)["adversarial"])
    augmented.train()
    assert not torch.equal(augmented(rows)["adversarial"], augmented(rows)["adversarial"])


@pytest.mark.parametrize("sampler_class", IMAGE_SAMPLERS)
def test_samplers_train_with_diff_augment_reproducibly(tiny_images, sampler_class):
    images, y = tiny_images
    params = dict(epochs=2, batch_size=16, latent_dim=8, selection=None, random_state=0)
    augmented = sampler_class(diff_augment="translation,cutout", **params).fit_resample(images, y)
    again = sampler_class(diff_augment="translation,cutout", **params).fit_resample(images, y)
    plain = sampler_class(**params).fit_resample(images, y)
    assert np.array_equal(augmented[0], again[0])
    assert not np.array_equal(augmented[0], plain[0])
    # The original rows come back first, unchanged.
    assert np.array_equal(augmented[0][: len(images)], images)


@pytest.mark.parametrize("sampler_class", IMAGE_SAMPLERS)
def test_diff_augment_on_a_table_names_the_fix(blobs, sampler_class):
    X, y = blobs
    sampler = sampler_class(diff_augment="translation", epochs=1, random_state=0)
    with pytest.raises(ValueError, match="image_shape.*diff_augment=None"):
        sampler.fit_resample(X, y)


@pytest.mark.parametrize("sampler_class", [ACGANSampler, CGANSampler])
def test_auto_is_translation_for_images_and_nothing_for_tables(tiny_images, blobs, sampler_class):
    """AC-GAN's and cGAN's default: the discriminator translates images while training and
    trains on a table without augmentation (where an explicit policy is refused)."""
    params = dict(epochs=1, batch_size=16, latent_dim=8, random_state=0)
    images, y = tiny_images
    on_images = sampler_class(**params)
    on_images.fit_resample(images, y)
    assert on_images.diff_augment == "auto"
    assert on_images.discriminator_.trunk.augment.policy == ("translation",)
    X, y = blobs
    on_table = sampler_class(**params)
    on_table.fit_resample(X, y)
    assert not any(
        isinstance(module, DifferentiableAugment) for module in on_table.discriminator_.modules()
    )
