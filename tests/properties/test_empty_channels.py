"""A query's channels, as its words name them, are the channels its points lie on (hypothesis).

A query's channel filter can come out empty: the channels of the digits of a complaint
that names none on a hand or foot, the partners of the midline vessels, the channels
through a region on an aspect no channel crosses. Its words then say "(none)", and the
points must agree: an empty set of channels keeps no point, it never falls back to every
channel of the region.

The channels of the affected skin (``channels: root_territory``) are the one place where
the case's words may name no channel: an anterior shoulder has no point of its own. That
skin then narrows nothing, and the words say so ("on any channel (none crosses ...)").

Checked on the plain meaning (:meth:`acupoints.engine.selection.Finder.surfaces`) and on
the points the engine suggests, each with how it was found.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given

from acupoints import Case, Engine
from acupoints.engine.binding import Binding
from acupoints.engine.selection import Finder
from acupoints.rulebook.conditions import CaseView
from acupoints.rulebook.schema import Query
from data.strategies import cases

ENGINE = Engine.default()
FINDER = Finder(ENGINE.rulebook, ENGINE.catalog)
#: How a query's words say that one of its channel filters kept no channel.
NO_CHANNEL = "(none)"


def _view(*complaints: dict[str, Any]) -> CaseView:
    return CaseView.of(Case.from_dict({"complaints": list(complaints)}))


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


def test_an_empty_set_of_channels_keeps_no_point() -> None:
    # The properties would hold trivially if no query ever came to no channel: the digits
    # of a neck complaint are on no channel, and the forearm query says so and finds none.
    query = Query.model_validate({"region": ["forearm"], "digits": "affected"})
    view = _view({"region": "neck", "side": "left", "sensations": ["pain"]})
    rule = ENGINE.rulebook["distal-forearm-for-fingers"]
    nodes, how = FINDER.among.plain.run(query, rule, Binding.of(view, frozenset()), view)
    assert NO_CHANNEL in how
    assert nodes == ()
    # With a hand complaint the same query finds the forearm points of its channels.
    hand = _view({"region": "hand", "side": "left", "sensations": ["pain"]})
    assert FINDER.among.plain.run(query, rule, Binding.of(hand, frozenset()), hand)[0]


def test_a_skin_no_channel_crosses_narrows_nothing() -> None:
    # No channel has a point on the medial (axillary) side of the shoulder, nor crosses it:
    # the textbook arm rule keeps its points (it would offer none if the skin's empty set
    # of channels kept none), and says why.
    rule = ENGINE.rulebook["textbook-arm-numbness-pain"]
    inner = _view({"region": "shoulder", "aspect": "medial", "side": "left", "sensations": ["numbness"]})
    (surface,) = FINDER.surfaces(rule, rule.rule.select[0], inner, frozenset())
    assert "on any channel (none crosses the medial/ulnar shoulder)" in surface[2]
    assert surface[1] == ("LI15", "LI11", "LI10", "TE5", "LI4")
    # The front of the shoulder has no point either, but the Large Intestine channel's
    # course crosses it: there the skin narrows to that channel.
    front = _view({"region": "shoulder", "aspect": "anterior", "side": "left", "sensations": ["numbness"]})
    (crossed,) = FINDER.surfaces(rule, rule.rule.select[0], front, frozenset())
    assert crossed[1] == ("LI15", "LI11", "LI10", "LI4") and "anterior/palmar shoulder (LI)" in crossed[2]
    # A shoulder complaint without an aspect reads no skin at all and finds the same.
    plain = _view({"region": "shoulder", "side": "left", "sensations": ["numbness"]})
    (unnarrowed,) = FINDER.surfaces(rule, rule.rule.select[0], plain, frozenset())
    assert unnarrowed[1] == surface[1]
