"""The principle ids of the source documents (restated in the project's PRINCIPLES list).

``kind`` says where a principle belongs: ``rule`` (the point set), ``plan`` or ``advice``.
"""

from __future__ import annotations

__all__ = ["DOCUMENTS", "PRINCIPLES", "principles_of_kind"]


DOCUMENTS: dict[str, str] = {
    "D0": "Relief at Your Fingertips and Toes: Acupuncture as an Effective Treatment for a Pinched Nerve",
    "D1": "Acupuncture: An Effective Pinched Nerve Treatment",
    "D2": "Acupuncture for nerve pain",
    "D3": "Understanding and Treating Peripheral Neuropathy with Acupuncture",
    "D4": "Acupuncture for Neuropathy: Does it Help Nerve Pain?",
}

#: id -> (kind, documents)
PRINCIPLES: dict[str, tuple[str, tuple[str, ...]]] = {
    **{f"P{i}": ("rule", ("D3",)) for i in range(1, 11)},
    "P11": ("rule", ("D4",)),
    "P12": ("rule", ("D0", "D1")),
    "T1": ("plan", ("D3",)),
    "T2": ("plan", ("D4",)),
    "T3": ("plan", ("D4",)),
    "T4": ("plan", ("D4", "D1")),
    "T5": ("plan", ("D4",)),
    "T6": ("plan", ("D0", "D1")),
    "T7": ("plan", ("D4",)),
    "T8": ("plan", ("D4",)),
    "T9": ("plan", ("D4",)),
    "T10": ("plan", ("D3", "D0")),
    "A1": ("advice", ("D1",)),
    "A2": ("advice", ("D1",)),
    "A3": ("advice", ("D1",)),
    "A4": ("advice", ("D1",)),
    "A5": ("advice", ("D4",)),
    "A6": ("advice", ("D4",)),
    "A7": ("advice", ("D0",)),
    "A8": ("advice", ("D2", "D4")),
}


def principles_of_kind(kind: str) -> list[str]:
    """The ids of one kind, in order.

    >>> principles_of_kind("rule")[:3]
    ['P1', 'P2', 'P3']
    """
    return [pid for pid, (k, _) in PRINCIPLES.items() if k == kind]
