"""Fast instances of every sampler for the shared tests: tiny epochs, fixed seeds."""

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
