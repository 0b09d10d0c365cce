"""Each complaint on its own surface, tender findings counted once: properties (hypothesis).

The engine answers each complaint with its own region, aspect, digits and side (issue 15,
item 2), and counts one tender finding once however many rules name it (item 3). Here
the fast path (the selection cache, :mod:`acupoints.engine.selection_cache`) is pinned to
the plain meaning, :meth:`acupoints.engine.selection.Finder.surfaces`, and the clinical
property is checked on generated cases: a complaint added elsewhere never takes away the
points another complaint earned alone.
"""

from __future__ import annotations

from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from acupoints import Case, Engine
from acupoints.base.vocab import LEVELS
from acupoints.engine.binding import Binding
from acupoints.engine.ranking import LEFT, MID, NEG, RIGHT, ROLE_WEIGHT, SIDE_BITS, SIDES, SWAPPED
from acupoints.engine.selection import Finder
from acupoints.engine.selection_cache import SelectionCache
from acupoints.engine.tender import TenderPoints
from acupoints.rulebook.conditions import CaseView
from acupoints.rulebook.schema import Query
from data.strategies import cases, complaints

ENGINE = Engine.default()
FINDER = Finder(ENGINE.rulebook, ENGINE.catalog)
MIDLINE = FINDER.midline


@given(cases(red_flags=False, max_complaints=1), complaints())
def test_adding_a_complaint_elsewhere_never_removes_points(
    case: dict[str, Any], other: dict[str, Any]
) -> None:
    # The cap aside: a large max_points, and no safety cap (needle phobia caps at 6).
    first = case["complaints"][0]
    assume(other["region"] != first["region"])
    alone = ENGINE.suggest({**case, "max_points": 60})
    both = ENGINE.suggest({**case, "complaints": [first, other], "max_points": 60})
    assume(alone.status == both.status == "suggested")
    assume("max_points_cap" not in both.plan)
    assert set(alone.codes) <= set(both.codes), (alone.codes, both.codes)


def test_a_lateral_leg_complaint_leaves_the_shoulder_its_points() -> None:
    # The issue's own example: a shoulder complaint keeps Jianjing and Jianliao when a
    # lateral leg complaint comes with it, and each goes on its own side.
    shoulder = {"region": "shoulder", "side": "right", "sensations": ["pain"]}
    leg = {"region": "leg", "aspect": "lateral", "side": "left", "sensations": ["pain"]}
    alone = ENGINE.suggest({"complaints": [shoulder]})
    both = ENGINE.suggest({"complaints": [shoulder, leg]})
    assert {"GB21", "TE14", "LI15"} <= set(alone.codes) & set(both.codes)
    assert both.point("GB21").side == "right"  # type: ignore[union-attr]
    assert both.point("GB34").side == "left"  # type: ignore[union-attr]


def _sides(b: Binding, side: str) -> int:
    bits = 0
    for s in b.side:
        bits |= SIDE_BITS[s]
    return LEFT | RIGHT if side == "both" else SWAPPED[bits] if side == "opposite" else bits


def plain_totals(view: CaseView) -> dict[str, tuple[float, int]]:
    """Each point's score and sides, the plain way: every selection of every fired rule run
    on each complaint by itself, a point counted once per selection, and a tender point's
    tender selections counted once (the largest)."""
    out: dict[str, list[Any]] = {}
    tender: dict[str, list[Any]] = {}
    for rule, matched in ENGINE.fired(view):
        for sel in rule.rule.select:
            score = ROLE_WEIGHT[sel.role] * sel.weight
            found: dict[str, int] = {}
            for b, nodes, _ in FINDER.surfaces(rule, sel, view, matched):
                for n in nodes:
                    code = n.partition("@")[0]
                    found[code] = found.get(code, 0) | _sides(b, sel.side)
            into = tender if sel.tender_points else out
            for code, sides in found.items():
                got = into.setdefault(code, [0.0, 0])
                got[0] = max(got[0], score) if into is tender else got[0] + score
                got[1] |= sides
    for code, (score, sides) in tender.items():
        got = out.setdefault(code, [0.0, 0])
        got[0] += score
        got[1] |= sides
    return {code: (score, MID if code in MIDLINE else sides) for code, (score, sides) in out.items()}


@given(st.lists(cases(), min_size=1, max_size=3))
def test_totals_answer_each_complaint_on_its_own_surface(batch: list[dict[str, Any]]) -> None:
    # One selection cache over related and unrelated cases, as in suggest: what it adds up
    # must be what the plain meaning adds up, score and sides, point by point.
    selections = SelectionCache(FINDER, TenderPoints(ENGINE.catalog, FINDER.order, FINDER.midline))
    for case in batch:
        view = CaseView.of(Case.from_dict(case))
        fired = ENGINE.fired(view)
        selecting = tuple((rule, 1 << i, FINDER.plan(rule)) for i, (rule, _) in enumerate(fired))
        matched_by = {1 << i: matched for i, (_, matched) in enumerate(fired) if matched}
        acc = selections.totals(selecting, matched_by, view)
        got = {code: (round(-a[NEG], 9), a[SIDES]) for code, a in acc.items()}
        want = {code: (round(score, 9), sides) for code, (score, sides) in plain_totals(view).items()}
        assert got == want


@given(cases(red_flags=False))
def test_a_tender_finding_adds_its_weight_once(case: dict[str, Any]) -> None:
    s = ENGINE.suggest({**case, "max_points": 60})
    for p in s.points:
        tender = [x for x in p.supports if x.found_by.startswith("the case's tender points")]
        assert sum(1 for x in tender if x.score > 0) <= 1, p.supports


AMONG = [
    (rule, sel.query)
    for rule in ENGINE.rulebook
    for sel in rule.rule.select
    if sel.query is not None and sel.query.among is not None and sel.query.levels is None
]


@given(st.sampled_from(AMONG), cases(), st.lists(st.sampled_from(LEVELS), max_size=3))
def test_among_with_the_root_territory_finds_what_the_query_finds(
    got: tuple[Any, Query], case: dict[str, Any], roots: list[str]
) -> None:
    # "channels: root_territory" goes through the among masks with the channels of the
    # affected skin as one more filter; it must find what the plain query finds.
    rule, q = got
    q = q.model_copy(update={"channels": "root_territory"})
    case = {**case, "cause": {"kind": "nerve_root_compression", "levels": roots}} if roots else case
    view = CaseView.of(Case.from_dict(case))
    for b in Binding.each(view, frozenset()):
        assert FINDER.among.run(q, rule, b, view) == FINDER.query.run(q, rule, b, view), rule.id
