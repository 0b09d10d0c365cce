"""A complaint's aspect on which the catalogue has nothing: say so in the result.

The case format accepts every aspect word on every region where it names a side (the
arm's and the foot's own words aside, which :attr:`.Case.aspect_warnings` reads). Some
of those sides carry no point and no channel's course in the catalogue: the medial side
of the scapula, the lateral side of the lower back, the superior side of the ankle. A
selection that reads a complaint's aspect finds nothing there, so such a complaint
quietly gets fewer points than the same complaint without an aspect. The result says
so, with the sides of the region that do have a point or a channel, so that the aspect
can be given again (or left out). The table is worked out once per engine, from its
catalogue; a case pays one lookup per complaint with an aspect.

>>> from acupoints import Case, Catalog
>>> table = unreached_aspects(Catalog.default())
>>> case = Case.from_dict({"complaints": [{"region": "scapula", "aspect": "medial", "sensations": ["pain"]}]})
>>> aspect_reach_warnings(case, table)[0][:70]
"complaints[0].aspect: no point lies on the scapula's medial side and n"
"""

from __future__ import annotations

from collections.abc import Mapping

from ..base.vocab import ASPECTS, REGIONS, aspect_unreached
from ..case.model import Case
from ..catalog.catalog import Catalog

__all__ = ["aspect_reach_warnings", "unreached_aspects"]


def unreached_aspects(catalog: Catalog) -> dict[tuple[str, str], str]:
    """Every (region, aspect) of the case format on whose surface ``catalog`` has no point
    and no channel crossing, with what to say of it (:func:`.vocab.aspect_unreached`)."""
    out: dict[tuple[str, str], str] = {}
    for region in REGIONS:
        sides = catalog.sides_of(region)
        for aspect in ASPECTS:
            said = aspect_unreached(region, aspect, sides)
            if said is not None:
                out[(region, aspect)] = said
    return out


def aspect_reach_warnings(case: Case, table: Mapping[tuple[str, str], str]) -> tuple[str, ...]:
    """One warning for each complaint of ``case`` whose aspect ``table`` holds, placed at
    the complaint, in the order of the complaints."""
    out = []
    for i, c in enumerate(case.complaints):
        if c.aspect is not None:
            said = table.get((c.region, c.aspect))
            if said is not None:
                out.append(f"complaints[{i}].aspect: {said}")
    return tuple(out)
