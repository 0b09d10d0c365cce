"""The fast paths of the engine agree with the plain ones they stand in for.

- Conditions are compiled to one generated function each; the closures of
  ``interpret_condition`` are the reference meaning, and both must give the same
  ``(holds, matched)`` for every condition and case, generated ones included.
- Queries that pick points "among" a named set filter its members with bit masks;
  the general path gathers the region or channels first. Both must find the same points,
  in the same order, for every query of the rulebook and any binding.
- The rule index (bits of one integer, see ``RuleBook``) lets through exactly the rules
  whose every need the case meets, so it never skips a rule that holds. A rule it
  settles alone (``index_decides``) holds on exactly those cases and matches no
  complaint, so the engine takes it as fired without testing it.
- Result objects built without ``__init__`` equal the ones ``__init__`` makes.
"""

from __future__ import annotations

import dataclasses
import json
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acupoints import Case, Engine
from acupoints.base.vocab import (
    ASPECTS,
    CAUSE_KINDS,
    FLAGS,
    LEVELS,
    MERIDIANS,
    NERVES,
    ONSETS,
    RED_FLAGS,
    REGIONS,
    SENSATIONS,
    SURFACES,
    TENDERNESS,
)
from acupoints.engine import caches
from acupoints.engine.binding import ASPECT_MATCH, Binding
from acupoints.engine.query import uses_methods
from acupoints.engine.result import SuggestedPoint, Support
from acupoints.engine.selection import Finder, grouped
from acupoints.engine.selection_cache import SelectionCache
from acupoints.engine.tender import TenderPoints
from acupoints.rulebook.book import RuleBook, load_rulebook
from acupoints.rulebook.conditions import (
    NONE,
    CaseView,
    compile_condition,
    index_decides,
    interpret_condition,
    trigger_options,
)
from acupoints.rulebook.schema import ComplaintTest, Condition, Query
from data.strategies import cases, complaints, levels

ENGINE = Engine.default()
FINDER = Finder(ENGINE.rulebook, ENGINE.catalog)


def _some(words: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(words), min_size=1, max_size=3, unique=True).map(tuple)


complaint_tests = st.builds(
    ComplaintTest,
    region=st.one_of(st.just(()), _some(REGIONS)),
    aspect=st.one_of(st.just(()), _some(ASPECTS)),
    sensation=st.one_of(st.just(()), _some(SENSATIONS)),
    digits=st.one_of(
        st.just(()), st.lists(st.integers(1, 5), min_size=1, max_size=2, unique=True).map(tuple)
    ),
    limb=st.sampled_from([None, "arm", "leg"]),
    side=st.sampled_from([None, "left", "right", "both"]),
    min_severity=st.one_of(st.none(), st.integers(0, 10)),
)


def _feature_leaf() -> st.SearchStrategy[dict[str, Any]]:
    """Tests the rule index can settle alone: always, the cause, nerve, levels, flags,
    onset, tenderness and whether there are tender points, and ``not`` of the cause, onset
    or tenderness (a word every case has one of, or none given)."""
    return st.one_of(
        st.just({"always": True}),
        _some(CAUSE_KINDS).map(lambda v: {"cause": v}),
        _some(NERVES).map(lambda v: {"nerve": v}),
        _some(LEVELS).map(lambda v: {"levels": v}),
        st.lists(st.sampled_from(LEVELS), min_size=2, max_size=2)
        .map(lambda v: tuple(sorted(v, key=LEVELS.index)))
        .map(lambda v: {"level_between": v}),
        _some(FLAGS).map(lambda v: {"flag": v}),
        _some(RED_FLAGS).map(lambda v: {"red_flag": v}),
        _some(ONSETS).map(lambda v: {"onset": v}),
        _some(TENDERNESS).map(lambda v: {"tenderness": v}),
        st.booleans().map(lambda v: {"has_tender_points": v}),
        _some(CAUSE_KINDS).map(lambda v: {"not": {"cause": v}}),
        _some(ONSETS).map(lambda v: {"not": {"onset": v}}),
        _some(TENDERNESS).map(lambda v: {"not": {"tenderness": v}}),
    )


