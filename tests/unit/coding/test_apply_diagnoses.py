"""apply_diagnoses: what the codes say goes in where the case is silent, and nowhere else."""

from __future__ import annotations

from typing import Any

import pytest

from acupoints import CaseError, Engine
from acupoints.coding import apply_diagnoses
from acupoints.io.yaml import load_text


def case(*codes: str, **fields: Any) -> dict[str, Any]:
    complaints = fields.pop("complaints", [{"region": "wrist", "sensations": ["numbness"]}])
    diagnoses = [{"system": "snomed" if c.isdigit() else "icd10cm", "code": c} for c in codes]
    return {"complaints": complaints, "diagnoses": diagnoses, **fields}


def suggest(mapping: dict[str, Any]) -> Any:
    """The default engine's result for a filled-in case (the case model has no
    ``diagnoses`` field yet, so it is left out here)."""
    return Engine.default().suggest({k: v for k, v in mapping.items() if k != "diagnoses"})


@pytest.mark.parametrize(
    ("code", "side"), [("G56.01", "right"), ("G56.02", "left"), ("G56.03", "both"), ("g5602", "left")]
)
def test_carpal_tunnel_codes_give_cause_nerve_and_side(code: str, side: str) -> None:
    filled, warnings = apply_diagnoses(case(code))
    assert filled["cause"] == {"kind": "entrapment", "nerve": "median"}
    assert filled["complaints"][0]["side"] == side
    assert warnings == ()


def test_an_unspecified_side_leaves_the_side_alone() -> None:
    filled, _ = apply_diagnoses(case("G56.00"))
    assert "side" not in filled["complaints"][0]


def test_the_side_goes_only_to_complaints_of_the_codes_limb() -> None:
    complaints = [
        {"region": "leg", "sensations": ["pain"]},
        {"region": "lower_back", "sensations": ["pain"]},
        {"region": "hand", "sensations": ["numbness"]},
    ]
    filled, _ = apply_diagnoses(case("M54.32", complaints=complaints))
    assert [c.get("side") for c in filled["complaints"]] == ["left", None, None]
    assert filled["cause"] == {"kind": "unknown", "nerve": "sciatic"}


def test_what_the_case_states_wins() -> None:
    given = case(
        "G56.01",
        complaints=[{"region": "wrist", "side": "left", "sensations": ["pain"]}],
        cause={"kind": "trauma", "nerve": "ulnar"},
    )
    filled, warnings = apply_diagnoses(given)
    assert filled["cause"] == {"kind": "trauma", "nerve": "ulnar"}
    assert filled["complaints"][0]["side"] == "left"
    assert [w.code for w in warnings] == ["diagnosis-conflict"]
    assert "'trauma' is kept" in warnings[0].message and "entrapment (G56.01)" in warnings[0].message


def test_a_cause_without_its_kind_gets_the_codes_kind_and_keeps_its_nerve() -> None:
    filled, warnings = apply_diagnoses(case("G56.01", cause={"nerve": "ulnar"}))
    assert filled["cause"] == {"nerve": "ulnar", "kind": "entrapment"}
    assert warnings == ()


def test_the_input_mapping_is_not_changed() -> None:
    given = case("G56.01")
    before = repr(given)
    apply_diagnoses(given)
    assert repr(given) == before


@pytest.mark.parametrize(
    ("code", "level"), [("M50.121", "C5"), ("M50.122", "C6"), ("M50.123", "C7"), ("M50.13", "C8")]
)
def test_a_single_level_disc_code_names_its_root(code: str, level: str) -> None:
    filled, _ = apply_diagnoses(case(code))
    assert filled["cause"] == {"kind": "nerve_root_compression", "levels": [level]}


def test_a_region_code_fills_no_level_but_checks_the_case_levels() -> None:
    filled, warnings = apply_diagnoses(case("M54.12"))
    assert filled["cause"] == {"kind": "nerve_root_compression"}
    assert warnings == ()
    _, warnings = apply_diagnoses(case("M54.12", cause={"kind": "nerve_root_compression", "levels": ["L5"]}))
    assert len(warnings) == 1 and "L5" in warnings[0].message and "cervical" in warnings[0].message


def test_an_unknown_code_is_an_error_naming_the_closest_codes() -> None:
    with pytest.raises(CaseError) as err:
        apply_diagnoses(case("G56.09", "12345"))
    first, second = err.value.problems
    assert first.code == "unknown-code" and "'G56.00', 'G56.01', 'G56.02', 'G56.03'" in first.message
    assert second.code == "unknown-code" and "SNOMED CT code '12345'" in second.message


