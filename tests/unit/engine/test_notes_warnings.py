"""Free-text notes that name a red flag: the result warns that notes are not read for
red flags, and names the flag to set."""

from __future__ import annotations

import time
from typing import Any

import pytest

from acupoints import Engine, suggest
from acupoints.base.vocab import RED_FLAGS
from acupoints.engine.notes import NOTE_WORDS, notes_warnings

FOOT = [{"region": "foot", "sensations": ["numbness"]}]


def case(**fields: Any) -> dict[str, Any]:
    return {"complaints": FOOT, **fields}


def warned_flags(warnings: tuple[str, ...]) -> list[str]:
    return [w.rsplit("[", 1)[1].rstrip("]") for w in warnings if "notes are not read" in w]


def test_saddle_numbness_in_notes_warns_and_names_the_flag() -> None:
    s = suggest(case(notes="New saddle numbness since Tuesday."))
    assert s.status == "suggested"  # notes change nothing in the result ...
    assert warned_flags(s.warnings) == ["saddle_anesthesia"]  # ... but the reader is told
    assert s.warnings[0].startswith("the notes mention 'saddle', but notes are not read for red flags")


@pytest.mark.parametrize(
    ("notes", "flags"),
    [
        ("bladder urgency", ["bladder_dysfunction"]),
        ("BOWEL changes", ["bowel_dysfunction"]),
        ("some incontinence", ["bladder_dysfunction", "bowel_dysfunction"]),
        ("tingling in both\n legs", ["bilateral_leg_symptoms"]),
        ("fever last week; history of breast cancer", ["fever", "cancer_history"]),
        ("weight loss of 6 kg, unexplained", ["unexplained_weight_loss"]),
        ("unsteady gait", ["gait_disturbance"]),
        ("car accident in May", ["major_trauma"]),
        # A negation is still a mention: the notes are searched, not understood.
        ("no bladder trouble", ["bladder_dysfunction"]),
        # Whole words only.
        ("saddlebag, bowels-free text, embladder, feverfew tea", ["bowel_dysfunction"]),
        ("works at a desk; numb toes", []),
    ],
)
def test_words_and_the_flags_they_name(notes: str, flags: list[str]) -> None:
    assert warned_flags(notes_warnings(notes)) == flags


def test_a_flag_already_set_is_not_warned_about() -> None:
    s = suggest(case(notes="saddle numbness, fever", red_flags=["saddle_anesthesia"]))
    assert s.status == "refer"
    assert warned_flags(s.warnings) == ["fever"]  # also on a referral, first


def test_every_word_names_a_flag_of_the_case_format() -> None:
    assert set(NOTE_WORDS) <= set(RED_FLAGS)
    for flag, words in NOTE_WORDS.items():
        for word in words:
            assert flag in warned_flags(notes_warnings(f"x {word.upper()} y")), (flag, word)


def test_no_notes_no_warning_and_no_cost() -> None:
    engine = Engine.default()
    plain = engine.suggest(case())
    assert not warned_flags(plain.warnings)
    assert plain.to_dict() == engine.suggest(case(notes="numb toes after a long walk")).to_dict()


def test_the_longest_notes_are_searched_quickly() -> None:
    notes = ("the patient reports no saddle numbness and normal bladder " * 200)[:10_000]
    start = time.perf_counter()
    for _ in range(100):
        found = notes_warnings(notes)
    assert (time.perf_counter() - start) / 100 < 0.005
    assert warned_flags(found) == ["saddle_anesthesia", "bladder_dysfunction"]