def _leaf() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        _feature_leaf(),
        complaint_tests.map(lambda t: {"complaint": t}),
        st.integers(1, 3).map(lambda v: {"min_complaints": v}),
        st.integers(1, 3).map(lambda v: {"regions_count": v}),
        complaint_tests.map(lambda t: {"both_sides": t.model_dump(exclude={"side"})}),
        st.fixed_dictionaries({}, optional={"at_least": st.integers(0, 110), "below": st.integers(0, 110)})
        .filter(bool)
        .map(lambda v: {"age": v}),
    )


def _merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in parts:
        out.update(p)
    return out


conditions: st.SearchStrategy[Condition] = st.recursive(
    st.lists(_leaf(), min_size=1, max_size=3).map(_merge),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: {"all": tuple(cs)}),
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: {"any": tuple(cs)}),
        inner.map(lambda c: {"not": c}),
        st.tuples(inner, st.lists(_leaf(), min_size=1, max_size=2).map(_merge)).map(
            lambda t: {**t[1], "all": (t[0],)}
        ),
    ),
    max_leaves=8,
).map(lambda d: Condition.model_validate(_as_models(d)))


#: Conditions made only of what the index can settle (see _feature_leaf), joined by all
#: and any (an any of branches with several needs each is not settled).
decided_conditions: st.SearchStrategy[Condition] = st.recursive(
    st.lists(_feature_leaf(), min_size=1, max_size=3).map(_merge),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: {"all": tuple(cs)}),
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: {"any": tuple(cs)}),
    ),
    max_leaves=6,
).map(lambda d: Condition.model_validate(_as_models(d)))


def _as_models(d: Any) -> Any:
    """Nested dicts with ComplaintTest objects, as the mapping Condition validates."""
    if isinstance(d, dict):
        return {k: _as_models(v) for k, v in d.items()}
    if isinstance(d, tuple) and d and isinstance(d[0], (dict, Condition)):
        return tuple(_as_models(x) for x in d)
    if isinstance(d, ComplaintTest):
        return d.model_dump(exclude_defaults=True)
    if isinstance(d, Condition):
        return d.model_dump(by_alias=True, exclude_none=True)
    return d


@given(conditions, cases())
def test_compiled_conditions_mean_what_the_interpreter_says(cond: Condition, case: dict[str, Any]) -> None:
    view = CaseView.of(Case.from_dict(case))
    assert compile_condition(cond)(view) == interpret_condition(cond)(view)


@given(st.one_of(conditions, decided_conditions), cases())
def test_a_condition_the_index_settles_holds_exactly_when_its_needs_are_met(
    cond: Condition, case: dict[str, Any]
) -> None:
    view = CaseView.of(Case.from_dict(case))
    met = all(not need.isdisjoint(view.features) for need in trigger_options(cond))
    if index_decides(cond):
        assert interpret_condition(cond)(view) == (met, NONE)


def test_the_index_settles_the_rules_it_should_and_no_others() -> None:
    settled = {r.id for r in ENGINE.rulebook if r.decided}
    assert {
        "never-needled",
        "plan-technique",
        "plan-course-pinched-nerve",
        "red-flag-cauda-equina",
        "pregnancy-cautions",
        "jiaji-at-compressed-level",
        # Onset, tenderness and tender points are settled like the cause, and so is "not"
        # of a word every case has one of (or none given).
        "local-tender-points",
        "scope-outside-named-causes",
        "commonly-sensitive-points",
        "advice-home-care-neuropathy",
    } <= settled
    # A complaint's limb narrows the rules tried without settling them (the complaint is
    # still tested).
    assert ENGINE.rulebook["textbook-arm-numbness-pain"].options == (frozenset({("limb", "arm")}),)
    assert not settled & {"textbook-arm-numbness-pain", "advice-carpal-tunnel-brace", "insensate-feet",
                          "four-gates", "age-spinal-pain"}  # fmt: skip
    # "Not one of the named causes" needs one of the other causes, or none given.
    others = ("", "trauma", "hereditary", "muscular", "unknown", "herpes_zoster", "alcohol")
    assert ENGINE.rulebook["scope-outside-named-causes"].options == (frozenset(("cause", w) for w in others),)


