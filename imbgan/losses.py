"""Adversarial losses and the gradient penalty.

Each loss is written as three element-wise terms on raw discriminator outputs, so that a method
can average them (cGAN, AC-GAN) or weight them with a condition mask before summing (CA-GAN,
eqs. 17-18 of Cho & Yoon):

- ``real``: the discriminator's loss for a real sample,
- ``fake``: the discriminator's loss for a generated sample,
- ``generator``: the generator's loss for a generated sample.

``"bce"`` is the non-saturating GAN loss (Goodfellow et al.), ``"lsgan"`` the least-squares loss
(Mao et al.), ``"hinge"`` the hinge loss of Lim & Ye (2017) and Miyato et al. (2018, with
spectral normalisation) and ``"wgan-gp"`` the Wasserstein critic loss (Gulrajani et al.), used
together with :func:`gradient_penalty`.
"""

from __future__ import annotations

import torch
from torch.nn import functional as F

LOSSES = ("bce", "lsgan", "hinge", "wgan-gp")


def real_term(loss, scores, smoothing=0.0):
    """Discriminator loss for real samples; ``smoothing`` is one-sided label smoothing (the real
    target becomes ``1 - smoothing``, Salimans et al. 2016)."""
    target = 1.0 - smoothing
    if loss == "bce":
        return F.binary_cross_entropy_with_logits(
            scores, torch.full_like(scores, target), reduction="none"
        )
    if loss == "lsgan":
        return (scores - target) ** 2
    if loss == "hinge":
        return F.relu(target - scores)
    if loss == "wgan-gp":
        return -scores
    raise ValueError(f"Unknown loss {loss!r}; expected one of {LOSSES}.")


def fake_term(loss, scores):
    """Discriminator loss for generated samples."""
    if loss == "bce":
        return F.binary_cross_entropy_with_logits(
            scores, torch.zeros_like(scores), reduction="none"
        )
    if loss == "lsgan":
        return scores**2
    if loss == "hinge":
        return F.relu(1.0 + scores)
    if loss == "wgan-gp":
        return scores
    raise ValueError(f"Unknown loss {loss!r}; expected one of {LOSSES}.")


def generator_term(loss, scores):
    """Generator loss for generated samples (non-saturating for ``"bce"``)."""
    if loss == "bce":
        return F.binary_cross_entropy_with_logits(scores, torch.ones_like(scores), reduction="none")
    if loss == "lsgan":
        return (scores - 1.0) ** 2
    if loss in ("hinge", "wgan-gp"):
        return -scores
    raise ValueError(f"Unknown loss {loss!r}; expected one of {LOSSES}.")


def gradient_penalty(critic, real, fake):
    """WGAN-GP penalty ``E[(||grad critic(x_hat)||_2 - 1)^2]``.

    ``x_hat = real + a * (fake - real)`` with ``a ~ U(0, 1)`` per sample (Gulrajani et al.;
    the BAGAN-GP reference code draws ``a`` from N(0, 1), which is a quirk we do not follow).

    Parameters
    ----------
    critic : callable
        Maps a batch of rows to one score per row (shape ``(n,)`` or ``(n, 1)``); close over the
        labels for a conditional critic.
    real, fake : torch.Tensor
        Batches of rows of the same shape.
    """
    mix = torch.rand(real.shape[0], 1, device=real.device, dtype=real.dtype)
    blended = (real + mix * (fake.detach() - real)).requires_grad_(True)
    scores = critic(blended)
    (grads,) = torch.autograd.grad(scores.sum(), blended, create_graph=True)
    return ((grads.norm(2, dim=1) - 1.0) ** 2).mean()
