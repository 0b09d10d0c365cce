"""The CDS Hooks service over HTTP: discovery, the specification's own example request,
and cards that follow the specification."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from service_records import LEFT, PAIN, carpal_tunnel, condition, patient, pregnancy_status, searchset

from acupoints.service.models import CardsResponse

EXAMPLE = json.loads((Path(__file__).parent / "cds_examples" / "patient-view-request.json").read_text())
SERVICE = "/cds-services/acupoints-nerve-pain"


def assert_spec_cards(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The response is valid: the model of the specification's members, and its JSON rules
    (no null, no empty string, array or object; a summary under 140 characters)."""
    CardsResponse.model_validate(body)

    def walk(value: Any, where: str) -> None:
        assert value is not None, f"{where} is null"
        if isinstance(value, (str, list, dict)):
            assert len(value) > 0 or where.endswith("cards"), f"{where} is empty"
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{where}.{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{where}[{i}]")

    walk(body, "response")
    for card in body["cards"]:
        assert len(card["summary"]) < 140 and card["source"]["label"]
        if "suggestions" in card:
            assert card["selectionBehavior"] in ("at-most-one", "any")
    cards: list[dict[str, Any]] = body["cards"]
    return cards


def call(base_url: str, request: dict[str, Any]) -> httpx.Response:
    return httpx.post(base_url + SERVICE, json=request, timeout=30)


def with_prefetch(**prefetch: Any) -> dict[str, Any]:
    """The specification's example request, its patient kept, with this service's prefetch."""
    request = copy.deepcopy(EXAMPLE)
    request["prefetch"] = {"patient": EXAMPLE["prefetch"]["patientToGreet"], **prefetch}
    return request


def test_discovery_describes_one_patient_view_service(base_url: str) -> None:
    (service,) = httpx.get(base_url + "/cds-services").json()["services"]
    assert service["hook"] == "patient-view" and service["id"] == "acupoints-nerve-pain"
    assert service["prefetch"]["conditions"] == "Condition?patient={{context.patientId}}"


def test_the_specification_example_as_it_is_gets_412(base_url: str) -> None:
    # Its prefetch is another service's (patientToGreet): without the Conditions, and
    # with no call to the FHIR server, the specification asks for 412.
    got = call(base_url, EXAMPLE)
    assert got.status_code == 412 and got.json()["problems"][0]["code"] == "no-prefetch"


def test_the_specification_example_with_conditions_gets_valid_cards(base_url: str) -> None:
    pid = EXAMPLE["context"]["patientId"]
    conditions = searchset(carpal_tunnel() | {"subject": {"reference": f"Patient/{pid}"}})
    got = call(base_url, with_prefetch(conditions=conditions))
    assert got.status_code == 200
    summary, points = assert_spec_cards(got.json())
    assert summary["summary"].startswith("Acupuncture:") and "PC7" in points["detail"]
    assert points["detail"].startswith("| # | Point | Side | Role | Why | Sources |")
    (action,) = points["suggestions"][0]["actions"]
    assert action["resource"]["resourceType"] == "ServiceRequest"
    assert action["resource"]["subject"] == {"reference": f"Patient/{pid}"}


@pytest.mark.parametrize("red_flag", ["G83.4", "C79.51"])
def test_a_red_flag_code_answers_with_the_referral_card(base_url: str, red_flag: str) -> None:
    conditions = searchset(carpal_tunnel(), condition("rf", icd=red_flag))
    cards = assert_spec_cards(call(base_url, with_prefetch(conditions=conditions)).json())
    assert cards[0]["indicator"] == "critical" and cards[0]["summary"].startswith("Refer first")
    assert len(cards) == 2 and "points" not in cards[1]["summary"].lower().replace("no points", "")
    assert not any("suggestions" in c for c in cards)


def test_pregnancy_from_an_observation_leaves_out_the_forbidden_points(base_url: str) -> None:
    sciatica = condition("s1", icd="M54.32", sites=("30021000",), side=LEFT, symptoms=(PAIN,))
    plain = assert_spec_cards(call(base_url, with_prefetch(conditions=searchset(sciatica))).json())
    pregnant = assert_spec_cards(
        call(
            base_url,
            with_prefetch(conditions=searchset(sciatica), pregnancy=searchset(pregnancy_status("o1"))),
        ).json()
    )
    assert "SP6" in plain[1]["detail"] and "SP6" not in pregnant[1]["detail"]
    assert "Pregnancy" in pregnant[0]["detail"]


def test_a_record_without_symptoms_gets_a_card_saying_so(base_url: str) -> None:
    conditions = searchset(condition("c1", icd="G56.01"))
    (card,) = assert_spec_cards(call(base_url, with_prefetch(conditions=conditions)).json())
    assert card["indicator"] == "warning" and "no-complaint" in card["detail"]


def test_no_conditions_at_all_gets_a_card_too(base_url: str) -> None:
    (card,) = assert_spec_cards(call(base_url, with_prefetch(conditions=None)).json())
    assert card["summary"].startswith("No acupuncture suggestion")


def test_an_invalid_fhir_resource_is_a_4xx_naming_the_element(base_url: str) -> None:
    bad = carpal_tunnel() | {"onsetDateTime": "yesterday"}
    got = call(base_url, with_prefetch(conditions=searchset(bad)))
    assert got.status_code == 422
    assert "onsetDateTime" in got.json()["problems"][0]["message"]


@pytest.mark.parametrize(
    ("change", "status"),
    [({"hook": "order-select"}, 400), ({"context": "1288992"}, 422), ({"hookInstance": None}, 422)],
)
def test_a_malformed_call_is_refused(base_url: str, change: dict[str, Any], status: int) -> None:
    request = with_prefetch(conditions=searchset(carpal_tunnel())) | change
    request = {k: v for k, v in request.items() if v is not None}
    assert call(base_url, request).status_code == status


def test_an_unknown_service_is_a_404(base_url: str) -> None:
    assert httpx.post(base_url + "/cds-services/nope", json=EXAMPLE).status_code == 404


def test_the_patient_of_the_record_names_the_case(base_url: str) -> None:
    request = with_prefetch(conditions=searchset(carpal_tunnel()), patient=patient("someone-else"))
    request["context"]["patientId"] = "someone-else"
    cards = assert_spec_cards(call(base_url, request).json())
    assert (
        cards[-1]["suggestions"][0]["actions"][0]["resource"]["subject"]["reference"]
        == "Patient/someone-else"
    )
