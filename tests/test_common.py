"""The imbalanced-learn and scikit-learn estimator checks, run over every sampler (and the
scikit-learn checks over the selection judge imbgan exports)."""

import pytest
from imblearn.utils.estimator_checks import parametrize_with_checks as imblearn_checks
from sklearn.utils.estimator_checks import parametrize_with_checks as sklearn_checks

from imbgan import MirrorSampler, NearestRowClassifier

from ._samplers import fast_gan_samplers

SAMPLERS = fast_gan_samplers()


def listed(parametrize):
    """The same parametrisation with its parameter sets in a list.

    imbalanced-learn passes a generator, which pytest deprecates (PytestRemovedIn10Warning) and
    pytest 10 will reject.
    """
    names, values = parametrize.mark.args
    return pytest.mark.parametrize(names, list(values), **parametrize.mark.kwargs)


@listed(imblearn_checks(SAMPLERS))
def test_imblearn_compatible_estimator(estimator, check):
    check(estimator)


@listed(sklearn_checks(SAMPLERS + [MirrorSampler(random_state=0), NearestRowClassifier()]))
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
