"""Diagnosis codes in the case: every way a case is read fills it in from its codes.

- ``Case.from_dict``, ``from_text``, ``from_file``, ``from_stream`` and ``from_json_line``
  (and so the engine, batch runs and the service) apply the code table before validating;
  the case's own words win.
- What reading the codes noticed is kept with the case (``diagnosis_warnings``, with
  positions) and comes first among the result's warnings, in a referral too.
- A code the table does not know is an error, reported with the case's other problems.
- A diagnosis that is itself a red flag refers.
"""

from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import Any

import pytest

from acupoints import Case, CaseError, Engine, coverage
from acupoints.base.diagnosis import Diagnosis

WRIST: dict[str, Any] = {
    "complaints": [{"region": "wrist", "aspect": "palmar", "sensations": ["numbness", "tingling"]}],
    "diagnoses": [{"system": "icd10cm", "code": "G56.01"}],
}
YAML = """\
complaints:
  - region: wrist
    aspect: palmar
    sensations: [numbness, tingling]
diagnoses:
  - {system: icd10cm, code: g5601}
  - {system: icd10cm, code: M79.2}
"""


def _readers(tmp_path: Path) -> dict[str, Case]:
    path = tmp_path / "case.yaml"
    path.write_text(YAML, encoding="utf-8")
    return {
        "dict": Case.from_dict({**WRIST, "diagnoses": [*WRIST["diagnoses"], {"system": "icd10cm", "code": "M79.2"}]}),
        "text": Case.from_text(YAML, "case.yaml"),
        "file": Case.from_file(path),
        "stream": Case.from_stream(io.BytesIO(YAML.encode()), "case.yaml"),
        "line": Case.from_json_line(
            b'{"complaints": [{"region": "wrist", "aspect": "palmar", "sensations": ["numbness", "tingling"]}], '
            b'"diagnoses": [{"system": "icd10cm", "code": "G56.01"}, {"system": "icd10cm", "code": "M79.2"}]}'
        ),
    }  # fmt: skip


def test_every_reader_fills_the_case_in_from_its_codes(tmp_path: Path) -> None:
    for how, case in _readers(tmp_path).items():
        assert case.cause is not None, how
        assert (case.cause.kind, case.cause.nerve) == ("entrapment", "median"), how
        assert case.complaints[0].side == "right", how
        assert case.diagnoses[0] == Diagnosis(system="icd10cm", code="G56.01"), (
            how
        )  # written the standard way
        (note,) = case.diagnosis_warnings
        assert note.code == "uncovered-code" and "M79.2" in note.message, how


def test_warnings_are_placed_in_the_file() -> None:
    (note,) = Case.from_text(YAML, "case.yaml").diagnosis_warnings
    assert str(note).startswith("case.yaml:7:")
    assert note.severity == "warning"


def test_the_case_wins_and_says_so() -> None:
    case = Case.from_dict({**WRIST, "cause": {"kind": "nerve_root_compression", "levels": ["C6"]}})
    assert case.cause is not None and case.cause.kind == "nerve_root_compression"
    assert any("entrapment" in p.message for p in case.diagnosis_warnings)
    side = Case.from_dict({**WRIST, "complaints": [{**WRIST["complaints"][0], "side": "left"}]})
    assert side.complaints[0].side == "left"


def test_the_warnings_come_first_in_the_result() -> None:
    engine = Engine.default()
    with_note = {**WRIST, "diagnoses": [*WRIST["diagnoses"], {"system": "icd10cm", "code": "M79.2"}]}
    s = engine.suggest(with_note)
    assert s.status == "suggested"
    assert "M79.2 is not a condition this table covers" in s.warnings[0]
    assert s.to_dict()["warnings"][0] == s.warnings[0]
    referred = engine.suggest({**with_note, "red_flags": ["fever"]})
    assert referred.status == "refer" and "M79.2" in referred.warnings[0]
    assert engine.suggest(WRIST).warnings == engine.suggest(
        {**WRIST, "cause": {"kind": "entrapment", "nerve": "median"},
         "complaints": [{**WRIST["complaints"][0], "side": "right"}]}
    ).warnings  # fmt: skip


def test_the_same_case_by_code_or_by_hand_gets_the_same_points() -> None:
    engine = Engine.default()
    by_hand = {**WRIST, "cause": {"kind": "entrapment", "nerve": "median"},
               "complaints": [{**WRIST["complaints"][0], "side": "right"}]}  # fmt: skip
    del by_hand["diagnoses"]
    assert engine.suggest(WRIST).codes == engine.suggest(by_hand).codes


@pytest.mark.parametrize(("system", "code"), [("icd10cm", "G83.4"), ("snomed", "192970008")])
def test_a_diagnosis_that_is_a_red_flag_refers(system: str, code: str) -> None:
    case = {
        "complaints": [{"region": "lower_back", "sensations": ["pain"]}],
        "diagnoses": [{"system": system, "code": code}],
    }
    s = Engine.default().suggest(case)
    assert s.status == "refer" and s.points == ()
    assert s.referral is not None and s.referral.urgency == "emergency"


def test_an_unknown_code_is_reported_with_the_other_problems() -> None:
    text = "complaints: [{region: wrst, sensations: [pain]}]\ndiagnoses: [{system: icd10cm, code: G56.09}]\n"
    with pytest.raises(CaseError) as err:
        Case.from_text(text, "c.yaml")
    codes = [(p.line, p.code) for p in err.value.problems]
    assert codes == [(1, "unknown-word"), (2, "unknown-code")]
    assert "did you mean 'G56.00'" in str(err.value)


def test_a_malformed_diagnosis_is_reported_once() -> None:
    with pytest.raises(CaseError) as err:
        Case.from_dict({**WRIST, "diagnoses": [{"system": "icd", "code": "G56.01"}]})
    (problem,) = err.value.problems
    assert problem.message.startswith("diagnoses[0].system: unknown code system 'icd'")


def test_a_case_keeps_its_warnings_through_pickle_and_reading_back() -> None:
    case = Case.from_dict({**WRIST, "diagnoses": [{"system": "icd10cm", "code": "M79.2"}]})
    assert pickle.loads(pickle.dumps(case)).diagnosis_warnings == case.diagnosis_warnings
    again = Case.from_dict(case.to_dict())
    assert [p.message for p in again.diagnosis_warnings] == [p.message for p in case.diagnosis_warnings]
    assert Case.from_dict({"complaints": WRIST["complaints"]}).diagnosis_warnings == ()


def test_coverage_reads_cases_with_codes(tmp_path: Path) -> None:
    (tmp_path / "cts.yaml").write_text(YAML, encoding="utf-8")
    report = coverage(tmp_path)
    assert report.count("carpal-tunnel-local") == 1
