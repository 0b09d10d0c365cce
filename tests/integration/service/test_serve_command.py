"""``acupoints serve``: the command line starts the service, which stops cleanly on Ctrl-C.

The service's own tests call ``serve()``; these check the command that wraps it: its
options reach the server, and without the extra it says what to install.
"""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

from acupoints import load_rulebook
from acupoints.cli.main import build_parser, main
from data.ports import free_port
from data.server import SRC, serve_then_interrupt


def test_the_options_and_their_defaults() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.rules) == ("127.0.0.1", 8080, None)
    args = build_parser().parse_args(["serve", "--port", "9000", "--rules", "a/", "b.yaml", "--rules", "c/"])
    assert (args.port, args.rules) == (9000, ["a/", "b.yaml", "c/"])


def test_serve_answers_with_the_rules_given_and_stops_on_interrupt(tmp_path: Path) -> None:
    port = free_port()
    rules = str(Path(SRC).parent / "rules")
    answer, log, status = serve_then_interrupt(
        ["-m", "acupoints", "serve", "--port", str(port), "--rules", rules],
        lambda: httpx.post(
            f"http://127.0.0.1:{port}/suggest",
            json={"complaints": [{"region": "neck", "sensations": ["pain"]}]},
            timeout=5,
        ),
        cwd=tmp_path,
    )
    assert answer.status_code == 200
    result = answer.json()
    assert result["schema_version"] == "1.0" and result["engine"]["packs"]
    assert status == 0, log
    assert "Application shutdown complete" in log and "Traceback" not in log, log


def test_without_the_extra_it_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A module set to None in sys.modules cannot be imported: as if FastAPI were not
    # installed, and the service package is imported afresh (both are put back after).
    import acupoints.service  # noqa: F401  (so that monkeypatch puts it back)

    monkeypatch.setitem(sys.modules, "fastapi", None)
    monkeypatch.delitem(sys.modules, "acupoints.service")
    assert main(["serve", "--port", str(free_port())]) == 2
    err = capsys.readouterr().err
    assert (
        err.strip()
        == "acupoints: error: the HTTP service needs the optional extra: pip install 'acupoints[serve]'"
    )


PACK = """\
pack: mypack
sources: {S: "My own notes"}
rules:
  - id: always-li4
    source: S
    summary: "LI4 for everyone"
    when: {always: true}
    select: [{points: [LI4], role: local}]
"""


#: The shipped packs before the safety pack, in the order the engine loads them.
SHIPPED = tuple(p for p in load_rulebook().packs if p != "safety")


@pytest.mark.parametrize(
    ("options", "packs"),
    [
        ((), (*SHIPPED, "safety")),
        (("--add-rules", "{pack}"), (*SHIPPED, "safety", "mypack")),
        (("--rules", "{pack}"), ("mypack", "safety")),
        (("--rules", "{pack}", "--add-rules", "{rules}"), ("mypack", *SHIPPED, "safety")),
    ],
)
def test_the_rule_options_build_the_engine_as_suggest_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: tuple[str, ...], packs: tuple[str, ...]
) -> None:
    uvicorn = pytest.importorskip("uvicorn")
    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_: served.append(app))
    pack = tmp_path / "mypack.yaml"
    pack.write_text(PACK, encoding="utf-8")
    rules = str(Path(SRC).parent / "rules")
    argv = [o.format(pack=pack, rules=rules) for o in options]
    assert main(["serve", *argv]) == 0
    (app,) = served
    assert app.state.engine.rulebook.packs == packs  # type: ignore[attr-defined]
