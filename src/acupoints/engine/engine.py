"""The engine: a case in, a :class:`Suggestion` out. Pure: no I/O, no printing, no state.

Multi-match semantics (also in the docs):

1. Every rule whose condition holds contributes (rules are tried in file order; an index
   by what each condition needs of a case skips rules that cannot hold).
2. If any firing rule refers the case, the result is ``status: refer`` with no points.
3. Each selection adds ``role weight x selection weight`` to each point it finds; a point's
   score is the sum over every selection that found it, its role that of its largest part.
4. Exclusions always win over selections, whichever rule made them.
5. Points are ranked by score, then role (local, segmental, distal, adjunct), then catalogue
   order; the list is cut at the plan's ``max_points`` (the case may set its own), never
   above a safety rule's ``max_points_cap``.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from ..base.errors import CaseError, Problem
from ..base.memo import remember
from ..base.vocab import LOWER_LIMB, ROLES, UPPER_LIMB
from ..case.model import Case
from ..catalog.catalog import Catalog
from ..catalog.records import Point
from ..rulebook.book import CompiledRule, RuleBook, load_rulebook
from ..rulebook.conditions import NO_DIGITS, NO_WORDS, NONE, CaseView, Matched
from ..rulebook.schema import Exclude, Query, Select
from .binding import ASPECT_MATCH, Binding, aspects_of, digits_of
from .explain import Explanation, explain
from .result import (
    Advice,
    Conflict,
    ExcludedPoint,
    Referral,
    SharedJson,
    SuggestedPoint,
    Suggestion,
    Support,
    build,
)

ROLE_WEIGHT: dict[str, float] = {"local": 1.0, "segmental": 1.0, "distal": 0.75, "adjunct": 0.5}
#: Tie-break between equal scores: the order the docstring above promises.
ROLE_RANK: dict[str, int] = {"local": 0, "segmental": 1, "distal": 2, "adjunct": 3}
assert set(ROLE_RANK) == set(ROLES)
DEFAULT_MAX_POINTS = 12
_URGENCY = {"emergency": 0, "urgent": 1, "soon": 2}
_MIDLINE = frozenset({"midline"})
#: The sides a point is needled on, as bits while the rules fire: left, right, midline.
_LEFT, _RIGHT, _MID = 1, 2, 4
_SIDE_BITS = {"left": _LEFT, "right": _RIGHT, "both": _LEFT | _RIGHT}
#: Sides as bits with left and right swapped (the midline never reaches a selection's sides).
_SWAPPED = (0, _RIGHT, _LEFT, _LEFT | _RIGHT)
_SIDE_LABEL = {_LEFT: "left", _RIGHT: "right", _LEFT | _RIGHT: "both", _MID: "midline"}
#: Entries each of the engine's caches keeps (bounds the memory of long runs).
_CACHE_LIMIT = 20_000


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    """Store in one of the engine's caches (see :func:`remember`)."""
    remember(cache, key, value, _CACHE_LIMIT)


#: A point's running total while the rules fire is a list (cheaper than an object, and
#: lists of these sort by the ranking rule as they are): minus its score, the rank of its
#: best support's role, its catalogue order, its code (unique, so sorting never looks
#: further), then the rest.
_NEG, _RANK, _ORDER, _CODE, _BEST_SCORE, _BEST, _SUPPORTS, _SIDES, _INSTANCES = range(9)

#: What a selection found, ready to add up: per point (code, places, catalogue order,
#: whether it is on the midline), and the support each of them gets.
Found = tuple[tuple[tuple[str, tuple[str, ...], int, bool], ...], Support]


class _Outputs(NamedTuple):
    """Plan, advice, conflicts and warnings of a set of fired rules, shared by its cases."""

    plan: dict[str, Any]
    items: tuple[Mapping[str, Any], ...]
    conflicts: tuple[Conflict, ...]
    advice: tuple[Advice, ...]
    warnings: tuple[str, ...]
    #: Their JSON text, for :meth:`Suggestion.json_members`.
    json: SharedJson
    #: The plan's fields whose values are lists (each result gets its own copy).
    lists: tuple[str, ...] = ()
    #: The plan's number of points (None: the engine's), and the safety cap (None: none).
    max_points: int | None = None
    cap: int | None = None


_NO_OUTPUTS = _Outputs({}, (), (), (), (), SharedJson({}, (), (), ()))


_Selecting = tuple[CompiledRule, int, "tuple[_SelPlan, ...]"]
_Excluding = tuple[CompiledRule, int]


class _Fired(NamedTuple):
    """What a set of fired rules implies, whatever the case."""

    ids: tuple[str, ...]
    #: The rules that refer the case (none: the case gets points).
    referring: tuple[CompiledRule, ...]
    #: (rule, its bit, prepared selections) of the rules that select points.
    selecting: tuple[_Selecting, ...]
    #: (rule, its bit) of the rules that exclude points.
    excluding: tuple[_Excluding, ...]
    outputs: _Outputs


class _SelPlan(NamedTuple):
    """What one selection of a rule needs at run time, worked out once."""

    position: int
    select: Select
    #: The rank of its role, for ties between supports of equal score.
    rank: int
    #: For a selection that does not depend on the case: what it finds, ready.
    static: Found | None
    #: What of the case its query reads (see :func:`_reads`).
    reads: tuple[bool, bool, bool, bool]
    #: Its side: 0 for the sides of the complaints, 1 for both, 2 for the opposite ones.
    side: int
    #: True when it selects the case's tender points (``static`` then holds its support).
    tender: bool


class _SetMasks:
    """A named set's members, and for each value of what queries test (region, aspect,
    surface, channel, group point) a bit mask of the members that have it: bit ``i`` is
    the set's ``i``-th member, so the lowest bits come first in the set's order."""

    __slots__ = ("aspect", "meridian", "nodes", "parent", "plain", "region", "surface")

    def __init__(self, members: tuple[tuple[Any, ...], ...]) -> None:
        self.nodes = tuple(m[0] for m in members)
        #: The members that are points, not places of a group point.
        self.plain = 0
        self.parent: dict[str, int] = {}
        self.region: dict[str, int] = {}
        self.aspect: dict[str, int] = {}
        self.surface: dict[str, int] = {}
        self.meridian: dict[str, int] = {}
        for i, (_, parent, region, aspect, surface, meridian) in enumerate(members):
            bit = 1 << i
            if parent is None:
                self.plain |= bit
            else:
                self.parent[parent] = self.parent.get(parent, 0) | bit
            for table, value in ((self.region, region), (self.aspect, aspect), (self.surface, surface),
                                 (self.meridian, meridian)):  # fmt: skip
                table[value] = table.get(value, 0) | bit

    @staticmethod
    def any_of(table: dict[str, int], values: Iterable[str]) -> int:
        """The members with any of ``values``."""
        out = 0
        for v in values:
            out |= table.get(v, 0)
        return out


