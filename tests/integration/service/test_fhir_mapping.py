"""FHIR in and out: Conditions and Observations to a case; a result to cards and orders.

Every resource built here and every resource written is validated with fhir.resources.
"""

from __future__ import annotations

from typing import Any

import pytest
from service_records import (
    FINGERS,
    LEFT,
    NUMBNESS,
    PAIN,
    WRIST,
    carpal_tunnel,
    condition,
    patient,
    pregnancy_status,
    searchset,
)

from acupoints import CaseError, Engine, LoadError
from acupoints.coding import is_well_formed
from acupoints.fhir import (
    NoOrder,
    cards_from_result,
    care_plan,
    case_from_fhir,
    check_resource,
    for_case_model,
    service_request,
    terms,
)
from acupoints.fhir.cards import markdown_cell

pytest.importorskip("fhir.resources")


def result_of(*resources: dict[str, Any]) -> dict[str, Any]:
    read = case_from_fhir(resources)
    return Engine.default().suggest(for_case_model(read.case)).to_dict()


def test_a_coded_condition_with_site_laterality_and_symptoms_becomes_a_case() -> None:
    read = case_from_fhir([patient(), carpal_tunnel()])
    assert read.case == {
        "id": "p1",
        "complaints": [
            {"region": "wrist", "sensations": ["numbness", "tingling"], "side": "right"},
            {"region": "fingers", "sensations": ["numbness", "tingling"], "side": "right"},
        ],
        "diagnoses": [{"system": "icd10cm", "code": "G56.01"}],
        "cause": {"kind": "entrapment", "nerve": "median"},
    }
    assert read.warnings == ()


def test_the_codes_side_fills_a_site_without_laterality() -> None:
    read = case_from_fhir([condition("c", icd="G56.02", sites=(WRIST,), symptoms=(PAIN,))])
    assert read.case["complaints"] == [{"region": "wrist", "sensations": ["pain"], "side": "left"}]


def test_a_symptom_condition_and_a_region_word_as_text_make_a_complaint() -> None:
    symptom = condition("s", snomed=NUMBNESS, site_text="Sacrum", side=LEFT)
    read = case_from_fhir([symptom])
    assert read.case["complaints"] == [{"region": "sacrum", "sensations": ["numbness"], "side": "left"}]
    assert "diagnoses" not in read.case


def test_a_bundle_and_model_objects_are_read_too() -> None:
    model = check_resource(carpal_tunnel("c2"))
    read = case_from_fhir([searchset(patient()), model])
    assert read.case["id"] == "p1" and len(read.case["complaints"]) == 2


@pytest.mark.parametrize("status", ["inactive", "resolved", "remission"])
def test_conditions_no_longer_active_are_left_out(status: str) -> None:
    gone = condition("old", icd="G83.4", status=status)
    read = case_from_fhir([carpal_tunnel(), gone])
    assert "red_flags" not in read.case


def test_a_refuted_condition_is_left_out() -> None:
    refuted = condition("r", icd="G83.4")
    refuted["verificationStatus"] = {"coding": [{"system": terms.CONDITION_VERIFICATION, "code": "refuted"}]}
    assert "red_flags" not in case_from_fhir([carpal_tunnel(), refuted]).case


@pytest.mark.parametrize(
    "record",
    [
        [pregnancy_status("o1")],
        [condition("p", icd="Z33.1")],
        [condition("p", snomed="77386006")],
    ],
)
def test_pregnancy_from_an_observation_or_a_condition(record: list[dict[str, Any]]) -> None:
    assert case_from_fhir([carpal_tunnel(), *record]).case["flags"] == ["pregnancy"]


def test_not_pregnant_and_unfinished_observations_give_no_flag() -> None:
    record = [
        carpal_tunnel(),
        pregnancy_status("o1", answer="60001007"),
        pregnancy_status("o2", status="cancelled"),
    ]
    assert "flags" not in case_from_fhir(record).case


def test_what_cannot_be_read_is_a_warning() -> None:
    odd = condition("x", icd="G56.01", sites=("999999999",), symptoms=(NUMBNESS,))
    read = case_from_fhir(
        [
            carpal_tunnel(),
            odd,
            condition("y", icd="M54.2"),
            {"resourceType": "Encounter", "id": "e", "status": "finished", "class": {"code": "AMB"}},
        ]
    )
    messages = [w.message for w in read.warnings]
    assert any("body site" in m and "Condition/x" in m for m in messages)
    assert any("Encounter/e" in m for m in messages)
    assert any("M54.2" in m for m in messages)


