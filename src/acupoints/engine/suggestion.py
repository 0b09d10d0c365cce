"""The result of a case that gets points: the chosen points with everything said about them.

The warnings come in a fixed order: those of the case's diagnosis codes, those of an
aspect a complaint's region has no side of (:attr:`.Case.aspect_warnings`) or on which the
catalogue has nothing (:mod:`.aspects`), those about the case's notes (a red flag named in
free text, see :mod:`.notes`), those of the exclusions, why there are no points (when none
is chosen), the cut (how many supported points were left out), the fired rules', then
each chosen point's own cautions; each once. The plan's lists are copied, so changing
one result never changes another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .provenance import Provenance
from .result import Alternative, ExcludedPoint, SuggestedPoint, Suggestion, build

if TYPE_CHECKING:
    from ..case.model import Case
    from ..catalog.catalog import Catalog
    from .outputs import Outputs

__all__ = ["NONE_CHOSEN", "NONE_EXCLUDED", "Builder"]

#: Said when no rule chose a point: a result with no points is never left unexplained.
NONE_CHOSEN = (
    "no point is suggested: no rule chooses points for these complaints as they are given "
    "(their regions, aspects and sensations); tender points, a cause, a nerve or the levels of a "
    "compressed root give the rules more to go on"
)
#: Said when the rules chose points and exclusions left out every one of them.
NONE_EXCLUDED = (
    "no point is suggested: an exclusion left out every point the rules chose (see the excluded "
    "points and the reason for each)"
)


class Builder:
    """Makes the :class:`Suggestion` of a case with points, over one catalogue."""

    def __init__(self, catalog: Catalog) -> None:
        self._points = {p.code: p for p in catalog}
        self._caution_titles = {c.id: c.title.lower() for c in catalog.cautions.values()}
        #: A point's own cautions as warnings, once per point.
        self._point_warnings: dict[str, tuple[str, ...]] = {}

    def suggested(self, case: Case, rules_fired: tuple[str, ...], out: Outputs, chosen: list[SuggestedPoint],
                  dropped: tuple[str, ...], limit: int, excluded: list[ExcludedPoint],
                  warnings: list[str], alternatives: tuple[Alternative, ...],
                  engine: Provenance) -> Suggestion:  # fmt: skip
        """The result: ``warnings`` holds those of the diagnoses, the notes and the
        exclusions (and is added to)."""
        if not chosen:
            warnings.append(NONE_EXCLUDED if excluded else NONE_CHOSEN)
        if dropped:
            warnings.append(
                f"{len(dropped)} further points were supported but left out to keep to {limit} points: {', '.join(dropped)}"
            )
        warnings += out.warnings
        # A chosen point's own cautions travel with it (pregnancy is handled by its flag).
        for p in chosen:
            if p.cautions:
                warnings += self.cautions_of(p.code)
        # The result's own plan: its lists are copies, never the shared ones.
        own_plan = out.plan.copy()
        for k in out.lists:
            own_plan[k] = own_plan[k][:]
        return build(Suggestion, {
            "case": case.id, "status": "suggested", "points": tuple(chosen), "excluded": tuple(excluded),
            "plan": own_plan, "plan_items": out.items, "advice": out.advice, "conflicts": out.conflicts,
            "warnings": tuple(dict.fromkeys(warnings)) if warnings else (), "referral": None,
            "rules_fired": rules_fired, "dropped": dropped, "alternatives": alternatives, "engine": engine,
            "_shared_json": out.json,
        })  # fmt: skip

    def cautions_of(self, code: str) -> tuple[str, ...]:
        """A point's own cautions as warnings (pregnancy is handled by its flag)."""
        hit = self._point_warnings.get(code)
        if hit is None:
            p = self._points[code]
            hit = tuple(
                f"{p.code} {p.pinyin}: {self._caution_titles[c]}" for c in p.cautions if c != "pregnancy"
            )
            self._point_warnings[code] = hit
        return hit