def test_a_malformed_diagnosis_is_a_positioned_error() -> None:
    text = "complaints:\n  - {region: wrist, sensations: [pain]}\ndiagnoses:\n  - {system: icd10, code: G56.01}\n"
    doc = load_text(text, "c.yaml")
    with pytest.raises(CaseError) as err:
        apply_diagnoses(doc.data, doc)
    (problem,) = err.value.problems
    assert (problem.path, problem.line, problem.code) == ("c.yaml", 4, "unknown-word")
    assert "did you mean 'icd10cm'" in problem.message


def test_errors_are_placed_at_the_code() -> None:
    text = "complaints:\n  - {region: wrist, sensations: [pain]}\ndiagnoses:\n  - system: icd10cm\n    code: M54.19\n"
    doc = load_text(text, "c.yaml")
    with pytest.raises(CaseError) as err:
        apply_diagnoses(doc.data, doc)
    assert str(err.value).startswith(
        "c.yaml:5:5: error[unknown-code] diagnoses[0].code: unknown ICD-10-CM code 'M54.19' (did you mean 'M54.10', 'M54.11'"
    )


def test_a_known_code_the_rules_do_not_cover_is_a_warning_and_gives_nothing() -> None:
    filled, warnings = apply_diagnoses(case("G56.91"))
    assert "cause" not in filled and "side" not in filled["complaints"][0]
    (warning,) = warnings
    assert warning.severity == "warning" and warning.code == "not-covered" and "G56.91" in warning.message


def test_a_well_formed_code_outside_the_table_is_a_warning() -> None:
    filled, warnings = apply_diagnoses(case("I10", "38341003"))
    assert "cause" not in filled
    assert [w.code for w in warnings] == ["uncovered-code", "uncovered-code"]


@pytest.mark.parametrize(
    ("codes", "kind"),
    [(("G62.0", "T45.1X5A"), "chemotherapy"), (("B20", "G63"), "hiv"), (("G62.9", "B20"), "hiv")],
)
def test_combinations_say_a_cause_neither_code_says_alone(codes: tuple[str, ...], kind: str) -> None:
    filled, warnings = apply_diagnoses(case(*codes))
    assert filled["cause"] == {"kind": kind}
    assert warnings == ()


def test_half_a_combination_is_a_warning_naming_the_other_half() -> None:
    filled, warnings = apply_diagnoses(case("G62.0"))
    assert "cause" not in filled
    assert "T45.1X5" in warnings[0].message


def test_codes_naming_two_causes_give_none() -> None:
    filled, warnings = apply_diagnoses(case("E11.42", "G56.01"))
    assert "cause" not in filled
    assert "more than one cause" in warnings[0].message
    # The side is still what the carpal-tunnel code says.
    assert filled["complaints"][0]["side"] == "right"


def test_alcoholic_polyneuropathy_maps_to_unknown() -> None:
    filled, _ = apply_diagnoses(case("G62.1", complaints=[{"region": "foot", "sensations": ["burning"]}]))
    assert filled["cause"] == {"kind": "unknown"}


def test_flags_are_added_never_removed() -> None:
    filled, _ = apply_diagnoses(
        case("Z95.0", "77386006", flags=["anticoagulants", {"flag": "lymphedema", "limb": "arm"}])
    )
    assert filled["flags"] == [
        "anticoagulants",
        {"flag": "lymphedema", "limb": "arm"},
        "pacemaker",
        "pregnancy",
    ]


@pytest.mark.parametrize("code", ["G83.4", "192970008"])
def test_a_cauda_equina_code_refers_as_an_emergency(code: str) -> None:
    complaints = [{"region": "lower_back", "sensations": ["pain"]}]
    filled, _ = apply_diagnoses(case(code, complaints=complaints))
    result = suggest(filled)
    assert result.status == "refer" and result.points == ()
    assert result.referral is not None and result.referral.urgency == "emergency"


def test_a_filled_case_is_suggested_as_if_written_by_hand() -> None:
    by_hand = {
        "complaints": [{"region": "wrist", "side": "right", "sensations": ["numbness"]}],
        "cause": {"kind": "entrapment", "nerve": "median"},
    }
    filled, _ = apply_diagnoses(case("G56.01"))
    assert suggest(filled).to_dict() == Engine.default().suggest(by_hand).to_dict()


def test_a_case_without_diagnoses_is_returned_as_it_is() -> None:
    given = {"complaints": [{"region": "wrist", "sensations": ["pain"]}]}
    assert apply_diagnoses(given) == (given, ())
