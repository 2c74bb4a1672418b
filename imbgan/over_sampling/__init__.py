"""The samplers, one private module per method, re-exported here."""

from ._acgan import ACGANSampler
from ._bagan import BAGANSampler
from ._bagan_gp import BAGANGPSampler
from ._cagan import CAGANSampler
from ._cgan import CGANSampler
from ._deepsmote import DeepSMOTESampler
from ._gamo import GAMOSampler
from ._mirror import MirrorSampler

__all__ = [
    "ACGANSampler",
    "BAGANGPSampler",
    "BAGANSampler",
    "CAGANSampler",
    "CGANSampler",
    "DeepSMOTESampler",
    "GAMOSampler",
    "MirrorSampler",
]
