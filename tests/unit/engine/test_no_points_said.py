"""A result that suggests no point says why: no rule chose one for the complaints as given,
or exclusions left out every point the rules chose. It is never an empty list alone."""

from __future__ import annotations

from typing import Any

from hypothesis import given

from acupoints import Engine
from acupoints.engine.suggestion import NONE_CHOSEN, NONE_EXCLUDED
from data.strategies import cases

ENGINE = Engine.default()


def test_numbness_of_the_chest_gets_no_point_and_says_why() -> None:
    s = ENGINE.suggest({"complaints": [{"region": "chest", "side": "left", "sensations": ["numbness"]}]})
    assert s.status == "suggested" and s.points == () and s.excluded == ()
    assert NONE_CHOSEN in s.warnings and NONE_EXCLUDED not in s.warnings


def test_when_the_exclusions_leave_out_every_point_it_says_so() -> None:
    # A skin lesion given without a place could be anywhere: its exclusion fails closed
    # and leaves out every point the rules chose.
    case = {
        "complaints": [{"region": "face", "side": "right", "sensations": ["burning", "pain"]}],
        "cause": {"kind": "neuralgia", "nerve": "trigeminal"},
        "flags": ["skin_lesion"],
    }
    s = ENGINE.suggest(case)
    assert s.status == "suggested" and s.points == () and s.excluded
    assert NONE_EXCLUDED in s.warnings and NONE_CHOSEN not in s.warnings
    # The same case without the flag has points, and neither warning.
    plain = ENGINE.suggest({k: v for k, v in case.items() if k != "flags"})
    assert plain.points and not {NONE_CHOSEN, NONE_EXCLUDED} & set(plain.warnings)


@given(cases())
def test_a_result_with_no_point_always_says_why(case: dict[str, Any]) -> None:
    s = ENGINE.suggest(case)
    said = {NONE_CHOSEN, NONE_EXCLUDED} & set(s.warnings)
    if s.status == "suggested" and not s.points:
        assert said == {NONE_EXCLUDED if s.excluded else NONE_CHOSEN}
    else:
        assert not said