@given(st.lists(st.one_of(conditions, decided_conditions), min_size=1, max_size=12),
       st.lists(cases(), min_size=1, max_size=5))  # fmt: skip
def test_the_index_lets_through_exactly_the_rules_whose_needs_are_met(
    conds: list[Condition], some: list[dict[str, Any]]
) -> None:
    # Rules with generated conditions (any number of needs, none included), indexed together.
    model = ENGINE.rulebook.rules[0]
    rules = tuple(
        dataclasses.replace(
            model,
            order=i,
            test=compile_condition(c),
            options=tuple(trigger_options(c)),
            decided=index_decides(c),
        )
        for i, c in enumerate(conds)
    )
    book = RuleBook(rules, ("generated",))
    for case in some:
        view = CaseView.of(Case.from_dict(case))
        found = book.candidates(view.features)
        assert found == tuple(r for r in rules if all(not o.isdisjoint(view.features) for o in r.options))
        assert {r.order for r in rules if r.test(view)[0]} <= {r.order for r in found}
        # Split into the rules it settles and those to test, each with its bit.
        index = book.index(view.features)
        assert book.fired_rules(index.decided) == [r for r in found if r.decided]
        assert index.tests == tuple((r, 1 << r.order) for r in found if not r.decided)


@given(cases())
def test_suggest_fires_the_rules_that_fired_finds(case: dict[str, Any]) -> None:
    # suggest() takes the settled rules as fired without testing them; fired() tests every one.
    view = CaseView.of(Case.from_dict(case))
    assert ENGINE.suggest(case).rules_fired == tuple(r.id for r, _ in ENGINE.fired(view))


def test_a_rule_is_compiled_when_first_tried_and_only_then() -> None:
    book = load_rulebook()  # new, so no rule has been tried yet
    first, other = book.rules[0], book.rules[1]
    stubs = first.test, other.test
    view = CaseView.of(Case.from_dict({"complaints": [{"region": "neck", "sensations": ["pain"]}]}))
    assert first.test(view) == interpret_condition(first.rule.when)(view)
    assert first.test is not stubs[0] and first.test.__code__.co_filename == "<condition>"
    assert first.test(view) == interpret_condition(first.rule.when)(view)
    assert other.test is stubs[1]  # never tried: never compiled


@given(cases())
def test_every_shipped_rule_compiles_to_its_meaning(case: dict[str, Any]) -> None:
    view = CaseView.of(Case.from_dict(case))
    for rule in ENGINE.rulebook:
        assert rule.test(view) == interpret_condition(rule.rule.when)(view), rule.id


def test_very_deep_conditions_are_interpreted() -> None:
    cond: dict[str, Any] = {"cause": ["diabetes"]}
    for _ in range(60):
        cond = {"not": {"not": cond}}
    view = CaseView.of(Case.from_dict({"complaints": [{"region": "foot", "sensations": ["numbness"]}],
                                       "cause": {"kind": "diabetes"}}))  # fmt: skip
    assert compile_condition(Condition.model_validate(cond))(view) == (True, frozenset())


AMONG = [
    (rule, i, sel)
    for rule in ENGINE.rulebook
    for i, sel in enumerate(rule.rule.select)
    if sel.query is not None and sel.query.among is not None
]

bindings = st.builds(
    Binding,
    regions=st.frozensets(st.sampled_from(REGIONS), max_size=3),
    aspects=st.frozensets(st.sampled_from(ASPECTS), max_size=2).map(
        lambda a: frozenset(x for w in a for x in ASPECT_MATCH.get(w, {w}))
    ),
    fingers=st.frozensets(st.integers(1, 5), max_size=3),
    toes=st.frozensets(st.integers(1, 5), max_size=3),
    side=st.sampled_from([frozenset({"left"}), frozenset({"right"}), frozenset({"left", "right"})]),
)


