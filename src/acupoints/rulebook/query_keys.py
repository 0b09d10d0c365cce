"""Which keys of a query change what it finds.

A query takes its candidate points from the first source it gives, in the engine's order
(``acupoints.engine.query.SOURCES``: levels, region, neighbours_of, category, its
channels), and each source reads only some keys; the steps after the source (category,
outside, within, rank, couple, among, limit) read theirs whatever the source. The rule
checker warns at a key that changes nothing (``key-unused``). This module is a model of
the engine's behaviour, kept apart from it (the rule book loads without the engine); the
property test ``tests/properties/test_query_keys.py`` takes each key it calls unused out
of generated queries and checks that nothing found on generated cases moves.
"""

from __future__ import annotations

from .schema import Query

__all__ = ["SOURCE_WORDS", "WHY_UNUSED", "query_source", "unused_keys"]

#: The keys that say which channels a query keeps (see the query's filters).
_CHANNEL_KEYS = frozenset({"meridians", "through", "digits", "channels", "link"})
#: What each source of candidate points reads of a query, beside the keys every query
#: reads (``category``, ``outside``, ``within``, ``rank``, ``couple``, ``among``, ``limit``):
#: the first source that applies gives the candidates, in this order.
_SOURCE_READS: dict[str, frozenset[str]] = {
    "levels": frozenset({"levels", "above", "below", "region", "groups"}) | _CHANNEL_KEYS,
    "region": frozenset({"region", "aspect", "surface", "groups"}) | _CHANNEL_KEYS,
    "neighbours_of": frozenset({"neighbours_of", "distance"}),
    "category": frozenset({"surface"}) | _CHANNEL_KEYS,
    "channels": frozenset({"surface"}) | _CHANNEL_KEYS,
}
_ALWAYS_READ = frozenset({"category", "outside", "within", "rank", "couple", "among", "limit"})
#: Why a source may not read a key, as the lint says it.
WHY_UNUSED = {
    "aspect": "an aspect keeps points only where they are taken by region, and with "
    "`aspect: affected` narrows `through` to the channels of the affected skin",
    "surface": "the surface filters the points taken by region, category or channel, not those at levels "
    "or along the channel",
    "groups": "group points are taken by region or at levels",
    "neighbours_of": "levels and region come first",
    **dict.fromkeys(
        sorted(_CHANNEL_KEYS),
        "the channels narrow the points taken by region, at levels, by category or channel, "
        "not those along the channel from neighbours_of",
    ),
    "distance": "only neighbours_of counts a distance",
    "above": "only levels are widened",
    "below": "only levels are widened",
}
SOURCE_WORDS = {
    "levels": "at its levels",
    "region": "by region",
    "neighbours_of": "along the channel from its neighbours_of points",
    "category": "by category",
    "channels": "from its channels",
}


def query_source(q: Query) -> str:
    """Where a query takes its candidate points: the first of its levels, its region, its
    neighbours_of points, its category and its channels that it gives."""
    if q.levels is not None:
        return "levels"
    if q.region is not None:
        return "region"
    if q.neighbours_of:
        return "neighbours_of"
    return "category" if q.category is not None else "channels"


def unused_keys(q: Query) -> tuple[str, ...]:
    """The keys a query gives that change nothing it finds, in the schema's order.

    The source of its candidates reads only some keys (``aspect`` and ``surface`` filter
    the points taken by region, not those at levels; the channel keys narrow every source
    but the neighbours). ``through`` also gives the regions that ``within`` and ``rank``
    count from, and with ``aspect: affected`` it keeps the channels through the affected
    skin, so that aspect is read wherever ``through`` narrows the channels.
    """
    read = _SOURCE_READS[query_source(q)] | _ALWAYS_READ
    if q.within is not None or q.rank is not None:
        read |= {"through"}
    if q.aspect == "affected" and q.through is not None and "through" in _SOURCE_READS[query_source(q)]:
        read |= {"aspect"}
    return tuple(k for k in type(q).model_fields if k in q.model_fields_set and k not in read)
