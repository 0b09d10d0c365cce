"""The textbook rules for the arm and the leg keep to the channels of the affected skin
(hypothesis): a complaint that names its digits never gets, from these rules, a point of
a channel that does not reach those digits, whatever the rest of the case says."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from acupoints import Case, Engine
from acupoints.engine.selection import Finder
from acupoints.rulebook.conditions import CaseView
from data.strategies import cases

ENGINE = Engine.default()
FINDER = Finder(ENGINE.rulebook, ENGINE.catalog)
GRAPH = ENGINE.catalog.graph
#: The textbook rules whose fixed lists are kept to the channels of the affected skin.
SKIN_RULES = frozenset({"textbook-arm-numbness-pain", "textbook-leg-numbness-pain", "textbook-cervical-arm"})


@given(
    cases(red_flags=False),
    st.sampled_from(["fingers", "hand", "toes", "foot"]),
    st.lists(st.integers(1, 5), min_size=1, max_size=4, unique=True),
    st.sampled_from(["numbness", "tingling", "pain", "burning", "weakness"]),
)
def test_textbook_limb_points_stay_on_the_channels_of_the_named_digits(
    case: dict[str, Any], region: str, digits: list[int], sensation: str
) -> None:
    # A complaint that names its digits comes first, beside whatever else the case has.
    named = {"region": region, "side": "left", "digits": digits, "sensations": [sensation]}
    view = CaseView.of(Case.from_dict({**case, "complaints": [named, *case["complaints"][:2]]}))
    for rule, matched in ENGINE.fired(view):
        if rule.id not in SKIN_RULES:
            continue
        for sel in rule.rule.select:
            for b, nodes, _ in FINDER.surfaces(rule, sel, view, matched):
                if not (b.fingers or b.toes):
                    continue
                reach = set(GRAPH.channels_of_digits(b.fingers, "hand"))
                reach |= set(GRAPH.channels_of_digits(b.toes, "foot"))
                for node in nodes:
                    channel = GRAPH.attrs(node.partition("@")[0])["meridian"]
                    assert channel in reach, (rule.id, node, sorted(b.fingers), sorted(b.toes))


def test_the_rules_checked_are_shipped_and_named_points_off_the_skin_exist() -> None:
    # The property would hold trivially if the rules were gone or chose one channel only.
    ids = {r.id for r in ENGINE.rulebook}
    assert ids >= SKIN_RULES
    ulnar = CaseView.of(Case.from_dict(
        {"complaints": [{"region": "fingers", "side": "left", "digits": [5], "sensations": ["numbness"]}]}
    ))  # fmt: skip
    ((rule, matched),) = [(r, m) for r, m in ENGINE.fired(ulnar) if r.id == "textbook-arm-numbness-pain"]
    found = {
        n
        for sel in rule.rule.select
        for _, nodes, _ in FINDER.surfaces(rule, sel, ulnar, matched)
        for n in nodes
    }
    assert "LI4" not in found and "LI11" not in found
