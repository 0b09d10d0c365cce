"""The documentation: its Python examples run, its YAML examples load, and the site builds.

- Every ```python block of docs/*.md and README.md runs, the blocks of one page in order
  in one namespace, from the repository root.
- Every YAML example of the reference pages is a valid rule or case (wrapped into a
  minimal file when it is a fragment), so the reference cannot drift from the format.
- The reference is complete: every field of the rule schema, every subcommand of the CLI,
  every error code the loaders emit, every point of the catalogue, every public name.
- ``docs/gen_pages.py`` then ``mkdocs build --strict`` (what ``make docs`` runs) succeeds.
"""

from __future__ import annotations

import ast
import doctest
import importlib.util
import re
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

import acupoints
from acupoints.cli.main import build_parser
from acupoints.rulebook.book import load_rulebook
from acupoints.rulebook.schema import RuleFile
from data.docsite import built_site
from data.paths import ROOT

DOCS = ROOT / "docs"
PAGES = [*sorted(DOCS.glob("*.md")), ROOT / "README.md"]

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")


def fenced_blocks(text: str, language: str) -> list[tuple[int, str]]:
    """The fenced blocks of ``language`` in Markdown text: (line of the code's start, code)."""
    out: list[tuple[int, str]] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence = m.group("indent"), m.group("fence")
        words = m.group("info").strip().split()
        lang = words[0].lstrip(".").lower() if words else ""
        body: list[str] = []
        i += 1
        while i < len(lines):
            close = lines[i].strip()
            if close.startswith(fence[0] * len(fence)) and not close.strip(fence[0]):
                break
            body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i].lstrip())
            i += 1
        if lang == language:
            start = i - len(body) + 1  # 1-based line of the first line of code
            out.append((start, "\n".join(body) + "\n"))
        i += 1
    return out


def _load_module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the extraction itself -------------------------------------------------------------------
def test_fenced_blocks_finds_python_only_and_keeps_line_numbers() -> None:
    text = "\n".join(
        [
            "# Title",  # 1
            "```python",  # 2
            "a = 1",  # 3
            "```",  # 4
            "```pycon",  # 5
            ">>> b = 2",  # 6
            "```",  # 7
            "!!! note",  # 8
            "    ```python",  # 9
            "    if a:",  # 10
            "        c = 3",  # 11
            "    ```",  # 12
            "~~~~ python title='x'",  # 13
            "```python",  # 14: inside a longer fence, not a fence of its own
            "d = 4",  # 15
            "~~~~",  # 16
            "```console",  # 17
            "$ acupoints lint",  # 18
            "```",  # 19
        ]
    )
    blocks = fenced_blocks(text, "python")
    assert blocks == [(3, "a = 1\n"), (10, "if a:\n    c = 3\n"), (14, "```python\nd = 4\n")]
    assert fenced_blocks(text, "console") == [(18, "$ acupoints lint\n")]


def test_the_docs_have_python_examples() -> None:
    with_code = {
        p.name for p in PAGES if p.exists() and fenced_blocks(p.read_text(encoding="utf-8"), "python")
    }
    assert {"quickstart.md", "engine.md", "graph.md", "case.md", "rules.md"} <= with_code


