"""Red-flag words in a case's free-text notes: warn that notes are never read for red flags.

The engine decides only from ``red_flags``; a note such as "saddle numbness since
Tuesday" changes nothing. A clinician who wrote it may believe it was taken into
account, so a result whose notes name a red flag that ``red_flags`` does not hold warns,
and names the flag to set. The words are matched whole and without regard to case; a
negated mention ("no bladder trouble") warns too, because the notes are not understood,
only searched. Only a case with notes pays for the search (one regular expression).

>>> from acupoints import Case
>>> case = Case.from_dict({"complaints": [{"region": "foot", "sensations": ["numbness"]}],
...                        "notes": "Reports saddle numbness and new bladder urgency."})
>>> for w in notes_warnings(case.notes, case.red_flags):
...     print(w)
the notes mention 'saddle', but notes are not read for red flags: if the patient has it, set red_flags: [saddle_anesthesia]
the notes mention 'bladder', but notes are not read for red flags: if the patient has it, set red_flags: [bladder_dysfunction]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ..base.vocab import RED_FLAGS

__all__ = ["NOTE_WORDS", "notes_warnings"]

#: The words (matched whole, any case) that name each red flag of the case format. A
#: word may name more than one flag ("incontinence": bladder or bowel). They are the
#: plain words a note would use for the flag, not a clinical definition of it.
NOTE_WORDS: Mapping[str, tuple[str, ...]] = {
    "saddle_anesthesia": ("saddle", "perineal", "perineum"),
    "bladder_dysfunction": ("bladder", "urinary", "urine", "incontinence", "incontinent"),
    "bowel_dysfunction": ("bowel", "bowels", "faecal", "fecal", "incontinence", "incontinent"),
    "progressive_weakness": ("progressive", "progressing", "getting weaker", "increasingly weak"),
    "bilateral_leg_symptoms": ("both legs", "bilateral"),
    "gait_disturbance": ("gait", "unsteady", "ataxia", "ataxic"),
    "fever": ("fever", "feverish", "febrile", "pyrexia"),
    "unexplained_weight_loss": ("weight loss", "losing weight", "lost weight"),
    "cancer_history": ("cancer", "malignancy", "malignant", "tumour", "tumor", "metastases", "metastatic"),
    "major_trauma": ("trauma", "accident", "fracture", "fractured"),
}
assert set(NOTE_WORDS) <= set(RED_FLAGS), set(NOTE_WORDS) - set(RED_FLAGS)

_FLAGS_OF: dict[str, tuple[str, ...]] = {}
for _flag, _words in NOTE_WORDS.items():
    for _word in _words:
        _FLAGS_OF[_word] = (*_FLAGS_OF.get(_word, ()), _flag)
# Longest first, so "both legs" is found whole; a space in a phrase matches any blanks.
_PATTERN = re.compile(
    r"\b(?:"
    + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(_FLAGS_OF, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_BLANKS = re.compile(r"\s+")


def notes_warnings(notes: str | None, red_flags: Iterable[str] = ()) -> tuple[str, ...]:
    """One warning for each red flag the ``notes`` mention and ``red_flags`` does not hold,
    in the order they are first mentioned."""
    if not notes:
        return ()
    held = set(red_flags)
    named: dict[str, str] = {}  # flag -> the first word that named it
    for match in _PATTERN.finditer(notes):
        word = _BLANKS.sub(" ", match.group(0).lower())
        for flag in _FLAGS_OF[word]:
            if flag not in held and flag not in named:
                named[flag] = match.group(0)
    return tuple(
        f"the notes mention {word!r}, but notes are not read for red flags: "
        f"if the patient has it, set red_flags: [{flag}]"
        for flag, word in named.items()
    )
