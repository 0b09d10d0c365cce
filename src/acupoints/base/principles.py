"""The principle ids of the source documents (restated in the project's PRINCIPLES list).

``kind`` says where a principle belongs: ``rule`` (the point set), ``plan`` or ``advice``.
"""

from __future__ import annotations

__all__ = ["DOCUMENTS", "PRINCIPLES", "SUMMARIES", "principles_of_kind"]


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

#: What each principle says, in a few words (the views' legends explain the ids with
#: these; the full statements are in the project's PRINCIPLES list).
SUMMARIES: dict[str, str] = {
    "P1": "in scope: peripheral neuropathy from compression, diabetes, chemotherapy or HIV",
    "P2": "local first: tender or numb points of the affected limb or nearby reflex areas",
    "P3": "where tenderness is slight, the commonly sensitive points of the area",
    "P4": "root compression: GV and BL points at the compressed spinal level",
    "P5": "forearm or back-of-hand pain or numbness: points on the outer (Yang) arm",
    "P6": "numb fingers: points on the inner (Yin) forearm or wrist",
    "P7": "cervical compression: BL10, GV14 or SI15 with tender points of the back of the neck",
    "P8": "numb top of the foot or ankle: points on the front and outer leg and foot",
    "P9": "numb sole: points on the inner leg and foot",
    "P10": "lumbosacral compression: GV3, BL32 and the like with tender points there",
    "P11": "distal to proximal: finger pain may be treated with points of the forearm",
    "P12": "muscular causes: motor points of weak muscles, trigger points released",
    "T1": "retain the needles 30 minutes after De Qi, with infrared",
    "T2": "sessions of 15 to 90 minutes with 6 to 40 needles",
    "T3": "several sessions a week at first, then fewer",
    "T4": "whether it helps shows within 3 to 5 sessions",
    "T5": "manual acupuncture or electroacupuncture",
    "T6": "adjuncts: cupping, gua sha, trigger point therapy",
    "T7": "if it gets worse: fewer needles or shorter sessions",
    "T8": "what to ask at intake",
    "T9": "what the expected relief depends on",
    "T10": "for a compression, the outcome depends on its cause",
    "A1": "rest, avoid what worsens it, sit well at a computer",
    "A2": "carpal tunnel: a wrist brace at night",
    "A3": "pinched nerve in the neck: no neck brace",
    "A4": "heat or ice packs, 10 to 15 minutes, several times a day",
    "A5": "after a session: rest for 24 hours, no ice on the pain points",
    "A6": "home care for neuropathy: diet, massage, warmth, sleep, gentle exercise",
    "A7": "peripheral neuropathy and radiculopathy differ but their symptoms overlap",
    "A8": "see a licensed acupuncturist and talk with a doctor first",
}


def principles_of_kind(kind: str) -> list[str]:
    """The ids of one kind, in order.

    >>> principles_of_kind("rule")[:3]
    ['P1', 'P2', 'P3']
    """
    return [pid for pid, (k, _) in PRINCIPLES.items() if k == kind]