def test_the_rulebook_has_among_queries() -> None:
    assert len(AMONG) >= 5


_affected_or_none = st.one_of(st.none(), st.just("affected"))


@st.composite
def among_queries(draw: st.DrawFn) -> tuple[Any, Query]:
    """A rule of the rulebook with an ``among`` query, and that query with every filter
    redrawn: affected, fixed or no regions, aspects and channels, surface, places, limit."""
    rule, _, sel = draw(st.sampled_from(AMONG))
    assert sel.query is not None
    fields = {
        "region": draw(
            st.one_of(_affected_or_none, st.lists(st.sampled_from(REGIONS), max_size=3).map(tuple))
        ),
        "aspect": draw(
            st.one_of(_affected_or_none, st.lists(st.sampled_from(ASPECTS), max_size=2).map(tuple))
        ),
        "through": draw(
            st.one_of(
                _affected_or_none, st.lists(st.sampled_from(REGIONS), min_size=1, max_size=2).map(tuple)
            )
        ),
        "meridians": draw(
            st.one_of(st.none(), st.lists(st.sampled_from(MERIDIANS), min_size=1, max_size=3).map(tuple))
        ),
        "surface": draw(st.one_of(st.none(), st.sampled_from(SURFACES))),
        "groups": draw(st.sampled_from([None, ("EX-B2",)])),
        "limit": draw(st.one_of(st.none(), st.integers(1, 5))),
    }
    if not (fields["region"] or fields["through"] or fields["meridians"]):
        fields["meridians"] = ("LI",)
    return rule, Query.model_validate({**fields, "among": sel.query.among})


@given(among_queries(), bindings)
def test_an_among_query_worked_out_once_finds_what_the_query_finds(
    got: tuple[Any, Query], b: Binding
) -> None:
    # New selections of "among" queries skip the general query code (see
    # acupoints.engine.among.AmongQuery); on any such query, with any affected regions and
    # aspects, they must find the same points and say the same "how".
    rule, q = got
    quick = FINDER.among.compile(rule, q)
    assert quick, q
    assert quick(b.regions, b.aspects) == FINDER.among.run(q, rule, b, None), q


@given(bindings, cases())
def test_among_fast_path_finds_what_the_general_path_finds(b: Binding, case: dict[str, Any]) -> None:
    view = CaseView.of(Case.from_dict(case))
    for rule, _, sel in AMONG:
        assert sel.query is not None
        fast = FINDER.among.run(sel.query, rule, b, view)
        slow = FINDER.query.run(sel.query, rule, b, view)
        assert fast == slow, rule.id


METHODS = [
    (rule, sel)
    for rule in ENGINE.rulebook
    for sel in rule.rule.select
    if sel.query is not None and sel.query.levels is None and uses_methods(sel.query)
]


@given(st.lists(st.tuples(bindings, cases()), min_size=1, max_size=4))
def test_a_method_query_remembered_by_its_filters_finds_what_the_query_finds(
    runs: list[tuple[Binding, dict[str, Any]]],
) -> None:
    # The fast path remembers a method query's points by the filters it comes to (see
    # acupoints.engine.among.Among.refined); on every method query of the rulebook, for
    # bindings that one finder meets one after the other, it must find what the plain
    # query finds, and say it the same way.
    assert len(METHODS) >= 5
    finder = Finder(ENGINE.rulebook, ENGINE.catalog)
    for b, case in runs:
        view = CaseView.of(Case.from_dict(case))
        for rule, sel in METHODS:
            assert sel.query is not None
            for _ in range(2):  # the second time from what it remembered
                assert finder.among.run(sel.query, rule, b, view) == FINDER.query.run(
                    sel.query, rule, b, view
                )


