"""The imbalanced-learn and scikit-learn estimator checks, run over every sampler."""

from imblearn.utils.estimator_checks import parametrize_with_checks as imblearn_checks
from sklearn.utils.estimator_checks import parametrize_with_checks as sklearn_checks

from imbgan import MirrorSampler

from ._samplers import fast_gan_samplers

SAMPLERS = fast_gan_samplers()


@imblearn_checks(SAMPLERS)
def test_imblearn_compatible_estimator(estimator, check):
    check(estimator)


@sklearn_checks(SAMPLERS + [MirrorSampler(random_state=0)])
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
