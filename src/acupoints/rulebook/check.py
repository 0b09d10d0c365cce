"""The checks a rule file needs beyond its schema: names that must exist, conditions that
can never hold, priorities that try to undo a safety decision.
:func:`acupoints.rulebook.book.load_rulebook` runs them on every file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..base.errors import Problem, UnknownWordError
from ..base.principles import PRINCIPLES
from ..base.vocab import closest, same_surface
from ..catalog.catalog import Catalog
from ..catalog.knowledge import Knowledge
from ..io.yaml import Document
from .query_keys import SOURCE_WORDS, WHY_UNUSED, query_source, unused_keys
from .registry import CONDITIONS
from .schema import Condition, Exclude, Query, Rule, Select, TenderWhere

__all__ = ["Checker"]


class Checker:
    """Cross-file checks: codes, sets, sources, principles, ids, impossible conditions.

    Each check adds its problems, with their file positions, to :attr:`problems`.
    """

    def __init__(self, catalog: Catalog, safety_keys: Callable[[], Mapping[str, int]] | None = None) -> None:
        self.catalog = catalog
        self.problems: list[Problem] = []
        self.resolved: dict[str, str | None] = {}
        #: The plan keys the safety pack sets, each with its lowest priority (read on
        #: first need: most files set no plan key with a priority).
        self.safety_keys = safety_keys or dict

    def add(
        self, doc: Document, loc: tuple[Any, ...], code: str, message: str, severity: str = "error"
    ) -> None:
        line, col = doc.where(loc)
        self.problems.append(Problem(doc.path, line, col, code, message, severity))

    def code(self, doc: Document, loc: tuple[Any, ...], text: str) -> str | None:
        base = text.split("@")[0]
        # Large rulebooks name the same points again and again: resolve each spelling once.
        resolved = self.resolved.get(base, "")
        if resolved == "":
            resolved = self.resolved[base] = self.catalog.resolve(base)
        if resolved is None:
            near = self.catalog.suggest_codes(base, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            self.add(doc, loc, "unknown-point", f"unknown point code '{text}'{hint}")
            return None
        if "@" in text:
            key = text.split("@", 1)[1]
            point = self.catalog[resolved]
            keys = [i.key for i in point.instances]
            if key not in keys:
                near_key = closest(key, keys)
                hint = f" (did you mean '{resolved}@{near_key}'?)" if near_key else ""
                self.add(doc, loc, "unknown-point", f"{resolved} has no instance '{key}'{hint}")
                return None
            return f"{resolved}@{key}"
        return resolved

    def codes(self, doc: Document, loc: tuple[Any, ...], texts: Sequence[str]) -> tuple[str, ...]:
        out = [self.code(doc, loc + (i,), t) for i, t in enumerate(texts)]
        return tuple(c for c in out if c is not None)

    def principles(self, doc: Document, loc: tuple[Any, ...], ids: Sequence[str]) -> None:
        for j, pid in enumerate(ids):
            if pid not in PRINCIPLES:
                near = closest(pid, list(PRINCIPLES))
                hint = f" (did you mean '{near}'?)" if near else ""
                self.add(
                    doc, loc + ("principles", j), "unknown-principle", f"unknown principle id '{pid}'{hint}"
                )

    def set_name(
        self, doc: Document, loc: tuple[Any, ...], name: str, sets: dict[str, tuple[str, ...]]
    ) -> None:
        if name in sets:
            return
        near = closest(name, list(sets))
        hint = f" (did you mean '{near}'?)" if near else ""
        known = f"; this file's sets: {', '.join(sets)}" if sets else "; this file defines no sets"
        self.add(doc, loc, "unknown-set", f"unknown set '{name}'{hint}{known}")

    def meridians(self, doc: Document, loc: tuple[Any, ...], names: Sequence[str]) -> None:
        known = list(self.catalog.meridians)
        for i, m in enumerate(names):
            if m not in known:
                near = closest(m, known)
                hint = f" (did you mean '{near}'?)" if near else ""
                self.add(
                    doc,
                    loc + (i,),
                    "unknown-meridian",
                    f"unknown meridian '{m}'{hint}; allowed: {', '.join(known)}",
                )

    def query(self, doc: Document, loc: tuple[Any, ...], q: Query, sets: dict[str, tuple[str, ...]]) -> None:
        if q.meridians:
            self.meridians(doc, loc + ("meridians",), q.meridians)
        if q.groups:
            for i, g in enumerate(q.groups):
                p = self.code(doc, loc + ("groups", i), g)
                if p is not None and not self.catalog[p].instances:
                    self.add(doc, loc + ("groups", i), "not-a-group", f"{p} has no instances to select")
        if q.neighbours_of:
            self.codes(doc, loc + ("neighbours_of",), q.neighbours_of)
        if q.among is not None:
            self.set_name(doc, loc + ("among",), q.among, sets)
        if isinstance(q.aspect, tuple) and isinstance(q.region, tuple):
            self.aspects_in(doc, loc + ("aspect",), q.region, q.aspect)
        unused = unused_keys(q)
        if unused:
            source = query_source(q)
            for key in unused:
                self.add(
                    doc,
                    loc + (key,),
                    "key-unused",
                    f"'{key}' changes nothing here: this query takes its points {SOURCE_WORDS[source]}, "
                    f"which does not read it ({WHY_UNUSED[key]}); "
                    "leave it out, or say what it should narrow",
                    severity="warning",
                )
        for i, name in enumerate(q.category or ()):
            try:
                Knowledge.default().category(name)
            except UnknownWordError as exc:
                self.add(doc, loc + ("category", i), "unknown-category", str(exc))

    def aspects_in(
        self, doc: Document, loc: tuple[Any, ...], regions: Sequence[str], aspects: Sequence[str]
    ) -> None:
        """A rule's written aspects (a query's, a tender-points filter's) are the catalogue's
        words and are read as written (only a complaint's aspect is widened to its surface):
        an aspect that no point of the written regions lies on keeps nothing there, which
        for an exclusion means it leaves out nothing. The hint is a word for the same
        surface that is there."""
        present = self.catalog.aspects_in(regions)  # (the graph is not built to load rules)
        for i, aspect in enumerate(aspects):
            if aspect in present:
                continue
            there = sorted(present)
            near = sorted({x for r in regions for x in same_surface(aspect, r)} & present)
            guess = near[0] if near else closest(aspect, there)
            hint = f" (did you mean '{guess}'?)" if guess else ""
            self.add(
                doc,
                loc + (i,),
                "aspect-not-in-region",
                f"no point of {'/'.join(regions)} lies on the {aspect} aspect{hint}: a rule's aspects are the "
                "catalogue's words, read as written, and the points there lie on: "
                f"{', '.join(there) or 'none'}",
            )

    def impossible(self, doc: Document, loc: tuple[Any, ...], cond: Condition) -> None:
        """Report the parts of a condition that no case can satisfy (each kind says which)."""
        for place, why in CONDITIONS.never_true(cond):
            self.add(doc, loc + place, "never-true", why)

    def select(
        self, doc: Document, loc: tuple[Any, ...], sel: Select, sets: dict[str, tuple[str, ...]]
    ) -> None:
        """Check a selection's points, set and query."""
        if sel.points:
            self.codes(doc, loc + ("points",), sel.points)
        if sel.one_of:
            self.codes(doc, loc + ("one_of",), sel.one_of)
        if sel.set is not None:
            self.set_name(doc, loc + ("set",), sel.set, sets)
        if sel.query is not None:
            self.query(doc, loc + ("query",), sel.query, sets)
        where = sel.tender_points
        if isinstance(where, TenderWhere) and where.region and where.aspect and not where.limb:
            self.aspects_in(doc, loc + ("tender_points", "aspect"), where.region, where.aspect)

    def exclude(
        self,
        doc: Document,
        loc: tuple[Any, ...],
        ex: Exclude,
        sets: dict[str, tuple[str, ...]],
        cautions: set[str],
    ) -> None:
        """Check an exclusion's points, caution and query."""
        if ex.points:
            self.codes(doc, loc + ("points",), ex.points)
        if ex.caution is not None and ex.caution not in cautions:
            near = closest(ex.caution, sorted(cautions))
            hint = f" (did you mean '{near}'?)" if near else ""
            self.add(
                doc,
                loc + ("caution",),
                "unknown-caution",
                f"unknown caution '{ex.caution}'{hint}; allowed: {', '.join(sorted(cautions))}",
            )
        if ex.query is not None:
            self.query(doc, loc + ("query",), ex.query, sets)

    def priority(self, doc: Document, loc: tuple[Any, ...], rule: Rule) -> None:
        """Warn about a rule outside the safety pack whose priority tries to win a plan
        setting the safety pack makes: safety settings win whatever the priority."""
        if not rule.priority or not any(item.key is not None for item in rule.plan):
            return
        keys = self.safety_keys()
        for item in rule.plan:
            at = keys.get(item.key) if item.key is not None else None
            if at is not None and rule.priority >= at:
                self.add(
                    doc,
                    loc + ("priority",),
                    "priority-over-safety",
                    f"rule '{rule.id}' sets '{item.key}' with priority {rule.priority}, but where a safety "
                    f"rule sets '{item.key}' its value stands whatever the priority: no priority can undo "
                    "a safety decision",
                    severity="warning",
                )
                return
