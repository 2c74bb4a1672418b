"""The samplers, one private module per method, re-exported here."""

from ._acgan import ACGANSampler
from ._cagan import CAGANSampler
from ._cgan import CGANSampler
from ._mirror import MirrorSampler

__all__ = ["ACGANSampler", "CAGANSampler", "CGANSampler", "MirrorSampler"]
