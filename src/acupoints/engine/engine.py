"""The engine: a case in, a :class:`Suggestion` out. Pure: no I/O, no printing, no state.

Multi-match semantics (also in the docs):

1. Every rule whose condition holds contributes (rules are tried in file order; an index
   by what each condition needs of a case skips rules that cannot hold).
2. If any firing rule refers the case, the result is ``status: refer`` with no points.
3. Each selection adds ``role weight x selection weight`` to each point it finds; a point's
   score is the sum over every selection that found it, its role that of its largest part.
4. Exclusions always win over selections, whichever rule made them.
5. Points are ranked by score, then role (local, segmental, distal, complementary,
   adjunct), then catalogue order; the list is cut at the plan's ``max_points`` (the case
   may set its own), never above a safety rule's ``max_points_cap``, each affected region
   taking at most its share of the places while points elsewhere wait.

The shipped safety pack is always in force: an engine adds it to any rule book it is
given that lacks it (:func:`~acupoints.rulebook.book.with_safety`), whatever the paths,
packs or arguments that built the book.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..case.model import Case
from ..catalog.catalog import Catalog
from ..rulebook.book import CompiledRule, RuleBook, load_rulebook, shipped_rules, with_safety
from ..rulebook.conditions import CaseView, Matched
from ..rulebook.schema import Exclude, Select
from .aspects import aspect_reach_warnings, unreached_aspects
from .binding import Binding
from .exclusion import Exclusions
from .explain import Explanation, explain
from .fired import FiredPlans
from .notes import notes_warnings
from .outputs import Assembler, referral
from .provenance import Provenance, provenance_of
from .ranking import CODE, DEFAULT_MAX_POINTS, ROLE_RANK, ROLE_WEIGHT, Ranker, limit_of
from .result import Suggestion
from .selection import Finder
from .selection_cache import SelectionCache
from .suggestion import Builder
from .tender import TenderPoints

__all__ = ["DEFAULT_MAX_POINTS", "ROLE_RANK", "ROLE_WEIGHT", "Engine", "suggest"]


class Engine:
    """Evaluates a rulebook over the meridian graph.

    Each step of :meth:`suggest` is one part of the engine, with its own module:
    which rules fire (the rulebook's index and tests), what that set of rules implies
    (:mod:`.fired`), the points each selection finds (:mod:`.selection`,
    :mod:`.selection_cache`, :mod:`.query`, :mod:`.among`), what the exclusions leave out
    (:mod:`.exclusion`), ranking and the cut (:mod:`.ranking`), plan and advice
    (:mod:`.outputs`), the warnings about the case (its notes: :mod:`.notes`; aspects on
    which the catalogue has nothing: :mod:`.aspects`), and the result (:mod:`.suggestion`).

    >>> from acupoints import Engine
    >>> engine = Engine.default()
    >>> s = engine.suggest({"complaints": [{"region": "forearm", "aspect": "dorsal", "sensations": ["numbness"]}]})
    >>> s.status, "TE5" in s.codes
    ('suggested', True)

    Every engine holds the shipped safety pack, whatever rule book it is built from.
    """

    _default: Engine | None = None
    _lock = threading.Lock()

    def __init__(
        self, rulebook: RuleBook, catalog: Catalog | None = None, max_points: int = DEFAULT_MAX_POINTS
    ) -> None:
        self.catalog = catalog = catalog or Catalog.default()
        self.rulebook = rulebook = with_safety(rulebook, catalog)
        self.max_points = max_points
        finder = self._finder = Finder(rulebook, catalog)
        self._tender = TenderPoints(catalog, finder.order, finder.midline)
        self._selections = SelectionCache(finder, self._tender)
        self._exclusions = Exclusions(catalog, finder)
        self._plans = FiredPlans(rulebook, finder, Assembler(rulebook))
        self._ranker = Ranker(rulebook, catalog)
        self._builder = Builder(catalog)
        #: The aspects of regions on which the catalogue has no point or channel (see :mod:`.aspects`).
        self._unreached = unreached_aspects(catalog)
        #: Which engine this is, on every result it makes (see :mod:`.provenance`).
        self.provenance: Provenance = provenance_of(rulebook, catalog)

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
        """An engine over the rule files or folders given (default: the shipped ones);
        ``packs`` keeps only those packs (an unknown name is an error). The shipped safety
        pack is added whatever the paths and packs; to keep every shipped pack and add
        your own on top, use :meth:`with_packs`."""
        catalog = catalog or Catalog.default()
        return cls(load_rulebook(list(paths) if paths else None, catalog, packs), catalog)

    @classmethod
    def with_packs(cls, *paths: str | Path, catalog: Catalog | None = None) -> Engine:
        """Every shipped pack, with the rule files or folders given on top: the usual way
        to use a pack of your own.

        >>> from acupoints import Engine
        >>> Engine.with_packs().rulebook.packs
        ('documents', 'library', 'classical', 'evidence', 'safety')
        """
        catalog = catalog or Catalog.default()
        return cls(load_rulebook([shipped_rules(), *paths], catalog), catalog)

    # -- the one public action -----------------------------------------------------
    def suggest(self, case: Case | Mapping[str, Any]) -> Suggestion:
        """Suggest points for a case (a :class:`Case` or a mapping in the case format)."""
        if not isinstance(case, Case):
            case = Case.from_dict(case)
        view = CaseView.of(case)
        if case.__dict__["tender_points"]:
            self._tender.check(case)
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
        info = self._plans.of(bits)
        # Notes are never read for red flags; say so when they name one (see notes.py).
        noted = notes_warnings(case.notes, case.red_flags) if case.notes else ()
        # An aspect the catalogue has nothing on: said before the notes, referred or not.
        unreached = aspect_reach_warnings(case, self._unreached)
        if unreached:
            noted = unreached + noted
        if info.refer is not None:
            return referral(case, info.refer, info.ids, noted, self.provenance)
        acc = self._selections.totals(info.selecting, matched_by, view)
        # What reading the case's diagnosis codes noticed comes first, then its notes.
        warnings = [p.message for p in case.diagnosis_warnings] if case.__dict__["diagnoses"] else []
        warnings += case.aspect_warnings  # an aspect its region has no side of: how it is read
        warnings += noted
        excluded = (
            self._exclusions.apply(acc, info.excluding, matched_by, view, warnings) if info.excluding else []
        )
        out = info.outputs
        limit = limit_of(case.max_points, self.max_points, out.max_points, out.cap)
        # Each complaint's region gets its share of the places (only a cut needs them).
        regions = frozenset([f.region for f in view.facts]) if len(acc) > limit else frozenset()
        chosen, rest = self._ranker.cut(acc, limit, regions)
        dropped = tuple([a[CODE] for a in rest])
        alternatives = self._ranker.alternatives(rest) if rest else ()
        return self._builder.suggested(case, info.ids, out, chosen, dropped, limit, excluded, warnings,
                                       alternatives, self.provenance)  # fmt: skip

    def explain(self, case: Case | Mapping[str, Any], point: str) -> Explanation:
        """Why ``point`` was or was not suggested for ``case``: rules, queries, failed conditions."""
        return explain(self, case, point)

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

    def resolve(self, rule: CompiledRule, sel: Select | Exclude, binding: Binding | None, view: CaseView | None,
                key: Any = None) -> tuple[tuple[str, ...], str]:  # fmt: skip
        """The nodes a selection (or exclusion target) finds, and how it found them."""
        return self._finder.resolve(rule, sel, binding, view, key)

    def find_all(
        self, rule: CompiledRule, sel: Select | Exclude, view: CaseView, matched: Matched
    ) -> tuple[tuple[str, ...], str]:
        """What a selection finds on this case, each affected complaint on its own (the
        plain meaning the engine's caches stand in for), and how it found it."""
        return self._finder.find_all(rule, sel, view, matched)


def suggest(case: Case | Mapping[str, Any]) -> Suggestion:
    """Suggest points with the default engine: ``acupoints.suggest(case)``."""
    return Engine.default().suggest(case)
