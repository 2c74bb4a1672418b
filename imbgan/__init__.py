"""imbgan: GAN-based minority oversampling as imbalanced-learn samplers."""

from ._selection import NearestRowClassifier
from .base import BaseGANSampler, BaseImbganSampler, TrainingDivergedError
from .over_sampling import (
    ACGANSampler,
    BAGANGPSampler,
    BAGANSampler,
    CAGANSampler,
    CGANSampler,
    DeepSMOTESampler,
    GAMOSampler,
    MirrorSampler,
)

__version__ = "0.1.0"

__all__ = [
    "ACGANSampler",
    "BAGANGPSampler",
    "BAGANSampler",
    "BaseGANSampler",
    "BaseImbganSampler",
    "CAGANSampler",
    "CGANSampler",
    "DeepSMOTESampler",
    "GAMOSampler",
    "MirrorSampler",
    "NearestRowClassifier",
    "TrainingDivergedError",
    "__version__",
]
