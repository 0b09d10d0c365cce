"""A query whose channels come out as none finds no point (hypothesis).

A query's channel filter can end up empty: the skin of a complaint that no channel
crosses ("on the channels through the plantar hip (none)"), the channels of digits none
reaches, or the partners of the midline vessels, which have none. Its words then say
"(none)", and the points must agree: an empty set of channels keeps no point, it never
falls back to every channel of the region. Checked on the plain meaning
(:meth:`acupoints.engine.selection.Finder.surfaces`) and on the points the engine
suggests, each with how it was found.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given

from acupoints import Case, Engine
from acupoints.engine.selection import Finder
from acupoints.rulebook.conditions import CaseView
from data.strategies import cases

ENGINE = Engine.default()
FINDER = Finder(ENGINE.rulebook, ENGINE.catalog)
#: How a query's words say that one of its channel filters kept no channel.
NO_CHANNEL = "(none)"


@given(cases(red_flags=False))
def test_a_selection_whose_channels_are_none_finds_no_point(case: dict[str, Any]) -> None:
    view = CaseView.of(Case.from_dict(case))
    for rule, matched in ENGINE.fired(view):
        for sel in rule.rule.select:
            if sel.query is None:
                continue
            for _, nodes, how in FINDER.surfaces(rule, sel, view, matched):
                if NO_CHANNEL in how:
                    assert nodes == (), (rule.id, how, nodes)


@given(cases(red_flags=False))
def test_no_suggested_point_is_found_on_no_channel(case: dict[str, Any]) -> None:
    # The largest budget a case may ask for, so that no cap hides a point.
    result = ENGINE.suggest({**case, "max_points": 60})
    for point in result.points:
        for line in point.to_dict()["found_by"]:
            assert NO_CHANNEL not in line, (point.code, line)


def test_the_words_and_the_cases_exist() -> None:
    # The properties would hold trivially if no case ever met a filter with no channel:
    # a complaint of the plantar hip has none through its skin, and the textbook leg rule
    # says so and keeps no point for it.
    view = CaseView.of(Case.from_dict({"complaints": [
        {"region": "hip", "aspect": "plantar", "side": "left", "sensations": ["numbness"]},
    ]}))  # fmt: skip
    fired = {rule.id: (rule, matched) for rule, matched in ENGINE.fired(view)}
    rule, matched = fired["textbook-leg-numbness-pain"]
    (surface,) = FINDER.surfaces(rule, rule.rule.select[0], view, matched)
    assert NO_CHANNEL in surface[2]
    assert surface[1] == ()
