"""What a set of fired rules implies, worked out a byte of the bits at a time, is what
the plain loop over the rules, one bit at a time, lowest first, works out."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from acupoints import Engine
from acupoints.engine.fired import FiredPlans
from acupoints.engine.outputs import Assembler

ENGINE = Engine.default()
RULES = ENGINE.rulebook.rules


def plain(plans: FiredPlans, bits: int) -> tuple[list[str], list[object], list[object]]:
    ids, selecting, excluding = [], [], []
    for position, rule in enumerate(RULES):
        if bits >> position & 1:
            _, selects, excludes = plans._parts_of(rule, 1 << position)
            ids.append(rule.id)
            if selects is not None:
                selecting.append(selects)
            if excludes is not None:
                excluding.append(excludes)
    return ids, selecting, excluding


@given(st.lists(st.sets(st.integers(0, len(RULES) - 1)), min_size=1, max_size=4))
def test_a_set_of_fired_rules_is_worked_out_as_one_rule_at_a_time(sets: list[set[int]]) -> None:
    # One FiredPlans over several sets, as in suggest: the bytes of one set are reused by
    # the next, and must give each set its own rules, in rule order.
    plans = FiredPlans(ENGINE.rulebook, ENGINE._finder, Assembler(ENGINE.rulebook))
    for positions in sets:
        bits = sum(1 << p for p in positions)
        fired = plans.of(bits)
        ids, selecting, excluding = plain(plans, bits)
        assert list(fired.ids) == ids
        assert [(s[0].id, s[1]) for s in fired.selecting] == [(s[0].id, s[1]) for s in selecting]  # type: ignore[index]
        assert [(e[0].id, e[1]) for e in fired.excluding] == [(e[0].id, e[1]) for e in excluding]  # type: ignore[index]
        assert list(fired.selecting) == selecting
