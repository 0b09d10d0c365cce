"""What a plan or advice line offers: the treatments a safety rule may forbid.

A line offers what it declares (``techniques: [cupping]``, or a text ``without`` it), what
its plan setting turns on
(``key: electroacupuncture, value: true``; ``value: [manual, electroacupuncture]``), and
what its text names (``Use infrared radiation``). The text is read too, so that a pack
whose author forgot to declare a treatment cannot slip it past a flag: the safety fails
closed. A rule's own lines do not offer what the rule itself forbids (``No
electroacupuncture: ...`` is a prohibition, not an offer).

>>> from acupoints.rulebook.schema import PlanItem
>>> sorted(offers(PlanItem(text="Adjuncts: cupping and gua sha; trigger point therapy.")))
['cupping', 'gua_sha']
>>> sorted(offers(PlanItem(key="infrared", value=True, text="During the retention.")))
['infrared']
>>> sorted(offers(PlanItem(text="No infrared on insensate feet."), forbidden=("infrared",)))
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..base.vocab import TECHNIQUES
from .schema import AdviceItem, PlanItem

__all__ = ["WORDS", "named_in", "offers"]

#: How a text names each treatment (case is ignored). Heat is any heat on the skin: hot
#: baths and packs, a sauna, moxibustion.
WORDS: dict[str, re.Pattern[str]] = {
    "electroacupuncture": re.compile(r"electro-?\s?acupuncture|electrodes? on the needles", re.IGNORECASE),
    "infrared": re.compile(r"infra-?\s?red|heat lamp|TDP lamp", re.IGNORECASE),
    "heat": re.compile(
        r"\bheat\b|\bheating\b|\bwarmth\b|\bhot (?:bath|baths|water|pack|packs|compress)|\bsauna|moxibustion|\bmoxa\b",
        re.IGNORECASE,
    ),
    "cupping": re.compile(r"\bcupping\b|\bcups\b", re.IGNORECASE),
    "gua_sha": re.compile(r"gua[\s_-]?sha|scraping", re.IGNORECASE),
}
assert set(WORDS) == set(TECHNIQUES)


def named_in(text: str) -> frozenset[str]:
    """The treatments a text names."""
    return frozenset(t for t, pattern in WORDS.items() if pattern.search(text))


def offers(item: PlanItem | AdviceItem, forbidden: Iterable[str] = ()) -> frozenset[str]:
    """The treatments a plan or advice line offers; ``forbidden``: what its own rule forbids."""
    found = set(item.techniques) | set(item.without)
    if isinstance(item, PlanItem) and item.key is not None:
        value = item.value
        if item.key in WORDS and value not in (False, None, 0, ""):
            found.add(item.key)
        words = value if isinstance(value, tuple) else (value,)
        found |= {w for w in words if isinstance(w, str) and w in WORDS}
    found |= named_in(item.text)
    # A treatment the line declares counts even if its own rule forbids it: fail closed.
    return frozenset((found - set(forbidden)) | set(item.techniques) | set(item.without))
