"""The JSON endpoints over HTTP, against a real server (see conftest.py)."""

from __future__ import annotations

import json
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from acupoints import Engine
from acupoints.cli.main import main

CARPAL = {
    "complaints": [{"region": "wrist", "aspect": "palmar", "sensations": ["numbness", "tingling"]}],
    "diagnoses": [{"system": "icd10cm", "code": "G56.01"}],
}


def post(base_url: str, path: str, body: Any) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return httpx.post(
        base_url + path, content=content, headers={"content-type": "application/json"}, timeout=30
    )


def test_suggest_fills_the_case_from_its_diagnoses(base_url: str) -> None:
    got = post(base_url, "/suggest", CARPAL)
    assert got.status_code == 200
    by_hand = {
        "complaints": [
            {"region": "wrist", "aspect": "palmar", "side": "right", "sensations": ["numbness", "tingling"]}
        ],
        "cause": {"kind": "entrapment", "nerve": "median"},
    }
    assert got.json() == Engine.default().suggest(by_hand).to_dict()


def test_a_red_flag_refers(base_url: str) -> None:
    case = {
        "complaints": [{"region": "lower_back", "sensations": ["pain"]}],
        "red_flags": ["saddle_anesthesia"],
    }
    got = post(base_url, "/suggest", case).json()
    assert got["status"] == "refer" and got["points"] == [] and got["referral"]["urgency"] == "emergency"


def test_bad_input_gets_the_problems_the_cli_prints(
    base_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = '{"complaints": [{"region": "wrst", "sensations": ["numbnes"]}], "colour": 1}'
    got = post(base_url, "/suggest", text.encode())
    assert got.status_code == 422
    served = [p["text"].replace("<request>", "") for p in got.json()["problems"]]
    file = tmp_path / "case.json"
    file.write_text(text, encoding="utf-8")
    assert main(["suggest", str(file)]) == 2
    printed = [line.replace(str(file), "") for line in capsys.readouterr().err.splitlines()]
    assert served == printed and len(served) == 3


def test_text_that_is_not_json_is_a_400_with_its_position(base_url: str) -> None:
    got = post(base_url, "/suggest", b'{"a": 1,\n "b": ]\n}')
    assert got.status_code == 400
    (problem,) = got.json()["problems"]
    assert (problem["line"], problem["column"], problem["code"]) == (2, 7, "not-json")


def test_json_that_yaml_reads_differently_is_read_as_json(base_url: str) -> None:
    text = b'{"id": "a\\/b \\ud83d\\ude00", "complaints": [{"region": "wrist", "sensations": ["pain"]}], "max_points": 1e1}'
    got = post(base_url, "/suggest", text)
    assert (
        got.status_code == 200 and got.json()["case"] == "a/b \U0001f600" and len(got.json()["points"]) <= 10
    )


@pytest.mark.parametrize("body", [b"", b"[1, 2]", b'"text"', b"null", b"key: value", b'{"max_points": NaN}'])
def test_a_body_that_is_no_case_is_refused(base_url: str, body: bytes) -> None:
    assert post(base_url, "/suggest", body).status_code in (400, 422)


def test_an_unknown_diagnosis_code_is_a_422_naming_the_closest(base_url: str) -> None:
    case = {**CARPAL, "diagnoses": [{"system": "icd10cm", "code": "G56.09"}]}
    got = post(base_url, "/suggest", case)
    assert got.status_code == 422
    assert "did you mean 'G56.00'" in got.json()["problems"][0]["message"]


def test_a_diagnosis_warning_reaches_the_result(base_url: str) -> None:
    case = {**CARPAL, "diagnoses": [{"system": "icd10cm", "code": "I10"}]}
    warnings = post(base_url, "/suggest", case).json()["warnings"]
    assert any("I10" in w for w in warnings)


def test_points(base_url: str) -> None:
    got = httpx.get(base_url + "/points/Hegu")
    assert got.status_code == 200 and got.json()["code"] == "LI4"
    missing = httpx.get(base_url + "/points/LI44")
    assert missing.status_code == 404 and "did you mean 'LI4'" in missing.json()["problems"][0]["message"]


@pytest.mark.parametrize("what", ["case", "result", "rules"])
def test_schemas(base_url: str, what: str) -> None:
    got = httpx.get(f"{base_url}/schema/{what}")
    assert got.status_code == 200 and got.json()["type"] == "object"


def test_the_case_schema_names_the_diagnoses(base_url: str) -> None:
    schema = httpx.get(base_url + "/schema/case").json()
    assert schema["properties"]["diagnoses"]["items"] == {"$ref": "#/$defs/Diagnosis"}
    assert schema["$defs"]["Diagnosis"]["properties"]["system"]["enum"] == ["icd10cm", "snomed"]


def test_an_unknown_schema_is_a_404(base_url: str) -> None:
    assert httpx.get(base_url + "/schema/plan").status_code == 404


def test_the_openapi_document_lists_every_endpoint(base_url: str) -> None:
    paths = httpx.get(base_url + "/openapi.json").json()["paths"]
    assert set(paths) == {
        "/cds-services",
        "/cds-services/{service_id}",
        "/suggest",
        "/points/{code}",
        "/schema/{what}",
    }


def test_a_declared_body_over_the_limit_is_refused(base_url: str) -> None:
    got = post(base_url, "/suggest", b" " * 2_000_000)
    assert got.status_code == 413 and got.json()["problems"][0]["code"] == "too-large"


def test_a_chunked_body_over_the_limit_is_refused(base_url: str) -> None:
    # No content-length: the server counts the chunks as they come.
    def chunks() -> Any:
        for _ in range(40):
            yield b" " * 64_000

    got = httpx.post(base_url + "/suggest", content=chunks(), timeout=30)
    assert got.status_code == 413


def test_concurrent_requests_give_the_results_of_one_at_a_time(base_url: str) -> None:
    cases = [
        {"complaints": [{"region": region, "side": side, "sensations": ["pain", "numbness"]}]}
        for region in ("neck", "wrist", "foot", "leg", "forearm", "lower_back", "face", "hand")
        for side in ("left", "right")
    ]
    expected = [Engine.default().suggest(c).to_dict() for c in cases]
    with httpx.Client(base_url=base_url, timeout=30) as client, ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda c: client.post("/suggest", json=c).json(), cases * 3))
    assert got == expected * 3


def test_a_half_sent_request_does_not_stop_the_server(base_url: str) -> None:
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(b'POST /suggest HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"compl')
    assert httpx.get(base_url + "/cds-services").status_code == 200