@st.composite
def related_cases(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A case, then variants of it that change one part a selection may read and keep the
    rest: its cause (compressed levels), or its complaints redrawn in the same regions
    (aspects, digits). So a later case often meets a selection an earlier one left in the
    cache with a key that differs in one part only."""
    first = draw(cases())
    out = [first]
    for _ in range(draw(st.integers(1, 3))):
        other = dict(first)
        if draw(st.booleans()):
            other["cause"] = {
                "kind": "nerve_root_compression",
                "levels": draw(st.lists(levels, min_size=1, max_size=3, unique=True)),
            }
        else:
            other["complaints"] = [draw(complaints(region=c["region"])) for c in first["complaints"]]
        out.append(other)
    return out


@given(related_cases())
def test_a_selection_keyed_by_what_it_reads_finds_what_the_full_binding_finds(
    batch: list[dict[str, Any]],
) -> None:
    # The engine runs a new case-dependent selection on a binding made of its cache key
    # alone, and later cases with the same key get the same answer; with the binding of
    # every matched complaint it must find the same. The cases share one engine, and the
    # selections of one case share their entries of picks, as in suggest.
    finder = Finder(ENGINE.rulebook, ENGINE.catalog)  # empty caches: the first case's selections are new
    selections = SelectionCache(finder, TenderPoints(ENGINE.catalog, finder.order, finder.midline))
    for case in batch:
        view = CaseView.of(Case.from_dict(case))
        picks: dict[Any, list[Any]] = {}
        for rule, matched in ENGINE.fired(view):
            got = picks.get(matched) or selections.picks(picks, view, matched)
            for plan in finder.plan(rule):
                if plan.static is not None:
                    continue
                entries, support = selections.selected(rule, plan, matched, got, view)
                found, how = finder.find(rule, plan.select, Binding.of(view, matched), view)
                assert (entries, support.found_by) == (finder.entries(grouped(found)), how), rule.id


@given(cases())
def test_result_objects_equal_those_init_makes(case: dict[str, Any]) -> None:
    s = ENGINE.suggest(case)
    assert dataclasses.replace(s) == s
    for p in s.points:
        assert dataclasses.replace(p) == p
    view = CaseView.of(Case.from_dict(case))
    for _, matched in ENGINE.fired(view):
        b = Binding.of(view, matched)
        assert dataclasses.replace(b) == b
    assert dataclasses.replace(view) == view


# A small world, so that complaint tests and complaints often meet at the edges.
_REGIONS = ("forearm", "hand", "foot")
_ASPECTS = ("dorsal", "palmar")
_SENSATIONS = ("pain", "numbness")

small_tests = st.builds(
    ComplaintTest,
    region=st.lists(st.sampled_from(_REGIONS), max_size=2, unique=True).map(tuple),
    aspect=st.lists(st.sampled_from(_ASPECTS), max_size=1).map(tuple),
    sensation=st.lists(st.sampled_from(_SENSATIONS), max_size=1).map(tuple),
    digits=st.lists(st.integers(1, 3), max_size=1).map(tuple),
    limb=st.sampled_from([None, None, "arm", "leg"]),
    side=st.sampled_from([None, None, "left", "right", "both"]),
    min_severity=st.one_of(st.none(), st.integers(0, 3)),
)
small_complaints = st.fixed_dictionaries(
    {"region": st.sampled_from(_REGIONS), "sensations": st.lists(st.sampled_from(_SENSATIONS), min_size=1, max_size=2, unique=True),
     "side": st.sampled_from(("left", "right", "both"))},
    optional={"aspect": st.sampled_from(_ASPECTS), "severity": st.integers(0, 3),
              "digits": st.lists(st.integers(1, 3), min_size=1, max_size=2, unique=True)},
)  # fmt: skip


@given(st.lists(small_tests, min_size=1, max_size=2), st.lists(small_complaints, min_size=1, max_size=3))
def test_complaint_tests_at_their_edges(tests: list[ComplaintTest], complaints: list[dict[str, Any]]) -> None:
    view = CaseView.of(Case.from_dict({"complaints": complaints}))
    for cond in (
        Condition.model_validate({"complaint": tests[0].model_dump(exclude_defaults=True)}),
        Condition.model_validate(
            {"any": [{"complaint": t.model_dump(exclude_defaults=True)} for t in tests]}
        ),
        Condition.model_validate(
            {"all": [{"complaint": t.model_dump(exclude_defaults=True)} for t in tests]}
        ),
    ):
        assert compile_condition(cond)(view) == interpret_condition(cond)(view)


def test_changing_a_result_changes_no_other_result() -> None:
    case = {"complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]}],
            "cause": {"kind": "nerve_root_compression", "levels": ["C6"]}, "flags": ["pacemaker"]}  # fmt: skip
    first = ENGINE.suggest(case)
    before = first.to_dict()
    out = first.to_dict()
    for key, value in out["plan"].items():
        if isinstance(value, list) and key != "items":
            value.append("changed")
    for item in out["plan"]["items"]:
        item["principles"].append("changed")
        item["text"] = "changed"
    for p in out["points"]:
        p["rules"].append("changed")
        p["found_by"].append("changed")
    for value in first.plan.values():
        if isinstance(value, list):
            value.append("changed")
    with pytest.raises(TypeError):
        first.plan_items[0]["text"] = "changed"  # type: ignore[index]
    assert first.to_dict()["plan"]["items"] == before["plan"]["items"]
    assert ENGINE.suggest(case).to_dict() == before


def test_a_suggestion_pickles_with_its_read_only_plan_items() -> None:
    s = ENGINE.suggest({"complaints": [{"region": "neck", "sensations": ["pain"]}]})
    back = pickle.loads(pickle.dumps(s))
    assert back == s and back.to_dict() == s.to_dict()
    assert all(type(i) is type(s.plan_items[0]) for i in back.plan_items)


@given(cases())
def test_one_line_json_is_json_dumps_of_the_dict(case: dict[str, Any]) -> None:
    for s in (ENGINE.suggest(case), ENGINE.suggest(case)):  # fresh and shared parts
        assert s.to_json(indent=None) == json.dumps(s.to_dict(), ensure_ascii=False)
        back = pickle.loads(pickle.dumps(s))
        assert back.to_json(indent=None) == s.to_json(indent=None)


@given(st.text(), st.sampled_from(["neck", "forearm", "foot"]))
def test_one_line_json_writes_any_case_id_as_json_dumps_does(case_id: str, region: str) -> None:
    # Quotes, backslashes, control characters, other scripts and lone surrogates.
    s = ENGINE.suggest({"id": case_id, "complaints": [{"region": region, "sensations": ["pain"]}]})
    assert s.to_json(indent=None) == json.dumps(s.to_dict(), ensure_ascii=False)


@given(st.one_of(st.integers(-5, 5), st.floats(allow_nan=False, allow_infinity=False)), st.text(max_size=8),
       st.booleans())  # fmt: skip
def test_a_points_json_text_is_json_dumps_of_its_dict(score: float, text: str, extras: bool) -> None:
    support = Support("r1", "local", 1.0, f"points in {text}", "core", "S1")
    p = SuggestedPoint(
        code="EX-B2", name=text or "Jiaji", meridian=None if extras else "GV", side="both", role="local",
        score=score, rules=("r1",), principles=("P1",), why=text, supports=(support,),
        instances=("L4", "L5") if extras else (), cautions=("pregnancy",) if extras else (),
    )  # fmt: skip
    assert p._json() == json.dumps(p.to_dict(), ensure_ascii=False)


def test_one_line_json_follows_a_changed_plan() -> None:
    s = ENGINE.suggest({"complaints": [{"region": "neck", "sensations": ["pain"]}]})
    s.plan["note"] = "changed here"
    assert json.loads(s.to_json(indent=None))["plan"]["note"] == "changed here"
    assert s.to_json(indent=None) == json.dumps(s.to_dict(), ensure_ascii=False)
    assert "note" not in ENGINE.suggest({"complaints": [{"region": "neck", "sensations": ["pain"]}]}).plan


def test_a_full_cache_keeps_its_newer_half(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(caches, "CACHE_LIMIT", 10)
    cache: dict[int, int] = {}
    for i in range(25):
        caches.remember(cache, i, i)
        assert len(cache) <= 10
    assert list(cache) == list(range(15, 25))  # the oldest half went twice, at 10 and at 20
    assert cache[24] == 24
