"""Property-based tests of the running service against its own OpenAPI document.

Schemathesis generates requests from the document, valid ones and broken ones, and
every answer of the real server is checked: never a server error, a documented status,
the documented content type, and a body that matches the documented schema.

(The strategies are driven with hypothesis directly: schemathesis's pytest plugin does
not yet run under pytest 9.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

schemathesis = pytest.importorskip("schemathesis")
from schemathesis import GenerationMode, checks  # noqa: E402

from acupoints.io.yaml import load_file  # noqa: E402
from acupoints.service import create_app  # noqa: E402

CASES = Path(__file__).parents[2] / "data" / "cases"

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
# The same document the server publishes at /openapi.json (a test below compares them).
DOCUMENT = create_app().openapi()
OPERATIONS = {
    op.label: op for op in (r.ok() for r in schemathesis.openapi.from_dict(DOCUMENT).get_all_operations())
}


def test_the_document_is_the_one_the_server_publishes(base_url: str) -> None:
    import httpx

    assert httpx.get(base_url + "/openapi.json").json() == DOCUMENT


def test_every_case_of_the_test_suite_answers_as_documented(base_url: str) -> None:
    # Generated cases are mostly refused (a random diagnosis code is unknown); these are
    # all answered 200, so the result schema is checked on every kind of result.
    operation = OPERATIONS["POST /suggest"]
    statuses = set()
    for path in sorted(CASES.glob("*.yaml")):
        case = operation.Case(body=load_file(path).data["case"], media_type="application/json")
        statuses.add(case.call_and_validate(base_url=base_url, checks=CHECKS, timeout=30).status_code)
    assert statuses == {200}


# Broken requests only where there is something to break: the request bodies (a path
# parameter that is any string cannot be broken).
RUNS = [(label, GenerationMode.POSITIVE) for label in sorted(OPERATIONS)] + [
    (label, GenerationMode.NEGATIVE) for label in sorted(OPERATIONS) if label.startswith("POST")
]


@pytest.mark.parametrize(("label", "mode"), RUNS, ids=[f"{label} {mode.value}" for label, mode in RUNS])
def test_every_answer_is_documented_and_never_a_server_error(label: str, mode: Any, base_url: str) -> None:
    @given(OPERATIONS[label].as_strategy(generation_mode=mode))
    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    def check(case: Any) -> None:
        case.call_and_validate(base_url=base_url, checks=CHECKS, timeout=30)

    check()
