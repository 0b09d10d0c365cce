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

import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ._case import Case
from ._catalog import Catalog
from ._conditions import CaseView, Matched, limb_of
from ._point import Point
from ._rulebook import CompiledRule, RuleBook, load_rulebook
from ._rules_schema import Exclude, Query, Select
from ._suggestion import Advice, Conflict, ExcludedPoint, Referral, SuggestedPoint, Suggestion, Support
from ._vocab import LOWER_LIMB, ROLES, UPPER_LIMB

if TYPE_CHECKING:
    from ._explain import Explanation

ROLE_WEIGHT: dict[str, float] = {"local": 1.0, "segmental": 1.0, "distal": 0.75, "adjunct": 0.5}
#: Tie-break between equal scores: the order the docstring above promises.
ROLE_RANK: dict[str, int] = {"local": 0, "segmental": 1, "distal": 2, "adjunct": 3}
assert set(ROLE_RANK) == set(ROLES)
DEFAULT_MAX_POINTS = 12
_URGENCY = {"emergency": 0, "urgent": 1, "soon": 2}
#: Complaint aspects and the point aspects that lie on the same surface.
ASPECT_MATCH: dict[str, frozenset[str]] = {
    "dorsal": frozenset({"dorsal", "posterior"}),
    "posterior": frozenset({"posterior", "dorsal"}),
    "palmar": frozenset({"palmar", "anterior"}),
    "anterior": frozenset({"anterior", "palmar"}),
    "medial": frozenset({"medial", "ulnar"}),
    "ulnar": frozenset({"ulnar", "medial"}),
    "lateral": frozenset({"lateral", "radial"}),
    "radial": frozenset({"radial", "lateral"}),
    "plantar": frozenset({"plantar"}),
    "superior": frozenset({"superior"}),
}
_MIDLINE = frozenset({"midline"})
_BOTH = frozenset({"left", "right"})
_CACHE_LIMIT = 200_000


@dataclass(frozen=True)
class Binding:
    """What "affected" means for one rule on one case: the complaints its condition matched."""

    regions: frozenset[str]
    aspects: frozenset[str]
    fingers: frozenset[int]
    toes: frozenset[int]
    side: frozenset[str]

    @classmethod
    def of(cls, view: CaseView, matched: Matched) -> Binding:
        complaints = [view.complaints[i] for i in sorted(matched)] or list(view.complaints)
        sides = {c.side for c in complaints}
        side = _BOTH if "both" in sides or len(sides) > 1 else frozenset(sides)
        aspects: set[str] = set()
        for c in complaints:
            if c.aspect:
                aspects |= ASPECT_MATCH.get(c.aspect, {c.aspect})
        fingers = {d for c in complaints if limb_of(c.region) == "arm" for d in c.digits}
        toes = {d for c in complaints if limb_of(c.region) == "leg" for d in c.digits}
        return cls(frozenset(c.region for c in complaints), frozenset(aspects), frozenset(fingers),
                   frozenset(toes), side)  # fmt: skip


@dataclass
class _Acc:
    point: Point
    score: float = 0.0
    supports: list[Support] = field(default_factory=list)
    sides: set[str] = field(default_factory=set)
    instances: list[str] = field(default_factory=list)
    principles: list[str] = field(default_factory=list)
    best: Support | None = None

    def add(self, support: Support) -> None:
        self.score += support.score
        self.supports.append(support)
        b = self.best
        if (
            b is None
            or support.score > b.score
            or (support.score == b.score and ROLE_RANK[support.role] < ROLE_RANK[b.role])
        ):
            self.best = support


