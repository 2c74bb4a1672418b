"""Training steps that some methods share, as mixins listed before :class:`BaseGANSampler`.

- :class:`AutoencoderPretrainingMixin`: the BAGAN family's autoencoder phase (BAGAN, BAGAN-GP);
- :class:`CriticStepsMixin`: several discriminator (critic) steps per generator step, as
  WGAN-GP trains (CGAN, BAGAN-GP);
- :class:`MixedBatchMixin`: the discriminator's outputs for a real and a generated batch, in
  one mixed forward pass if asked (AC-GAN, CA-GAN).

The engine (:mod:`imbgan.base`) stays what every method shares; a step two methods share lives
here, written once.
"""

from __future__ import annotations

import torch
from torch.nn import functional as F


class AutoencoderPretrainingMixin:
    """Train the encoder and the generator as an autoencoder before the adversarial phase.

    The BAGAN family (Mariani et al., 2018; Huang & Jafari, 2021) starts its generator from a
    trained decoder. A method says how a batch is reconstructed (:meth:`_reconstruct`) and
    with which loss (:attr:`_reconstruction_loss`); it has the ``autoencoder_epochs``
    parameter and an ``"autoencoder"`` optimiser, and calls :meth:`_train_autoencoder` from
    ``_before_adversarial_training``.
    """

    #: Loss between a reconstruction and the real batch: BAGAN's mean squared error.
    _reconstruction_loss = staticmethod(F.mse_loss)

    def _reconstruct(self, real, labels):
        """The autoencoder's reconstruction of a batch of encoded real rows."""
        raise NotImplementedError

    def _autoencoder_step(self, real, labels):
        loss = self._reconstruction_loss(self._reconstruct(real, labels), real)
        self._update("autoencoder", loss)
        return {"autoencoder": loss}

    def _train_autoencoder(self, data, labels):
        """Pretrain with :meth:`_autoencoder_step` for ``autoencoder_epochs`` epochs (None: as
        many as the adversarial phase)."""
        n_epochs = self.n_epochs_ if self.autoencoder_epochs is None else self.autoencoder_epochs
        self._run_epochs(self._autoencoder_step, data, labels, n_epochs, "autoencoder")


class CriticStepsMixin:
    """Count discriminator steps so that the generator steps on every ``n_critic``-th one.

    The count starts at 0 with each fit and stays readable afterwards as
    ``_discriminator_steps``.
    """

    def _fit_model(self, X, y_index, random_state):
        self._discriminator_steps = 0
        super()._fit_model(X, y_index, random_state)

    def _generator_step_due(self, n_critic):
        """Count one discriminator step; True on every ``n_critic``-th, when the generator
        takes its step (several critic steps per generator step, as WGAN-GP trains)."""
        self._discriminator_steps += 1
        return self._discriminator_steps % n_critic == 0


class MixedBatchMixin:
    """Discriminator outputs for real and generated batches, separately or as one mixed batch
    (the ``mixed_batch`` parameter of AC-GAN and CA-GAN)."""

    def _discriminate(self, real, real_labels, fake, fake_labels, mixed_batch=False):
        """Discriminator outputs for a real and a generated batch.

        With ``mixed_batch`` both go through one forward pass, so that every batch the
        discriminator's batch normalisation sees holds real and generated samples in the same
        ratio and hence the same condition distribution (Cho & Yoon, section 4).
        """
        if not mixed_batch:
            return self.discriminator_(real, real_labels), self.discriminator_(fake, fake_labels)
        outputs = self.discriminator_(
            torch.cat([real, fake]), torch.cat([real_labels, fake_labels])
        )
        n_real = real.shape[0]
        return (
            {name: value[:n_real] for name, value in outputs.items()},
            {name: value[n_real:] for name, value in outputs.items()},
        )

    def _discriminate_generated(self, fake, fake_labels, real, real_labels, mixed_batch=False):
        """Discriminator outputs for generated rows in the generator's step.

        With ``mixed_batch`` the real batch goes through too, so that batch normalisation
        normalises the generated rows with the same mixed statistics as in the
        discriminator's step; a generated-only batch would be judged by other statistics.
        """
        if not mixed_batch:
            return self.discriminator_(fake, fake_labels)
        return self._discriminate(real, real_labels, fake, fake_labels, mixed_batch=True)[1]
