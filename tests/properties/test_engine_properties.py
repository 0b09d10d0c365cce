"""Properties of the engine over generated valid cases (hypothesis).

For any valid case the engine returns a result; every suggested point exists in the
catalogue and was chosen by at least one rule of the rulebook; the result is the same,
in the same order, however often and from whatever engine it is computed; and the
ranking follows the documented semantics.
"""

from __future__ import annotations

import pickle
from typing import Any

from hypothesis import given

from acupoints import Case, Catalog, Engine
from acupoints.engine.engine import ROLE_RANK
from acupoints.rulebook.conditions import CaseView
from data.strategies import cases

ENGINE = Engine.default()
CATALOG = Catalog.default()
RULE_IDS = {r.id for r in ENGINE.rulebook}


@given(cases())
def test_every_point_exists_and_has_a_rule(case: dict[str, Any]) -> None:
    s = ENGINE.suggest(case)
    assert s.status in ("suggested", "refer")
    for p in s.points:
        assert CATALOG.get(p.code) is not None and CATALOG[p.code].code == p.code
        assert p.rules and set(p.rules) <= RULE_IDS
        assert set(p.rules) <= set(s.rules_fired)
        assert p.why and p.score > 0
        assert p.role in ROLE_RANK
    for e in s.excluded:
        assert CATALOG.get(e.code) is not None and e.reason and e.rule in RULE_IDS
    assert len({p.code for p in s.points}) == len(s.points)


@given(cases())
def test_results_are_deterministic(case: dict[str, Any]) -> None:
    first = ENGINE.suggest(case).to_json()
    assert ENGINE.suggest(case).to_json() == first
    fresh = pickle.loads(pickle.dumps(ENGINE))  # a new engine with empty caches
    assert fresh.suggest(case).to_json() == first


@given(cases(red_flags=False))
def test_points_are_ranked_by_score_then_role(case: dict[str, Any]) -> None:
    s = ENGINE.suggest(case)
    keys = [(-p.score, ROLE_RANK[p.role]) for p in s.points]
    assert keys == sorted(keys)
    limit = case.get("max_points") or s.plan.get("max_points", 12)
    if "max_points_cap" in s.plan:
        limit = min(limit, s.plan["max_points_cap"])
    assert len(s.points) <= limit
    assert not set(s.dropped) & set(s.codes)


@given(cases())
def test_the_rule_index_never_skips_a_rule_that_holds(case: dict[str, Any]) -> None:
    view = CaseView.of(Case.from_dict(case))
    everything = [r.id for r in ENGINE.rulebook if r.test(view)[0]]
    assert [r.id for r, _ in ENGINE.fired(view)] == everything
