"""Shared test settings: the hypothesis profiles.

``ci`` (the default) keeps the whole suite fast; ``thorough`` runs many more examples and
is meant for a nightly or a pre-release run::

    HYPOTHESIS_PROFILE=thorough python -m pytest tests -q

Neither profile has a deadline: the first example of a run also loads the catalogue and
the rules, which says nothing about the speed of the code under test.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    max_examples=2_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
