"""Fast instances of every sampler for the shared tests: tiny epochs, fixed seeds; a recorder of
the tensors torch's factory functions make."""

import torch
from torch.overrides import TorchFunctionMode

import imbgan

FAST = {"epochs": 2, "batch_size": 16, "latent_dim": 8, "random_state": 0}


def gan_sampler_classes():
    return [
        getattr(imbgan, name)
        for name in sorted(imbgan.__all__)
        if name.endswith("Sampler")
        and not name.startswith("Base")
        and issubclass(getattr(imbgan, name), imbgan.BaseGANSampler)
    ]


def fast_gan_samplers(**overrides):
    return [cls(**{**FAST, **overrides}) for cls in gan_sampler_classes()]


FACTORIES = {
    torch.arange,
    torch.empty,
    torch.full,
    torch.ones,
    torch.rand,
    torch.randint,
    torch.randn,
    torch.randperm,
    torch.tensor,
    torch.zeros,
}


class FactoryRecorder(TorchFunctionMode):
    """Records the name and keyword arguments of every factory call made inside it."""

    def __init__(self):
        super().__init__()
        self.made = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        result = func(*args, **(kwargs or {}))
        if func in FACTORIES:
            self.made.append((func.__name__, kwargs or {}))
        return result

    def off_device(self, device):
        """Names of the factories called without ``device`` set to ``device`` (``"cuda"`` and
        ``"cuda:0"`` count as the same device)."""
        wanted = torch.device(device)

        def same(given):
            given = torch.device(given)
            indices = {given.index, wanted.index} - {None}
            return given.type == wanted.type and len(indices) <= 1

        return {name for name, kwargs in self.made if not same(kwargs.get("device", "meta"))}