class _Outputs(NamedTuple):
    plan: dict[str, Any]
    items: tuple[dict[str, Any], ...]
    conflicts: tuple[Conflict, ...]
    advice: tuple[Advice, ...]
    warnings: tuple[str, ...]


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
        self._per_fired: dict[tuple[int, ...], _Outputs] = {}
        self._why: dict[tuple[str, ...], str] = {}
        self._caution_index: dict[str, frozenset[str]] = {}
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
        fired = self.fired(view)
        refer = [r for r, _ in fired if r.rule.refer is not None]
        if refer:
            return self._referral(case, refer, fired)
        acc: dict[str, _Acc] = {}
        bindings: dict[Matched, Binding] = {}
        for rule, matched in fired:
            if rule.rule.select:
                binding = bindings.get(matched)
                if binding is None:
                    binding = bindings[matched] = Binding.of(view, matched)
                for i, sel in enumerate(rule.rule.select):
                    self._apply_select(acc, rule, i, sel, binding, view)
        warnings: list[str] = []
        excluded = self._apply_excludes(acc, fired, view, warnings)
        plan, items, all_conflicts, advice, rule_warnings = self._outputs(fired)
        limit = case.max_points or int(plan.get("max_points", self.max_points))
        if "max_points_cap" in plan:  # a safety cap that the case cannot lift
            limit = min(limit, int(plan["max_points_cap"]))
        ranked = sorted(acc.values(), key=_rank)
        chosen = [self._point_out(a) for a in ranked[:limit]]
        dropped = tuple(a.point.code for a in ranked[limit:])
        if dropped:
            warnings.append(
                f"{len(dropped)} further points were supported but left out to keep to {limit} points: {', '.join(dropped)}"
            )
        warnings.extend(rule_warnings)
        # A chosen point's own cautions travel with it (pregnancy is handled by its flag).
        for p in chosen:
            for c in p.cautions:
                if c != "pregnancy":
                    warnings.append(f"{p.code} {p.name}: {self._caution_titles[c]}")
        return Suggestion(
            case=case.id, status="suggested", points=tuple(chosen), excluded=tuple(excluded), plan=dict(plan),
            plan_items=items, advice=advice, conflicts=all_conflicts,
            warnings=tuple(dict.fromkeys(warnings)), referral=None,
            rules_fired=tuple(r.id for r, _ in fired), dropped=dropped,
        )  # fmt: skip

    def explain(self, case: Case | Mapping[str, Any], point: str) -> Explanation:
        """Why ``point`` was or was not suggested for ``case``: rules, queries, failed conditions."""
        from ._explain import explain

        return explain(self, case if isinstance(case, Case) else dict(case), point)

    def suggest_many(self, cases: Iterable[Case | Mapping[str, Any]]) -> Iterator[Suggestion]:
        """Suggestions for many cases, lazily, in order (constant memory)."""
        for case in cases:
            yield self.suggest(case)

    def fired(self, view: CaseView) -> list[tuple[CompiledRule, Matched]]:
        """The rules whose conditions hold for the case, with the complaints they matched."""
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
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[cache_key] = (found, how)
        return found, how

    def _code(self, text: str) -> str:
        base = self.catalog.resolve(text.split("@")[0])
        assert base is not None  # checked when the rules were loaded
        return f"{base}@{text.split('@', 1)[1]}" if "@" in text else base

    def _query(
        self, q: Query, rule: CompiledRule, b: Binding | None, view: CaseView | None
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
            order = {c: i for i, c in enumerate(rule.sets[q.among])}
            found = sorted((n for n in found if n in order), key=order.__getitem__)
            desc.append(f"among '{q.among}'")
        if q.limit is not None:
            found = found[: q.limit]
        return tuple(dict.fromkeys(found)), "points " + ", ".join(desc)

    def _apply_select(self, acc: dict[str, _Acc], rule: CompiledRule, i: int, sel: Select, b: Binding,
                      view: CaseView) -> None:  # fmt: skip
        if sel.tender_points:
            found = tuple(c for c in (self.catalog.resolve(t) for t in view.case.tender_points) if c)
            how = "the case's tender points"
        else:
            found, how = self.resolve(rule, sel, b, view, key=("s", i))
        if sel.side == "both":
            sides = _BOTH
        elif sel.side == "opposite":
            sides = (
                frozenset({"left": "right", "right": "left"}[s] for s in b.side) if b.side != _BOTH else _BOTH
            )
        else:
            sides = b.side
        score = ROLE_WEIGHT[sel.role] * sel.weight
        seen: set[str] = set()
        for node in found:
            code, _, inst = node.partition("@")
            a = acc.get(code)
            if a is None:
                a = acc[code] = _Acc(self._points[code])
            if inst and inst not in a.instances:
                a.instances.append(inst)
            if code in seen:
                continue
            seen.add(code)
            a.add(Support(rule.id, sel.role, score, how, rule.pack, rule.source_key))
            a.sides |= _MIDLINE if a.point.meridian in ("GV", "CV") else sides
            for pid in rule.rule.principles:
                if pid not in a.principles:
                    a.principles.append(pid)

    # -- exclusions -------------------------------------------------------------------
    def _apply_excludes(self, acc: dict[str, _Acc], fired: list[tuple[CompiledRule, Matched]], view: CaseView,
                        warnings: list[str]) -> list[ExcludedPoint]:  # fmt: skip
        out: list[ExcludedPoint] = []
        for rule, matched in fired:
            for i, ex in enumerate(rule.rule.exclude):
                for targets, side, place in self._targets(rule, i, ex, view, matched, warnings):
                    reason = ex.reason + (f" ({place})" if place else "")
                    hits = [t for t in targets if t.partition("@")[0] in acc]
                    for node in sorted(hits, key=lambda n: (self._points[n.partition("@")[0]].order, n)):
                        code, _, inst = node.partition("@")
                        a = acc.get(code)
                        if a is None:
                            continue
                        if inst:
                            # One place of a group point (Jiaji at L5): drop that place only.
                            if inst in a.instances:
                                a.instances.remove(inst)
                                out.append(
                                    ExcludedPoint(code, reason, rule.id, rule.source_key, "both", inst)
                                )
                                if not a.instances:
                                    del acc[code]
                            continue
                        gone = set(a.sides) if (side == "both" or a.sides == _MIDLINE) else (a.sides & {side})
                        if not gone:
                            continue
                        a.sides -= gone
                        label = "both" if gone >= _BOTH or gone == _MIDLINE else next(iter(gone))
                        out.append(ExcludedPoint(code, reason, rule.id, rule.source_key, label))
                        if not a.sides:
                            del acc[code]
        return out

    def _targets(self, rule: CompiledRule, i: int, ex: Exclude, view: CaseView, matched: Matched,
                 warnings: list[str]) -> list[tuple[set[str], str, str]]:  # fmt: skip
        base: set[str] | None = None
        if ex.points or ex.query is not None:
            found, _ = self.resolve(rule, ex, Binding.of(view, matched), view, key=("x", i))
            base = set(found)
        if ex.caution is not None:
            base = (base or set()) | set(self._caution_index.get(ex.caution, ()))
        if ex.flag is None:
            return [(base or set(), "both", "")]
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
            regions = {item.region} if item.region else set()
            if item.limb:
                regions |= UPPER_LIMB if item.limb == "arm" else LOWER_LIMB
            in_place = set(self.catalog.graph.in_region(sorted(regions), instances=True))
            place = (
                f"{item.side} {item.limb or item.region}"
                if item.side != "both"
                else f"{item.limb or item.region}"
            )
            out.append(((base & in_place) if base is not None else in_place, item.side, place))
        return out

    # -- plan, advice, referral -------------------------------------------------------
    def _outputs(self, fired: list[tuple[CompiledRule, Matched]]) -> _Outputs:
        """Plan, advice, conflicts and rule warnings: they depend only on which rules fired."""
        key = tuple(r.order for r, _ in fired)
        hit = self._per_fired.get(key)
        if hit is None:
            plan, items, plan_conflicts = self._plan(fired)
            advice, conflicts = self._advice(fired)
            warns = tuple(w for r, _ in fired for w in r.rule.warn)
            hit = _Outputs(plan, tuple(items), tuple(plan_conflicts + conflicts), tuple(advice), warns)
            if len(self._per_fired) > _CACHE_LIMIT:
                self._per_fired.clear()
            self._per_fired[key] = hit
        return hit

    def _plan(
        self, fired: list[tuple[CompiledRule, Matched]]
    ) -> tuple[dict[str, Any], list[dict[str, Any]], list[Conflict]]:
        plan: dict[str, Any] = {}
        setter: dict[str, CompiledRule] = {}
        items: list[dict[str, Any]] = []
        conflicts: list[Conflict] = []
        for rule, _ in fired:
            for item in rule.rule.plan:
                items.append(
                    {
                        "text": item.text,
                        "principles": list(item.principles),
                        "rule": rule.id,
                        "source": rule.source_key,
                    }
                )
                if item.key is None:
                    continue
                value = list(item.value) if isinstance(item.value, tuple) else item.value
                if item.key not in plan:
                    plan[item.key], setter[item.key] = value, rule
                    continue
                if plan[item.key] == value:
                    continue
                first = setter[item.key]
                if item.key in ("max_points", "max_points_cap"):
                    keep_new = int(value) < int(plan[item.key])  # type: ignore[arg-type]
                else:
                    keep_new = rule.rule.priority > first.rule.priority
                winner, loser = (rule, first) if keep_new else (first, rule)
                conflicts.append(Conflict(
                    about=item.key, between=(winner.id, loser.id),
                    detail=f"{winner.id} sets {item.key} to {value if keep_new else plan[item.key]!r}, over "
                           f"{loser.id}'s {plan[item.key] if keep_new else value!r}",
                ))  # fmt: skip
                if keep_new:
                    plan[item.key], setter[item.key] = value, rule
        return plan, items, conflicts

    def _advice(self, fired: list[tuple[CompiledRule, Matched]]) -> tuple[list[Advice], list[Conflict]]:
        advice = [Advice(a.text, a.principles, a.conflicts_with, r.id, r.source_key, a.about)
                  for r, _ in fired for a in r.rule.advice]  # fmt: skip
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
        return advice, conflicts

    def _referral(
        self, case: Case, refer: list[CompiledRule], fired: list[tuple[CompiledRule, Matched]]
    ) -> Suggestion:
        refer = sorted(
            refer, key=lambda r: (_URGENCY[r.rule.refer.urgency if r.rule.refer else "soon"], r.order)
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
            rules_fired=tuple(r.id for r, _ in fired),
        )  # fmt: skip

    def _point_out(self, a: _Acc) -> SuggestedPoint:
        best = a.best
        assert best is not None
        side = (
            "midline"
            if a.sides == _MIDLINE
            else ("both" if a.sides >= _BOTH else next(iter(a.sides - _MIDLINE)))
        )
        rules = tuple(dict.fromkeys(s.rule for s in a.supports))
        why = self._why.get(rules)
        if why is None:
            why = "; ".join(
                dict.fromkeys(
                    f"{self.rulebook[r].rule.summary} ({self.rulebook[r].source_key})" for r in rules
                )
            )
            self._why[rules] = why
        return SuggestedPoint(
            code=a.point.code, name=a.point.pinyin, meridian=a.point.meridian, side=side, role=best.role,
            score=round(a.score, 3), rules=rules, principles=tuple(a.principles), why=why,
            supports=tuple(a.supports), instances=tuple(a.instances), cautions=a.point.cautions,
        )  # fmt: skip


def _depends_on(sel: Select | Exclude, b: Binding | None, view: CaseView | None) -> tuple[Any, ...]:
    """The parts of the case a selection's result depends on: its cache key.

    Named points and sets depend on nothing; a query on the "affected" regions, aspects,
    digits and the compressed levels only when it asks for them. The side never changes
    which points are found, so it is not part of the key.
    """
    q = sel.query
    if q is None or b is None:
        return ()
    return (
        b.regions if "affected" in (q.region, q.through) or q.digits else None,
        b.aspects if q.aspect == "affected" else None,
        (b.fingers, b.toes) if q.digits else None,
        view.levels if (q.levels == "compressed" and view is not None) else None,
    )


def _rank(a: _Acc) -> tuple[float, int, int]:
    return (-a.score, ROLE_RANK[a.best.role] if a.best else 0, a.point.order)


def suggest(case: Case | Mapping[str, Any]) -> Suggestion:
    """Suggest points with the default engine: ``acupoints.suggest(case)``."""
    return Engine.default().suggest(case)