def test_no_complaint_is_an_error_saying_what_is_missing() -> None:
    with pytest.raises(CaseError) as err:
        case_from_fhir([patient(), condition("c", icd="G56.01")])
    assert err.value.problems[0].code == "no-complaint"


def test_an_invalid_resource_is_an_error_naming_its_element() -> None:
    bad = carpal_tunnel() | {"onsetDateTime": "yesterday"}
    with pytest.raises(LoadError) as err:
        case_from_fhir([bad], where="record")
    assert str(err.value).startswith("record[0]:1:1: error[invalid-value] Condition: onsetDateTime")


def test_an_unknown_code_in_the_record_is_a_case_error() -> None:
    with pytest.raises(CaseError) as err:
        case_from_fhir([condition("c", icd="G56.09", sites=(WRIST,), symptoms=(PAIN,))])
    assert err.value.problems[0].code == "unknown-code"


def test_a_service_request_names_the_procedure_and_the_points_in_rank_order() -> None:
    result = result_of(carpal_tunnel())
    request = service_request(
        result,
        subject="Patient/p1",
        reasons=[{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "G56.01"}],
    )
    model = check_resource(request)
    assert (model.code.coding[0].system, model.code.coding[0].code) == ("http://snomed.info/sct", "44868003")
    assert model.status == "draft" and model.intent == "proposal"
    lines = [d.text for d in model.orderDetail]
    assert [line.split()[0] for line in lines] == [p["code"] for p in result["points"]]
    assert model.reasonCode[0].coding[0].code == "G56.01"


def test_a_care_plan_activity_names_the_procedure_and_the_points() -> None:
    result = result_of(carpal_tunnel())
    model = check_resource(care_plan(result, subject="Patient/p1"))
    detail = model.activity[0].detail
    assert detail.kind == "ServiceRequest" and detail.code.coding[0].code == "44868003"
    assert all(p["code"] in detail.description for p in result["points"])


def test_a_referral_orders_nothing() -> None:
    result = result_of(carpal_tunnel(), condition("ces", icd="G83.4"))
    assert result["status"] == "refer"
    for make in (service_request, care_plan):
        with pytest.raises(NoOrder):
            make(result, subject="Patient/p1")


def test_cards_put_the_referral_first_and_critical() -> None:
    cards = cards_from_result(
        result_of(carpal_tunnel(), condition("ces", icd="G83.4")), patient="Patient/p1", order=True
    )
    assert [c["indicator"] for c in cards] == ["critical", "info"]
    assert "GIRFT" in cards[0]["detail"]


def test_the_points_card_lists_the_alternatives_under_the_chosen_points() -> None:
    case = {
        "complaints": [{"region": "lower_back", "sensations": ["pain"]}],
        "cause": {"kind": "nerve_root_compression", "levels": ["L4", "L5"]},
        "max_points": 3,
    }
    result = Engine.default().suggest(case).to_dict()
    assert result["alternatives"]
    detail = cards_from_result(result)[-1]["detail"]
    chosen, _, others = detail.partition("**Alternatives**")
    assert [f"| {i} | {p['code']} " in chosen for i, p in enumerate(result["points"], 1)] == [True] * 3
    for i, alt in enumerate(result["alternatives"], 4):
        assert f"| {i} | {alt['code']} {alt['name']} |" in others
        assert all(place in others for place in alt.get("instances", ()))


def test_summaries_stay_under_the_limit_and_cells_stay_in_their_cell() -> None:
    long = {"status": "suggested", "points": [], "warnings": [], "referral": {"reason": "x " * 200, "urgency": "urgent",
            "findings": [], "rules": ["r"], "sources": ["s"]}}  # fmt: skip
    assert all(len(c["summary"]) < 140 for c in cards_from_result(long))
    assert markdown_cell("a | b\nc") == "a \\| b c"


def test_every_snomed_code_of_the_mapping_is_well_formed() -> None:
    codes = [
        *terms.BODY_SITES,
        *terms.LATERALITY,
        *terms.SYMPTOMS,
        terms.PREGNANT,
        terms.NOT_PREGNANT,
        terms.ACUPUNCTURE[0],
    ]
    assert all(is_well_formed("snomed", c) for c in codes)
    assert FINGERS in terms.BODY_SITES
