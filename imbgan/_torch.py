"""Small torch helpers shared by the library and the benchmark: thread limits, chunked
prediction and baking parametrisations. (Device resolution and seeded blocks live in
:mod:`imbgan.base`, next to the engine that uses them: :func:`~imbgan.base.resolve_device`,
:func:`~imbgan.base.seeded_torch`.)"""

from __future__ import annotations

import contextlib

import numpy as np
import torch
from threadpoolctl import threadpool_limits
from torch.nn.utils import parametrize


@contextlib.contextmanager
def limited_threads(n_threads, *, torch_threads=True, blas=False):
    """Run a block on ``n_threads`` threads, then restore the caller's settings.

    Small networks and small matrix products gain nothing from threads, and on a busy machine
    waiting threads made them many times slower (measured on 2 shared cores: SSIM kernels 20 to
    80 times, benchmark fits 4 to 14 times).

    Parameters
    ----------
    n_threads : int
        Threads inside the block.
    torch_threads : bool, default=True
        Limit torch's intra-op threads (:func:`torch.set_num_threads`).
    blas : bool, default=False
        Also limit the BLAS and OpenMP thread pools of NumPy and scikit-learn
        (:func:`threadpoolctl.threadpool_limits`) to ``n_threads``.
    """
    previous = torch.get_num_threads()
    if torch_threads:
        torch.set_num_threads(n_threads)
    try:
        with threadpool_limits(limits=n_threads) if blas else contextlib.nullcontext():
            yield
    finally:
        torch.set_num_threads(previous)


def predict_proba_in_chunks(logits_of, inputs, n_classes, device, chunk_size):
    """Softmax of ``logits_of(batch)`` over ``inputs`` in chunks of ``chunk_size`` rows.

    Parameters
    ----------
    logits_of : callable
        Maps a tensor batch on ``device`` to logits of shape ``(len(batch), n_classes)``.
    inputs : ndarray or torch.Tensor
        The rows (or images) to predict, first axis the samples; each chunk is moved to
        ``device`` on its own, so the whole input never has to fit there.
    n_classes : int
        Columns of the result (for an empty ``inputs``).
    device : torch.device
        Where ``logits_of`` runs.
    chunk_size : int
        Rows per forward pass.

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes)
        In the network's precision (float32 for the usual networks); an empty float64 array
        when ``inputs`` is empty.
    """
    chunks = []
    with torch.no_grad():
        for start in range(0, len(inputs), chunk_size):
            batch = torch.as_tensor(inputs[start : start + chunk_size]).to(device)
            chunks.append(torch.softmax(logits_of(batch), dim=1).cpu().numpy())
    return np.concatenate(chunks) if chunks else np.empty((0, n_classes))


def bake_parametrizations(module):
    """Replace every parametrised weight in ``module`` (spectral normalisation, for example) by
    a plain parameter holding its current value.

    torch refuses to pickle a parametrised module, and a fitted sampler must pickle; after
    training the parametrisation has no more work to do, and the module computes the same
    outputs (in evaluation mode) without it.
    """
    for layer in module.modules():
        if parametrize.is_parametrized(layer):
            for name in list(layer.parametrizations):
                parametrize.remove_parametrizations(layer, name, leave_parametrized=True)
    return module