class Engine:
    """Evaluates a rulebook over the meridian graph.

    >>> from acupoints import Engine
    >>> engine = Engine.default()
    >>> s = engine.suggest({"complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]}]})
    >>> s.status, "TE5" in s.codes
    ('suggested', True)
    """

    _default: Engine | None = None
    _lock = threading.Lock()

    def __init__(
        self, rulebook: RuleBook, catalog: Catalog | None = None, max_points: int = DEFAULT_MAX_POINTS
    ) -> None:
        self.catalog = catalog or Catalog.default()
        self.rulebook = rulebook
        self.max_points = max_points
        self._cache: dict[Any, tuple[tuple[str, ...], str]] = {}
        self._points: dict[str, Point] = {p.code: p for p in self.catalog}
        self._meridian_order = {m: i for i, m in enumerate(self.catalog.meridians)}
        self._caution_titles = {c.id: c.title.lower() for c in self.catalog.cautions.values()}
        # Plan, advice and warnings depend only on which rules fired: computed once per set.
        self._per_fired: dict[int, _Outputs] = {}
        #: The bits (see RuleBook.fired_rules) of the rules that refer, and of those with a
        #: plan, advice or warnings.
        self._refer_bits = sum(1 << i for i, r in enumerate(rulebook.rules) if r.refers)
        self._talk_bits = sum(1 << i for i, r in enumerate(rulebook.rules) if r.talks)
        #: What each rule says whenever it fires (see _says), by rule order.
        self._said: dict[int, Any] = {}
        # A point's "why" and principles depend only on the rules that chose it.
        self._why: dict[tuple[str, ...], tuple[str, tuple[str, ...]]] = {}
        self._order: dict[str, int] = {p.code: p.order for p in self.catalog}
        self._midline = frozenset(p.code for p in self.catalog if p.meridian in ("GV", "CV"))
        #: Per rule (by order): its selections, prepared on the rule's first firing; they
        #: depend only on the rulebook and catalogue, so engines over both share them.
        self._sel_plans: dict[int, tuple[_SelPlan, ...]] = rulebook.prepared(self.catalog)
        #: Selections that depend on the case: (rule, selection, what it depends on) -> result.
        self._sel_cache: dict[Any, Found] = {}
        #: What a query found, as Found entries (different cases often find the same points).
        self._entries_of: dict[tuple[str, ...], tuple[tuple[str, tuple[str, ...], int, bool], ...]] = {}
        #: A point's own cautions as warnings, once per point.
        self._point_warnings: dict[str, tuple[str, ...]] = {}
        #: A written tender point as its Found entry (empty: it names no point).
        self._tender_entries: dict[str, tuple[Any, ...]] = {}
        #: Point names written in the rules, as codes (the rules are checked, so few and known).
        self._codes: dict[str, str] = {}
        self._among: dict[tuple[int, str], dict[str, int]] = {}
        self._among_masks: dict[tuple[int, str], _SetMasks] = {}
        #: Chosen points by (code, sides, supports, instances): see _point_out.
        self._chosen: dict[tuple[Any, ...], SuggestedPoint] = {}
        self._fired_info: dict[int, _Fired] = {}
        #: Per (rule, selection): its query as a function of the affected regions and
        #: aspects, or False (see _among_query); and sets of words joined for the "how" text.
        self._quick: dict[tuple[int, int], Any] = {}
        self._joined: dict[frozenset[str], str] = {}
        #: Numbers for what selections read (see _id_of); never reused, even when forgotten.
        self._ids: dict[Any, int] = {}
        self._numbers = itertools.count()
        #: Per rule position: the rule and its shared entries of _Fired (see _parts_of).
        self._parts: dict[int, tuple[CompiledRule, _Selecting | None, _Excluding | None]] = {}
        #: Exclusion targets that do not depend on the case, per (rule, exclusion).
        self._ex_base: dict[tuple[int, int], frozenset[str] | None] = {}
        #: The point codes of those targets, for exclusions that need no flag.
        self._ex_codes: dict[tuple[int, int], frozenset[str]] = {}
        self._by_code: dict[frozenset[str], dict[str, tuple[str, ...]]] = {}
        self._caution_index: dict[str, frozenset[str]] = {}
        #: The points and places in a flag's region or limb, by (region, limb): few, all kept.
        self._in_place: dict[tuple[str | None, str | None], frozenset[str]] = {}
        for p in self.catalog:
            for c in p.cautions:
                self._caution_index[c] = self._caution_index.get(c, frozenset()) | {p.code}

    def __reduce__(self) -> tuple[Any, ...]:
        return (Engine, (self.rulebook, self.catalog, self.max_points))

    @classmethod
    def default(cls) -> Engine:
        """The engine with the shipped catalogue and every shipped rule pack (cached)."""
        if cls._default is None:
            with cls._lock:
                if cls._default is None:
                    cls._default = cls(load_rulebook())
        return cls._default

    @classmethod
    def from_paths(
        cls, *paths: str | Path, packs: Iterable[str] | None = None, catalog: Catalog | None = None
    ) -> Engine:
        """An engine over the rule files or folders given (``packs`` keeps only those packs)."""
        catalog = catalog or Catalog.default()
        return cls(load_rulebook(list(paths) if paths else None, catalog, packs), catalog)

    # -- the one public action -----------------------------------------------------
    def suggest(self, case: Case | Mapping[str, Any]) -> Suggestion:
        """Suggest points for a case (a :class:`Case` or a mapping in the case format)."""
        if not isinstance(case, Case):
            case = Case.from_dict(case)
        view = CaseView.of(case)
        if case.__dict__["tender_points"]:
            self._check_tender(case)
        # Which rules fire, as bits of the rulebook (see RuleBook.fired_rules): those the
        # index settles at once, then each of the others whose test holds, with the
        # complaints it matched (when any). fired() gives the same rules as a list.
        index = self.rulebook.index(view.features)
        bits = index.decided
        matched_by: dict[int, Matched] = {}
        for rule, bit in index.tests:
            ok, matched = rule.test(view)
            if ok:
                bits |= bit
                if matched:
                    matched_by[bit] = matched
        # What depends only on which rules fired is worked out once per set of rules.
        info = self._fired_info.get(bits)
        if info is None:
            info = self._info(bits)
            _remember(self._fired_info, bits, info)
        if info.referring:
            return self._referral(case, info)
        acc: dict[str, list[Any]] = {}
        # Per set of matched complaints: see _picks.
        picks: dict[Matched, list[Any]] = {}
        for rule, bit, plans in info.selecting:
            matched = matched_by.get(bit, NONE)
            got = picks.get(matched) or self._picks(picks, view, matched)
            for plan in plans:
                _, _, rank, found, _, side, tender = plan
                if found is None:
                    found = self._selected(rule, plan, matched, got, view)
                elif tender:
                    found = (self._tender(view.case), found[1])
                # The complaints' sides, both sides, or the opposite ones (left and right swapped).
                _add(
                    acc,
                    found,
                    rank,
                    got[1] if side == 0 else _LEFT | _RIGHT if side == 1 else _SWAPPED[got[1]],
                )
        warnings: list[str] = []
        excluded = (
            self._apply_excludes(acc, info.excluding, matched_by, view, warnings) if info.excluding else []
        )
        out = info.outputs
        limit = case.max_points or (self.max_points if out.max_points is None else out.max_points)
        if out.cap is not None and out.cap < limit:  # a safety cap that the case cannot lift
            limit = out.cap
        ranked = sorted(acc.values())  # by score, then role, then catalogue order (see _NEG)
        chosen = [self._point_out(a) for a in ranked[:limit]]
        dropped = tuple([a[_CODE] for a in ranked[limit:]])
        if dropped:
            warnings.append(
                f"{len(dropped)} further points were supported but left out to keep to {limit} points: {', '.join(dropped)}"
            )
        warnings += out.warnings
        # A chosen point's own cautions travel with it (pregnancy is handled by its flag).
        for p in chosen:
            if p.cautions:
                warnings += self._cautions_of(p.code)
        # The result's own plan: its lists are copies, never the shared ones.
        own_plan = out.plan.copy()
        for k in out.lists:
            own_plan[k] = own_plan[k][:]
        return build(Suggestion, {
            "case": case.id, "status": "suggested", "points": tuple(chosen), "excluded": tuple(excluded),
            "plan": own_plan, "plan_items": out.items, "advice": out.advice, "conflicts": out.conflicts,
            "warnings": tuple(dict.fromkeys(warnings)) if warnings else (), "referral": None,
            "rules_fired": info.ids, "dropped": dropped, "_shared_json": out.json,
        })  # fmt: skip

    def _info(self, bits: int) -> _Fired:
        """What the set of fired rules with these bits implies, whatever the case: kept for
        the next case."""
        selecting = []
        excluding = []
        ids = []
        parts_of = self._parts
        rules = self.rulebook.rules
        rest = bits
        while rest:
            low = rest & -rest
            position = low.bit_length() - 1
            rest ^= low
            parts = parts_of.get(position)
            if parts is None:
                parts = parts_of[position] = self._parts_of(rules[position], low)
            rule, selects, excludes = parts
            ids.append(rule.id)
            if selects is not None:
                selecting.append(selects)
            if excludes is not None:
                excluding.append(excludes)
        # The rules that refer, and those with a plan, advice or warnings, by their bits.
        referring = self.rulebook.fired_rules(bits & self._refer_bits)
        outputs = _NO_OUTPUTS if referring else self._outputs(bits & self._talk_bits)
        return _Fired(tuple(ids), tuple(referring), tuple(selecting), tuple(excluding), outputs)

    def _parts_of(
        self, rule: CompiledRule, bit: int
    ) -> tuple[CompiledRule, _Selecting | None, _Excluding | None]:
        """A rule's entries in :attr:`_Fired.selecting` and :attr:`_Fired.excluding` (None
        where it has none): made once per rule, so the sets of fired rules share them."""
        plans = self._sel_plans.get(rule.order)
        if plans is None:
            plans = self._plan_selects(rule)
        return rule, ((rule, bit, plans) if plans else None), ((rule, bit) if rule.excludes else None)

    def explain(self, case: Case | Mapping[str, Any], point: str) -> Explanation:
        """Why ``point`` was or was not suggested for ``case``: rules, queries, failed conditions."""
        return explain(self, case if isinstance(case, Case) else dict(case), point)

    def suggest_many(self, cases: Iterable[Case | Mapping[str, Any]]) -> Iterator[Suggestion]:
        """Suggestions for many cases, lazily, in order (constant memory)."""
        for case in cases:
            yield self.suggest(case)

    def fired(self, view: CaseView) -> list[tuple[CompiledRule, Matched]]:
        """The rules whose conditions hold for the case, with the complaints they matched
        (:meth:`suggest` finds the same rules, without testing those the index settles)."""
        out = []
        for rule in self.rulebook.candidates(view.features):
            ok, matched = rule.test(view)
            if ok:
                out.append((rule, matched))
        return out

    # -- selections -------------------------------------------------------------------
    def resolve(self, rule: CompiledRule, sel: Select | Exclude, binding: Binding | None, view: CaseView | None,
                key: Any = None) -> tuple[tuple[str, ...], str]:  # fmt: skip
        """The nodes a selection (or exclusion target) finds, and how it found them."""
        cache_key = (rule.order, key, *_depends_on(sel, binding, view))
        hit = self._cache.get(cache_key)
        if hit is not None:
            return hit
        found, how = self._find(rule, sel, binding, view)
        _remember(self._cache, cache_key, (found, how))
        return found, how

    def _find(self, rule: CompiledRule, sel: Select | Exclude, binding: Binding | None,
              view: CaseView | None) -> tuple[tuple[str, ...], str]:  # fmt: skip
        """What :meth:`resolve` finds, without its cache."""
        if sel.points:
            found = tuple(self._code(p) for p in sel.points)
            how = f"named points {', '.join(sel.points)}"
        elif isinstance(sel, Select) and sel.set is not None:
            found = rule.sets[sel.set]
            how = f"set '{sel.set}'"
        elif sel.query is not None:
            found, how = self._query(sel.query, rule, binding, view)
        else:
            found, how = (), ""
        return found, how

    def _code(self, text: str) -> str:
        code = self._codes.get(text)
        if code is None:
            base = self.catalog.resolve(text.split("@")[0])
            assert base is not None  # checked when the rules were loaded
            code = self._codes[text] = f"{base}@{text.split('@', 1)[1]}" if "@" in text else base
        return code

    def _query(
        self, q: Query, rule: CompiledRule, b: Binding | None, view: CaseView | None, fast: bool = True
    ) -> tuple[tuple[str, ...], str]:
        g = self.catalog.graph
        desc: list[str] = []
        regions: set[str] | None = None
        if q.region is not None:
            regions = set(
                b.regions if (q.region == "affected" and b) else (() if q.region == "affected" else q.region)
            )
            desc.append(f"in {'/'.join(sorted(regions))}")
        aspects: set[str] | None = None
        if q.aspect is not None:
            if q.aspect == "affected":
                aspects = set(b.aspects) if b and b.aspects else None
            else:
                aspects = {x for a in q.aspect for x in ASPECT_MATCH.get(a, {a})}
            if aspects:
                desc.append(f"on the {'/'.join(sorted(aspects))} aspect")
        meridians: set[str] | None = set(q.meridians) if q.meridians else None
        if q.digits is not None and b is not None:
            chans = set(g.channels_of_digits(b.fingers, "hand")) | set(g.channels_of_digits(b.toes, "foot"))
            if not (b.fingers or b.toes):
                chans = set(g.channels_through(b.regions & {"fingers", "toes", "hand", "foot"}))
            meridians = chans if meridians is None else meridians & chans
            desc.append(f"on the channels of the affected digits ({', '.join(sorted(chans)) or 'none'})")
        if q.through is not None:
            through = (
                b.regions
                if (q.through == "affected" and b)
                else (() if q.through == "affected" else q.through)
            )
            chans = set(g.channels_through(through, aspects if q.aspect == "affected" else None))
            meridians = chans if meridians is None else meridians & chans
            desc.append(f"on the channels through {'/'.join(sorted(through))}")
        if q.surface:
            desc.append(f"on the {q.surface} surface")
        found: list[str]
        if (
            fast
            and q.among is not None
            and q.levels is None
            and (regions is not None or (not q.neighbours_of and meridians is not None))
        ):
            # Most rules pick a few points "among" a named set: test the set's members one
            # by one, in the set's order, instead of gathering the whole region first.
            # The same result as the general path below (a property test compares them).
            desc.append(f"among '{q.among}'")
            found = self._among_found(rule, q, regions, aspects, meridians)
            return tuple(found), "points " + ", ".join(desc)
        if q.levels is not None:
            levels = (
                sorted(view.levels)
                if (q.levels == "compressed" and view)
                else list(q.levels if q.levels != "compressed" else ())
            )
            found = g.at_levels(levels, q.above, q.below, meridians=meridians, groups=q.groups)
            if regions is not None:
                found = [n for n in found if g.attrs(n)["region"] in regions]
            span = f" and {q.above} above, {q.below} below" if (q.above or q.below) else ""
            desc.insert(0, f"at the level(s) {', '.join(levels) or 'none'}{span}")
        elif regions is not None:
            found = g.in_region(regions, aspects, q.surface, meridians, instances=bool(q.groups))
            if q.groups:
                found = [n for n in found if g.kind(n) == "point" or g.attrs(n)["point"] in q.groups]
        elif q.neighbours_of:
            found = []
            for code in q.neighbours_of:
                found += g.neighbours(self._code(code), q.distance)
            desc.append(f"within {q.distance} of {', '.join(q.neighbours_of)} along the channel")
        elif meridians is not None:
            found = [c for m in sorted(meridians, key=self._meridian_order.__getitem__) for c in g.channel(m)]
            if q.surface:
                found = [n for n in found if g.attrs(n)["surface"] == q.surface]
        else:
            found = []
        if q.among is not None:
            order = self._among.get((rule.order, q.among))
            if order is None:
                order = self._among[(rule.order, q.among)] = {c: i for i, c in enumerate(rule.sets[q.among])}
            found = sorted((n for n in found if n in order), key=order.__getitem__)
            desc.append(f"among '{q.among}'")
        if q.limit is not None:
            found = found[: q.limit]
        return tuple(dict.fromkeys(found)), "points " + ", ".join(desc)

    def _among_found(self, rule: CompiledRule, q: Query, regions: AbstractSet[str] | None,
                     aspects: AbstractSet[str] | None, meridians: AbstractSet[str] | None) -> list[str]:  # fmt: skip
        """The members of ``q.among`` that the query's filters keep, in the set's order, up to its limit.

        Mirrors :meth:`MeridianGraph.in_region` (an empty aspect or channel filter filters
        nothing) and, with no region, the points of the channels. Each filter is a bit mask
        over the set's members (see :class:`_SetMasks`).
        """
        assert q.among is not None
        sm = self._among_masks.get((rule.order, q.among))
        if sm is None:
            sm = self._among_masks[(rule.order, q.among)] = _SetMasks(self._members(rule.sets[q.among]))
        keep = sm.plain
        if regions is None:  # the points of the channels (an empty set of channels: none)
            assert meridians is not None
            keep &= sm.any_of(sm.meridian, meridians)
        else:
            if q.groups:  # places of the group points named, in the regions
                keep |= sm.any_of(sm.parent, q.groups)
            keep &= sm.any_of(sm.region, regions)
            if aspects:
                keep &= sm.any_of(sm.aspect, aspects)
            if meridians:
                keep &= sm.any_of(sm.meridian, meridians)
        if q.surface is not None:
            keep &= sm.surface.get(q.surface, 0)
        out: list[str] = []
        limit = q.limit
        nodes = sm.nodes
        while keep and (limit is None or len(out) < limit):
            low = keep & -keep
            out.append(nodes[low.bit_length() - 1])
            keep ^= low
        return out

    def _members(self, codes: tuple[str, ...]) -> tuple[tuple[Any, ...], ...]:
        """A named set's members in its order (a repeated code counts at its last place), each
        with what queries test: (node, its group point or None, region, aspect, surface, channel)."""
        g = self.catalog.graph
        order = {c: i for i, c in enumerate(codes)}
        out = []
        for n in sorted(order, key=order.__getitem__):
            data = g.attrs(n)
            parent = data["point"] if data["kind"] == "instance" else None
            point = g.attrs(parent) if parent is not None else data
            out.append((n, parent, data["region"], point["aspect"], point["surface"], point["meridian"]))
        return tuple(out)

    def _plan_selects(self, rule: CompiledRule) -> tuple[_SelPlan, ...]:
        """Prepare a rule's selections: those that do not depend on the case are resolved now."""
        plans = []
        for i, sel in enumerate(rule.rule.select):
            score = ROLE_WEIGHT[sel.role] * sel.weight
            static = None
            if not sel.tender_points and _is_static(sel):
                found, how = self._find(rule, sel, None, None)
                static = (self._entries(_grouped(found)), Support(rule.id, sel.role, score, how, rule.pack,
                                                                  rule.source_key))  # fmt: skip
            elif sel.tender_points:
                how = "the case's tender points"
                static = ((), Support(rule.id, sel.role, score, how, rule.pack, rule.source_key))
            side = 1 if sel.side == "both" else 2 if sel.side == "opposite" else 0
            plans.append(
                _SelPlan(
                    i, sel, ROLE_RANK[sel.role], static, _reads(sel.query), side, bool(sel.tender_points)
                )
            )
        out = tuple(plans)
        self._sel_plans[rule.order] = out
        return out

    def _entries(
        self, groups: Iterable[tuple[str, tuple[str, ...]]]
    ) -> tuple[tuple[str, tuple[str, ...], int, bool], ...]:
        """Grouped points as :data:`Found` entries: with their catalogue order and midline mark."""
        return tuple([(code, insts, self._order[code], code in self._midline) for code, insts in groups])

    @staticmethod
    def _picks(picks: dict[Matched, list[Any]], view: CaseView, matched: Matched) -> list[Any]:
        """A new entry of ``picks`` for these matched complaints (all of them when the rule
        matched none): the complaints, their sides, and (filled in when a selection first
        asks) their regions, aspects and digits, then the numbers of these three (see _id_of)."""
        facts = [view.facts[i] for i in sorted(matched)] if matched else view.facts
        sides = 0
        for f in facts:
            sides |= _SIDE_BITS[f.side]
        got = picks[matched] = [facts, sides, None, None, None, None, None, None]
        return got

    def _selected(
        self, rule: CompiledRule, plan: _SelPlan, matched: Matched, got: list[Any], view: CaseView
    ) -> Found:
        """A case-dependent selection's points and support, cached by exactly what its query
        reads of the matched complaints (the key of :func:`_depends_on`), each part as its
        number (see _id_of)."""
        reads = plan.reads
        regions = aspects = digits = levels = None
        if reads[0]:
            regions = got[5]
            if regions is None:
                got[2] = frozenset([f.region for f in got[0]])
                regions = got[5] = self._id_of(got[2])
        if reads[1]:
            aspects = got[6]
            if aspects is None:
                got[3] = aspects_of(got[0])
                aspects = got[6] = self._id_of(got[3])
        if reads[2]:
            digits = got[7]
            if digits is None:
                got[4] = digits_of(got[0])
                digits = got[7] = self._id_of(got[4])
        if reads[3]:
            levels = self._id_of(view.levels)
        key = (rule.order, plan.position, regions, aspects, digits, levels)
        hit = self._sel_cache.get(key)
        if hit is None:
            hit = self._select_new(rule, plan, got[2] if reads[0] else None, got[3] if reads[1] else None,
                                   got[4] if reads[2] else None, view)  # fmt: skip
            _remember(self._sel_cache, key, hit)
        return hit

    def _id_of(self, value: Any) -> int:
        """A number for one thing a query reads (a set of regions, of aspects, the digits, the
        levels), the same while it is remembered. The selection cache's keys are numbers
        alone, so the garbage collector soon stops looking at them; sets, and the tuples
        that hold them, it walks at every collection."""
        ids = self._ids
        number = ids.get(value)
        if number is None:
            # next() on the counter is one step, so two threads never get the same number;
            # if both number the same value, the second number wins and the first is never
            # seen again, which costs a cache miss and never a wrong answer.
            number = next(self._numbers)
            _remember(ids, value, number)
        return number

    def _select_new(
        self,
        rule: CompiledRule,
        plan: _SelPlan,
        regions: frozenset[str] | None,
        aspects: frozenset[str] | None,
        digits: tuple[frozenset[int], frozenset[int]] | None,
        view: CaseView,
    ) -> Found:
        """A case-dependent selection not seen before. Its query gets a binding made of its
        cache key alone (what it does not read is left empty), so the key is by construction
        all the answer depends on; a test checks it finds what the complaints' full binding
        finds."""
        sel = plan.select
        quick = self._quick.get((rule.order, plan.position))
        if quick is None:
            quick = self._quick[(rule.order, plan.position)] = self._among_query(rule, sel.query)
        if quick:
            found, how = quick(regions or NO_WORDS, aspects or NO_WORDS)
        else:
            fingers, toes = digits or (NO_DIGITS, NO_DIGITS)
            b = build(Binding, {"regions": regions or NO_WORDS, "aspects": aspects or NO_WORDS, "fingers": fingers,
                                "toes": toes, "side": NO_WORDS})  # fmt: skip
            found, how = self._find(rule, sel, b, view)
        entries = self._entries_of.get(found)
        if entries is None:
            entries = self._entries(_grouped(found))
            _remember(self._entries_of, found, entries)
        score = ROLE_WEIGHT[sel.role] * sel.weight
        return entries, Support(rule.id, sel.role, score, how, rule.pack, rule.source_key)

    def _among_query(
        self, rule: CompiledRule, q: Query | None
    ) -> Callable[[frozenset[str], frozenset[str]], tuple[tuple[str, ...], str]] | Literal[False]:
        """For a query that picks points ``among`` a named set by the affected regions or
        aspects (most of the rulebook's), a function of those two that gives what
        :meth:`_query` gives, its fixed parts worked out once; False for any other query.

        A property test redraws every filter of such queries and compares the answers with
        :meth:`_query`'s (``test_an_among_query_worked_out_once_finds_what_the_query_finds``).
        """
        if (
            q is None
            or q.among is None
            or q.levels is not None
            or q.digits is not None
            or not (q.region is not None or (not q.neighbours_of and (q.meridians or q.through is not None)))
        ):
            return False
        g = self.catalog.graph
        joined = self._joined
        region, aspect, through = q.region, q.aspect, q.through
        fixed_regions = frozenset(region) if region not in (None, "affected") else None
        fixed_aspects = (
            frozenset({x for a in aspect for x in ASPECT_MATCH.get(a, {a})})
            if aspect not in (None, "affected")
            else None
        )
        meridians_given = frozenset(q.meridians) if q.meridians else None
        fixed_through = frozenset(through) if through not in (None, "affected") else NO_WORDS
        through_text = "/".join(sorted(through)) if through not in (None, "affected") else ""
        tail = ([f"on the {q.surface} surface"] if q.surface else []) + [f"among '{q.among}'"]

        def join(words: frozenset[str]) -> str:
            text = joined.get(words)
            if text is None:
                text = "/".join(sorted(words))
                _remember(joined, words, text)
            return text

        def run(regions: frozenset[str], aspects: frozenset[str]) -> tuple[tuple[str, ...], str]:
            desc = []
            where: frozenset[str] | None = None
            if region is not None:
                where = regions if region == "affected" else fixed_regions
                assert where is not None
                desc.append("in " + join(where))
            on: frozenset[str] | None = None
            if aspect is not None:
                on = (aspects or None) if aspect == "affected" else (fixed_aspects or None)
                if on:
                    desc.append(f"on the {join(on)} aspect")
            meridians = meridians_given
            if through is not None:
                along = regions if through == "affected" else fixed_through
                chans = frozenset(g.channels_through(along, on if aspect == "affected" else None))
                meridians = chans if meridians is None else meridians & chans
                # (a fixed list is named as written, repeats and all, as _query names it)
                desc.append(
                    "on the channels through " + (join(regions) if through == "affected" else through_text)
                )
            found = self._among_found(rule, q, where, on, meridians)
            return tuple(found), "points " + ", ".join(desc + tail)

        return run

    def _check_tender(self, case: Case) -> None:
        """Every tender point must name one point of this engine's catalogue: an unknown
        one is an error, never silently dropped (each written form is looked up once)."""
        known = self._tender_entries
        bad = []
        for i, text in enumerate(case.__dict__["tender_points"]):
            entry = known.get(text)
            if entry is None:
                entry = self._tender_entry(text)
            if not entry:
                message = self.catalog.unknown_message(text, "tender point")
                bad.append(Problem("<case>", 1, 1, "unknown-point", f"tender_points[{i}]: {message}"))
        if bad:
            raise CaseError(bad)

    def _tender_entry(self, text: str) -> tuple[Any, ...]:
        """A written tender point as its Found entry (empty: it names no point), remembered."""
        code = self.catalog.resolve(text)
        entry = (code, (), self._order[code], code in self._midline) if code else ()
        _remember(self._tender_entries, text, entry)
        return entry

    def _tender(self, case: Case) -> tuple[tuple[str, tuple[str, ...], int, bool], ...]:
        """The case's tender points as :data:`Found` entries, in the order written, each point
        once (each written form is resolved once per engine)."""
        known = self._tender_entries
        out: dict[str, tuple[str, tuple[str, ...], int, bool]] = {}
        for text in case.__dict__["tender_points"]:
            entry = known.get(text)
            if entry is None:
                entry = self._tender_entry(text)
            if entry and entry[0] not in out:
                out[entry[0]] = entry
        return tuple(out.values())

    # -- exclusions -------------------------------------------------------------------
    def _apply_excludes(self, acc: dict[str, list[Any]], excluding: tuple[_Excluding, ...],
                        matched_by: dict[int, Matched], view: CaseView, warnings: list[str]) -> list[ExcludedPoint]:  # fmt: skip
        """Leave out what the fired rules in ``excluding`` exclude (each rule's matched
        complaints by its bit in ``matched_by``) from the running totals ``acc``."""
        out: list[ExcludedPoint] = []
        for rule, bit in excluding:
            for i, ex in enumerate(rule.rule.exclude):
                codes = self._ex_codes.get((rule.order, i))
                if codes is not None and codes.isdisjoint(acc):
                    continue  # a fixed set of targets, none of them chosen
                matched = matched_by.get(bit, NONE)
                for targets, side, place in self._targets(rule, i, ex, view, matched, warnings):
                    reason = ex.reason + (f" ({place})" if place else "")
                    if len(targets) > len(acc):
                        by_code = self._nodes_by_code(targets)
                        hits = [t for code in acc for t in by_code.get(code, ())]
                    else:
                        hits = [t for t in targets if t.partition("@")[0] in acc]
                    for node in sorted(hits, key=lambda n: (self._order[n.partition("@")[0]], n)):
                        code, _, inst = node.partition("@")
                        a = acc.get(code)
                        if a is None:
                            continue
                        if inst:
                            # One place of a group point (Jiaji at L5): drop that place only.
                            have = a[_INSTANCES]
                            if inst in have:
                                a[_INSTANCES] = have = tuple([kept for kept in have if kept != inst])
                                out.append(
                                    ExcludedPoint(code, reason, rule.id, rule.source_key, "both", inst)
                                )
                                if not have:
                                    del acc[code]
                            continue
                        sides = a[_SIDES]
                        gone = sides if (side == "both" or sides == _MID) else (sides & _SIDE_BITS[side])
                        if not gone:
                            continue
                        a[_SIDES] = sides & ~gone
                        label = "both" if gone in (_LEFT | _RIGHT, _MID) else _SIDE_LABEL[gone]
                        out.append(ExcludedPoint(code, reason, rule.id, rule.source_key, label))
                        if not a[_SIDES]:
                            del acc[code]
        return out

    def _nodes_by_code(self, targets: frozenset[str]) -> dict[str, tuple[str, ...]]:
        """Exclusion targets grouped by point code, remembered per target set."""
        hit = self._by_code.get(targets)
        if hit is None:
            groups: dict[str, list[str]] = {}
            for t in targets:
                groups.setdefault(t.partition("@")[0], []).append(t)
            hit = {code: tuple(nodes) for code, nodes in groups.items()}
            _remember(self._by_code, targets, hit)
        return hit

    def _targets(self, rule: CompiledRule, i: int, ex: Exclude, view: CaseView, matched: Matched,
                 warnings: list[str]) -> list[tuple[frozenset[str], str, str]]:  # fmt: skip
        base: frozenset[str] | None
        static = _is_static(ex)
        if static and (rule.order, i) in self._ex_base:
            base = self._ex_base[(rule.order, i)]
        else:
            base = None
            if ex.points or ex.query is not None:
                found, _ = self.resolve(rule, ex, Binding.of(view, matched), view, key=("x", i))
                base = frozenset(found)
            if ex.caution is not None:
                base = (base or frozenset()) | self._caution_index.get(ex.caution, frozenset())
            if static:
                self._ex_base[(rule.order, i)] = base
                if ex.flag is None:
                    self._ex_codes[(rule.order, i)] = frozenset(t.partition("@")[0] for t in base or ())
        if ex.flag is None:
            return [(base or frozenset(), "both", "")]
        out = []
        for item in view.case.flags:
            if item.flag != ex.flag:
                continue
            if item.region is None and item.limb is None:
                if base is None:
                    warnings.append(
                        f"flag '{ex.flag}' given without a region or limb: say where, so the points there can be left out"
                    )
                    continue
                out.append((base, "both", ""))
                continue
            in_place = self._in_place.get((item.region, item.limb))
            if in_place is None:
                regions = {item.region} if item.region else set()
                if item.limb:
                    regions |= UPPER_LIMB if item.limb == "arm" else LOWER_LIMB
                in_place = frozenset(self.catalog.graph.in_region(sorted(regions), instances=True))
                self._in_place[(item.region, item.limb)] = in_place
            place = (
                f"{item.side} {item.limb or item.region}"
                if item.side != "both"
                else f"{item.limb or item.region}"
            )
            out.append(((base & in_place) if base is not None else in_place, item.side, place))
        return out

    # -- plan, advice, referral -------------------------------------------------------
    def _outputs(self, key: int) -> _Outputs:
        """Plan, advice, conflicts and rule warnings: they depend only on which rules fired,
        and of those only on the ones with a plan, advice or warnings (their bits: ``key``)."""
        hit = self._per_fired.get(key)
        if hit is None:
            talking = self.rulebook.fired_rules(key)
            items: list[Mapping[str, Any]] = []
            settings: list[tuple[str, Any, CompiledRule]] = []
            advice: list[Advice] = []
            warns: list[str] = []
            for rule in talking:
                said = self._said.get(rule.order)
                if said is None:
                    said = self._said[rule.order] = self._says(rule)
                items += said[0]
                settings += said[1]
                advice += said[2]
                warns += said[3]
            plan, conflicts = self._plan(settings)
            conflicts += self._advice_conflicts(advice)
            frozen_items, all_advice, all_conflicts = tuple(items), tuple(advice), tuple(conflicts)
            hit = _Outputs(plan, frozen_items, all_conflicts, all_advice, tuple(warns),
                           SharedJson(plan, frozen_items, all_advice, all_conflicts),
                           tuple(k for k, v in plan.items() if type(v) is list),
                           int(plan["max_points"]) if "max_points" in plan else None,
                           int(plan["max_points_cap"]) if "max_points_cap" in plan else None)  # fmt: skip
            _remember(self._per_fired, key, hit)
        return hit

    @staticmethod
    def _says(rule: CompiledRule) -> tuple[tuple[Mapping[str, Any], ...], tuple[tuple[str, Any, CompiledRule], ...],
                                           tuple[Advice, ...], tuple[str, ...]]:  # fmt: skip
        """What one rule says whenever it fires: its plan items (read-only views, shared by
        every result), the plan settings among them, its advice and its warnings."""
        items = tuple(
            MappingProxyType(
                {
                    "text": i.text,
                    "principles": tuple(i.principles),
                    "rule": rule.id,
                    "source": rule.source_key,
                }
            )
            for i in rule.rule.plan
        )
        settings = tuple((i.key, i.value, rule) for i in rule.rule.plan if i.key is not None)
        advice = tuple(Advice(a.text, a.principles, a.conflicts_with, rule.id, rule.source_key, a.about)
                       for a in rule.rule.advice)  # fmt: skip
        return items, settings, advice, tuple(rule.rule.warn)

    @staticmethod
    def _plan(settings: list[tuple[str, Any, CompiledRule]]) -> tuple[dict[str, Any], list[Conflict]]:
        """The plan the settings of the fired rules make, in rule order, and where they disagree:
        the lower number of points wins, otherwise the rule of higher priority, then the first."""
        plan: dict[str, Any] = {}
        setter: dict[str, CompiledRule] = {}
        conflicts: list[Conflict] = []
        for key, given, rule in settings:
            value = list(given) if isinstance(given, tuple) else given
            if key not in plan:
                plan[key], setter[key] = value, rule
                continue
            if plan[key] == value:
                continue
            first = setter[key]
            if key in ("max_points", "max_points_cap"):
                keep_new = int(value) < int(plan[key])  # type: ignore[arg-type]
            else:
                keep_new = rule.rule.priority > first.rule.priority
            winner, loser = (rule, first) if keep_new else (first, rule)
            conflicts.append(Conflict(
                about=key, between=(winner.id, loser.id),
                detail=f"{winner.id} sets {key} to {value if keep_new else plan[key]!r}, over "
                       f"{loser.id}'s {plan[key] if keep_new else value!r}",
            ))  # fmt: skip
            if keep_new:
                plan[key], setter[key] = value, rule
        return plan, conflicts

    @staticmethod
    def _advice_conflicts(advice: list[Advice]) -> list[Conflict]:
        """Pairs of principles whose advice disagrees, each pair once."""
        present = {pid for a in advice for pid in a.principles}
        conflicts: list[Conflict] = []
        seen: set[frozenset[str]] = set()
        for a in advice:
            for other in a.conflicts_with:
                pair = frozenset((*a.principles, other))
                if other in present and pair not in seen:
                    seen.add(pair)
                    conflicts.append(Conflict(
                        about=a.about or "advice", between=(*a.principles, other),
                        detail=f"{'/'.join(a.principles)} ({a.source}) and {other} disagree"
                               f"{' about ' + a.about if a.about else ''}; both are shown with their sources",
                    ))  # fmt: skip
        return conflicts

    def _referral(self, case: Case, info: _Fired) -> Suggestion:
        refer = sorted(
            info.referring,
            key=lambda r: (_URGENCY[r.rule.refer.urgency if r.rule.refer else "soon"], r.order),
        )
        top = refer[0].rule.refer
        assert top is not None
        reasons = [r.rule.refer.reason for r in refer if r.rule.refer]
        referral = Referral(
            reason=" ".join(dict.fromkeys(reasons)), urgency=top.urgency, findings=tuple(case.red_flags),
            rules=tuple(r.id for r in refer), sources=tuple(dict.fromkeys(r.source for r in refer)),
        )  # fmt: skip
        advice = [Advice(a.text, a.principles, a.conflicts_with, r.id, r.source_key, a.about)
                  for r in refer for a in r.rule.advice]  # fmt: skip
        return Suggestion(
            case=case.id, status="refer", points=(), excluded=(), plan={}, plan_items=(), advice=tuple(advice),
            conflicts=(), warnings=tuple(w for r in refer for w in r.rule.warn), referral=referral,
            rules_fired=info.ids,
        )  # fmt: skip

    def _point_out(self, a: list[Any]) -> SuggestedPoint:
        # A point chosen on the same sides by the same selections is the same result: the
        # supports are shared objects from the selection caches, so the key hashes fast.
        code, sides = a[_CODE], a[_SIDES]
        supports = tuple(a[_SUPPORTS])
        key = (code, sides, supports, a[_INSTANCES])
        hit = self._chosen.get(key)
        if hit is not None:
            return hit
        best: Support = a[_BEST]
        rules = (
            (supports[0].rule,) if len(supports) == 1 else tuple(dict.fromkeys([s.rule for s in supports]))
        )
        told = self._why.get(rules)
        if told is None:
            told = self._why[rules] = self._told(rules)
        point = self._points[code]
        out: SuggestedPoint = build(SuggestedPoint, {
            "code": code, "name": point.pinyin, "meridian": point.meridian, "side": _SIDE_LABEL[sides],
            "role": best.role, "score": round(-a[_NEG], 3), "rules": rules, "principles": told[1], "why": told[0],
            "supports": supports, "instances": key[3], "cautions": point.cautions,
        })  # fmt: skip
        _remember(self._chosen, key, out)
        return out

    def _told(self, rules: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
        """The "why" of a point chosen by these rules, and their principles in order."""
        chose = [self.rulebook[r] for r in rules]
        why = [f"{r.rule.summary} ({r.source_key})" for r in chose]
        principles = tuple(dict.fromkeys([pid for r in chose for pid in r.rule.principles]))
        return (why[0] if len(why) == 1 else "; ".join(dict.fromkeys(why))), principles

    def _cautions_of(self, code: str) -> tuple[str, ...]:
        """A point's own cautions as warnings (pregnancy is handled by its flag)."""
        hit = self._point_warnings.get(code)
        if hit is None:
            p = self._points[code]
            hit = tuple(
                f"{p.code} {p.pinyin}: {self._caution_titles[c]}" for c in p.cautions if c != "pregnancy"
            )
            self._point_warnings[code] = hit
        return hit


def _reads(q: Query | None) -> tuple[bool, bool, bool, bool]:
    """What of the case a query reads: the affected regions, aspects and digits, the compressed levels."""
    if q is None:
        return (False, False, False, False)
    digits = bool(q.digits)
    return (
        "affected" in (q.region, q.through) or digits,
        q.aspect == "affected",
        digits,
        q.levels == "compressed",
    )


def _is_static(sel: Select | Exclude) -> bool:
    """True when a selection finds the same points whatever the case."""
    return not any(_reads(sel.query))


def _grouped(found: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Found nodes grouped by point: ``("EX-B2", ("L4", "L5"))``; points in first-found order."""
    groups: dict[str, list[str]] = {}
    for node in found:
        code, _, inst = node.partition("@")
        insts = groups.setdefault(code, [])
        if inst and inst not in insts:
            insts.append(inst)
    return tuple((code, tuple(insts)) for code, insts in groups.items())


def _depends_on(sel: Select | Exclude, b: Binding | None, view: CaseView | None) -> tuple[Any, ...]:
    """The parts of the case a selection's result depends on: its cache key.

    Named points and sets depend on nothing; a query on the "affected" regions, aspects,
    digits and the compressed levels only when it asks for them. The side never changes
    which points are found, so it is not part of the key.
    """
    if sel.query is None or b is None:
        return ()
    regions, aspects, digits, levels = _reads(sel.query)
    return (
        b.regions if regions else None,
        b.aspects if aspects else None,
        (b.fingers, b.toes) if digits else None,
        view.levels if (levels and view is not None) else None,
    )


def _add(acc: dict[str, list[Any]], found: Found, rank: int, sides: int) -> None:
    """Add what one selection found to the running totals (see :data:`_NEG`)."""
    entries, support = found
    score = support.score
    for code, insts, order, midline in entries:
        a = acc.get(code)
        if a is None:
            acc[code] = [-score, rank, order, code, score, support, [support], _MID if midline else sides,
                         insts]  # fmt: skip
            continue
        a[_NEG] -= score
        a[_SUPPORTS].append(support)
        # Its role is that of its largest part; of equal parts, the first in role order.
        if score > a[_BEST_SCORE] or (score == a[_BEST_SCORE] and rank < a[_RANK]):
            a[_BEST_SCORE], a[_BEST], a[_RANK] = score, support, rank
        if not midline:
            a[_SIDES] |= sides
        if insts:  # the places are a tuple, shared until a selection adds to them
            have = a[_INSTANCES]
            more = tuple([inst for inst in insts if inst not in have])
            if more:
                a[_INSTANCES] = have + more


def suggest(case: Case | Mapping[str, Any]) -> Suggestion:
    """Suggest points with the default engine: ``acupoints.suggest(case)``."""
    return Engine.default().suggest(case)