# -- the Python examples run -----------------------------------------------------------------
@pytest.mark.parametrize("page", [p for p in PAGES if p.exists()], ids=lambda p: str(p.relative_to(ROOT)))
def test_python_examples_run(
    page: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    # Examples that make temporary folders make them under pytest's own tmp_path.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    namespace: dict[str, Any] = {"__name__": f"docs_{page.stem}"}
    for line, code in fenced_blocks(page.read_text(encoding="utf-8"), "python"):
        # Pad with blank lines so that a traceback names the line of the Markdown file.
        compiled = compile("\n" * (line - 1) + code, str(page.relative_to(ROOT)), "exec")
        exec(compiled, namespace)
    capsys.readouterr()


# -- the YAML examples of the reference load ---------------------------------------------------
def _shipped_sets() -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    for f in sorted((ROOT / "rules").glob("*.yaml")):
        sets.update(yaml.safe_load(f.read_text(encoding="utf-8")).get("sets") or {})
    return sets


_RULE_KEYS = set(RuleFile.model_json_schema(by_alias=True)["$defs"]["Rule"]["properties"])
_ACTIONS = {"select", "exclude", "plan", "advice", "warn", "refer"}


def as_rule_file(data: Any) -> dict[str, Any]:
    """A whole rule file from an example: itself, or the fragment wrapped in a minimal rule."""
    if isinstance(data, dict) and "pack" in data:
        return data
    if isinstance(data, dict) and "rules" in data:
        rules, sets = data["rules"], data.get("sets", {})
    elif isinstance(data, dict) and "id" in data:
        rules, sets = [data], {}
    elif isinstance(data, list) and data and all(isinstance(r, dict) and "id" in r for r in data):
        rules, sets = data, {}
    elif isinstance(data, dict) and data and set(data) <= _RULE_KEYS:
        rule = {"id": "example", "source": "S", "summary": "An example", "when": {"always": True}, **data}
        if not set(data) & _ACTIONS:
            rule["warn"] = ["A condition alone: the example warns."]
        rules, sets = [rule], {}
    elif isinstance(data, list) and data and all(isinstance(s, dict) and "role" in s for s in data):
        rules, sets = (
            [{"id": "example", "source": "S", "summary": "An example", "when": {"always": True}}],
            {},
        )
        rules[0]["select"] = data
    else:
        raise AssertionError(f"not a rule example: {data!r}")
    for r in rules:
        r.setdefault("source", "S")
    return {
        "pack": "example",
        "sources": {r["source"]: "A source" for r in rules},
        "sets": {**_shipped_sets(), **sets},
        "rules": rules,
    }


def _yaml_examples(name: str) -> list[tuple[int, str]]:
    return fenced_blocks((DOCS / name).read_text(encoding="utf-8"), "yaml")


@pytest.mark.parametrize("name", ["rules.md", "rule-basics.md"])
def test_rule_examples_load(name: str, tmp_path: Path) -> None:
    examples = _yaml_examples(name)
    assert examples
    for line, text in examples:
        data = as_rule_file(yaml.safe_load(text))
        path = tmp_path / f"line-{line}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        book = load_rulebook([path])  # raises RuleError with every problem
        assert len(book) == len(data["rules"]), f"{name}:{line}"


def test_case_examples_load() -> None:
    examples = _yaml_examples("case.md")
    assert len(examples) >= 2
    for line, text in examples:
        data = yaml.safe_load(text)
        data.setdefault("complaints", [{"region": "forearm", "sensations": ["pain"]}])
        case = acupoints.Case.from_dict(data, f"case.md:{line}")
        assert case.complaints


def test_rule_wrapping_rejects_what_it_cannot_check() -> None:
    with pytest.raises(AssertionError):
        as_rule_file({"flags": ["pregnancy"]})


# -- the reference is complete ---------------------------------------------------------------
def _schema_models(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {schema["title"]: schema, **schema.get("$defs", {})}


def test_rule_reference_names_every_field_of_the_schema() -> None:
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    models = _schema_models(RuleFile.model_json_schema(by_alias=True))
    missing = sorted(
        f"{model}.{field}"
        for model, schema in models.items()
        for field in schema["properties"]
        if f"`{field}" not in text
    )
    assert not missing, f"docs/rules.md does not explain: {', '.join(missing)}"


@pytest.mark.parametrize(
    ("page", "kind", "schema"),
    [
        ("rules.md", "rule", RuleFile.model_json_schema(by_alias=True)),
        ("case.md", "case", acupoints.Case.json_schema()),
    ],
)
def test_reference_includes_a_table_for_every_model(page: str, kind: str, schema: dict[str, Any]) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    included = set(re.findall(rf'^--8<-- "{kind}/(\w+)\.md"$', text, flags=re.MULTILINE))
    assert included == set(_schema_models(schema))


def _emitted_codes() -> set[str]:
    """The problem codes the rule loaders can emit, read from their source."""
    codes: set[str] = set()
    src = ROOT / "src" / "acupoints"
    loaders = ("io/yaml.py", "io/yamlbuild.py", "io/jsondoc.py", "io/jsonpos.py", "io/scalars.py", "io/decode.py",
               "io/read.py", "io/problems.py", "rulebook/book.py", "rulebook/check.py")  # fmt: skip
    for name in loaders:
        tree = ast.parse((src / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                fname = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                position = {
                    "Problem": 3,
                    "problem": 1,
                    "add": 2,
                    "stop": 1,
                    "over_limit": 3,
                    "ScalarRefused": 0,
                }.get(fname)
                if (
                    fname == "get"
                    and isinstance(func, ast.Attribute)
                    and getattr(func.value, "id", "") == "_CODES"
                ):
                    position = 1
                # A position written as *mark stands for (line, column): one argument fewer.
                if position is not None and any(isinstance(a, ast.Starred) for a in node.args[:position]):
                    position -= 1
                if position is not None and len(node.args) > position:
                    arg = node.args[position]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        codes.add(arg.value)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
                if any(isinstance(t, ast.Name) and t.id == "_CODES" for t in node.targets):
                    codes |= {v.value for v in node.value.values if isinstance(v, ast.Constant)}
            elif (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and any(isinstance(t, ast.Name) and t.id == "code" for t in node.targets)
            ):
                codes.add(str(node.value.value))
    return {c for c in codes if re.fullmatch(r"[a-z]+(-[a-z]+)*", c)}


def test_rule_reference_lists_every_error_code() -> None:
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    section = text.split("## Checks and error codes", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", section, flags=re.MULTILINE))
    emitted = _emitted_codes()
    assert {"unknown-point", "duplicate-key", "never-true", "invalid-value"} <= emitted
    assert documented == emitted, (
        f"undocumented: {sorted(emitted - documented)}; documented but never emitted: {sorted(documented - emitted)}"
    )


def test_cli_page_has_a_section_for_every_subcommand() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    commands = set(sub.choices or ())
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^## ([\w-]+)$", text, flags=re.MULTILINE))
    assert commands and sections == commands
    for command in commands:
        assert f'--8<-- "cli/{command}.txt"' in text


# -- the generated pages ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def gen_pages() -> ModuleType:
    return _load_module("gen_pages", DOCS / "gen_pages.py")


@pytest.fixture(scope="module")
def generated(gen_pages: ModuleType) -> dict[str, str]:
    files: dict[str, str] = gen_pages.build().files
    return files


def _section(page: str, code: str) -> str:
    """The part of a point page about one point: its heading down to the next heading."""
    start = page.index(f"### {code} ")
    return re.split(r"\n#{2,3} ", page[start + 4 :], maxsplit=1)[0]


def test_every_point_is_on_its_page_with_all_its_facts(generated: dict[str, str]) -> None:
    cat = acupoints.Catalog.default()
    for p in cat:
        page = generated[f"meridians/{(p.meridian or 'extra').lower()}.md"]
        section = _section(page, p.code)
        heading = section.split("\n", 1)[0]
        assert heading == f"{p.code} {p.pinyin} {p.chinese} {{#{p.code}}}"
        for fact in (p.region, p.aspect, p.location, *p.levels):
            assert fact in section, (p.code, fact)
        for caution in p.cautions:
            assert f"cautions.md#{caution}" in section, (p.code, caution)
        row = next(r for r in page.split("\n") if r.startswith(f"| [{p.code}](#{p.code}) |"))
        assert f"| {p.pinyin} | {p.chinese} | {p.region} | {p.aspect} |" in row
    pages = {name for name in generated if name.startswith("meridians/")}
    assert pages == {f"meridians/{m.lower()}.md" for m in cat.meridians} | {
        "meridians/extra.md",
        "meridians/index.md",
    }


def test_group_points_list_their_instances(generated: dict[str, str]) -> None:
    section = _section(generated["meridians/extra.md"], "EX-B2")
    for key in ("C6", "T1", "L5"):
        assert f"| `{key}` |" in section


def test_api_page_documents_every_public_name(generated: dict[str, str]) -> None:
    directives = set(re.findall(r"^::: acupoints\.(\w+)$", generated["api.md"], flags=re.MULTILINE))
    assert directives == set(acupoints.__all__) - {"__version__"}


def test_every_cli_example_ran_cleanly(generated: dict[str, str]) -> None:
    outputs = {
        k: v for k, v in generated.items() if k.startswith("snippets/cli/") and not k.endswith("-help.txt")
    }
    assert "snippets/cli/suggest.txt" in outputs and "BL10" in outputs["snippets/cli/suggest.txt"]
    for name, text in outputs.items():
        assert "Traceback" not in text, name
        assert "# exit code 2" not in text, name


def test_griffe_extension_turns_doctests_into_fences() -> None:
    module = _load_module("griffe_docstrings", DOCS / "griffe_docstrings.py")
    failures, tried = doctest.testmod(module)
    assert tried and not failures
    text = module.to_markdown("Use :meth:`Engine.suggest`::\n\n>>> 1\n1\n\nDone.")
    assert text == "Use `Engine.suggest`:\n\n```pycon\n>>> 1\n1\n```\n\nDone."


# -- the site builds ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``make docs``, into a temporary folder: gen_pages.py, then mkdocs build --strict."""
    return built_site(tmp_path_factory)


def test_site_builds_with_every_page(site: Path) -> None:
    for page in ("index.html", "rules.html", "case.html", "cli.html", "safety.html"):
        assert (site / page).is_file(), page
    bl = (site / "generated/meridians/bl.html").read_text(encoding="utf-8")
    assert 'id="BL67"' in bl and "Zhiyin" in bl
    assert (site / "generated/changelog.html").is_file()
    for notebook in (DOCS / "notebooks").glob("*.ipynb"):
        assert (site / "notebooks" / notebook.with_suffix(".html").name).is_file()


def test_site_api_reference_renders_every_public_name(site: Path) -> None:
    html = (site / "generated/api.html").read_text(encoding="utf-8")
    missing = [n for n in acupoints.__all__ if n != "__version__" and f'id="acupoints.{n}"' not in html]
    assert not missing
    # The doctest examples of the docstrings are code, not block quotes.
    assert "<blockquote>" not in html and ":class:" not in html


def test_site_field_tables_come_from_the_schemas(site: Path) -> None:
    html = (site / "rules.html").read_text(encoding="utf-8")
    for model in _schema_models(RuleFile.model_json_schema(by_alias=True)):
        assert f'id="rule-fields-{model.lower()}"' in html
    assert "neighbours_of" in html and 'id="word-region"' in (site / "case.html").read_text(encoding="utf-8")
