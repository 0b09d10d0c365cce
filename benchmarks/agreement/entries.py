"""The agreement files: one published prescription each, read and checked.

A file names its publication (``source``), the condition from :data:`CONDITIONS`, the
patient of the publication written in the case format (``case``), and the points the
publication reports (``published_points``, WHO codes as the catalogue writes them).
:func:`load_entries` reads every file of a folder and reports every problem at once, so a
contributor fixes a batch of files in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

import acupoints

__all__ = [
    "CASES",
    "CONDITIONS",
    "DESIGNS",
    "AgreementDataError",
    "Entry",
    "load_entries",
    "problems_of",
    "rule_source_keys",
]

#: Where the shipped agreement files live.
CASES = Path(__file__).resolve().parent / "cases"

#: The conditions a file may name: the ones the knowledge issue asks the rules to cover.
#: A condition with no file yet is simply absent from the tables.
CONDITIONS: tuple[str, ...] = (
    "cervical_radiculopathy", "lumbar_radiculopathy", "sciatica", "carpal_tunnel",
    "ulnar_neuropathy", "peroneal_neuropathy", "diabetic_neuropathy",
    "chemotherapy_neuropathy", "hiv_neuropathy", "trigeminal_neuralgia",
    "meralgia_paraesthetica", "postherpetic_neuralgia",
)  # fmt: skip

#: What kind of publication the prescription comes from; kept so that a reader can weigh
#: a trial's protocol against a case series or a reference text.
DESIGNS: tuple[str, ...] = (
    "randomized_trial", "controlled_trial", "trial_protocol", "single_arm_study",
    "case_series", "reference_text",
)  # fmt: skip

_REQUIRED = ("source", "condition", "design", "case", "published_points")
_OPTIONAL = ("published_points_note", "points_from", "notes")
_DOI = re.compile(r"10\.\d{4,9}/[^\s;,]+")
_URL = re.compile(r"https?://[^\s;,]+", re.IGNORECASE)


class AgreementDataError(ValueError):
    """One or more agreement files are malformed; the message lists every problem."""


@dataclass(frozen=True)
class Entry:
    """One published prescription and the case written from its publication."""

    name: str
    source: str
    condition: str
    design: str
    case: Mapping[str, Any]
    published_points: tuple[str, ...]
    points_from: str | None = None
    #: Whether the points were read from a publication that a shipped rule cites (a
    #: review's table of trials): such a file shares its data with the rules, so the
    #: tables also score the files without it.
    from_rule_source: bool = False


def _check_points(codes: object, catalog: acupoints.Catalog) -> list[str]:
    if not isinstance(codes, list) or not codes:
        return ["published_points must be a non-empty list of point codes"]
    problems = []
    for code in codes:
        try:
            point = catalog[str(code)]
        except LookupError as error:
            problems.append(f"published point {code!r}: {error}")
            continue
        # The catalogue resolves aliases ("UB40", "Weizhong"); the files must use the
        # canonical code so that two files never name one point two ways.
        if point.code != code:
            problems.append(f"published point {code!r} must be written {point.code!r}")
    if len(set(codes)) != len(codes):
        problems.append("published_points lists a point twice")
    return problems


def problems_of(name: str, data: object, catalog: acupoints.Catalog) -> list[str]:
    """Every problem of one file's content, as ``name: message`` lines (empty when valid)."""
    if not isinstance(data, dict):
        return [f"{name}: the file must hold a mapping"]
    problems = [f"missing field {key!r}" for key in _REQUIRED if key not in data]
    problems += [f"unknown field {key!r}" for key in data if key not in _REQUIRED + _OPTIONAL]
    if data.get("condition") not in CONDITIONS:
        problems.append(f"unknown condition {data.get('condition')!r}; allowed: {', '.join(CONDITIONS)}")
    if data.get("design") not in DESIGNS:
        problems.append(f"unknown design {data.get('design')!r}; allowed: {', '.join(DESIGNS)}")
    source = data.get("source")
    if not isinstance(source, str) or not (_DOI.search(source) or "http" in source):
        problems.append("source must be a full citation with its DOI or URL")
    if "case" in data:
        try:
            acupoints.Case.from_dict(data["case"])
        except acupoints.CaseError as error:
            problems.append(f"case: {error}")
    if "published_points" in data:
        problems += _check_points(data["published_points"], catalog)
    return [f"{name}: {p}" for p in problems]


def _read(path: Path) -> object:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def rule_source_keys(rules: Path | None = None) -> frozenset[str]:
    """The DOIs and web pages that the rule files of ``rules`` (the shipped packs by default) cite."""
    folder = rules if rules is not None else acupoints.shipped_rules()
    found: set[str] = set()
    for path in sorted(folder.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        # Every DOI and every page: a rule file cites many publications, some of them
        # pages without a DOI.
        found |= _keys(text, whole=False) | _pages(text)
    return frozenset(found)


def _rule_source_problems(name: str, data: dict[str, Any], cited: frozenset[str]) -> list[str]:
    # A publication a rule cites measures nothing when it is also a case: the knowledge
    # issue keeps the rules' sources and the benchmark's apart.
    # A page without a DOI is a publication too: a case citing the page a rule cites
    # shares its source, whatever the scheme, ``www.`` or closing slash.
    shared = sorted((_keys(data["source"], whole=False) or _pages(data["source"])) & cited)
    return (
        [f"{name}: cites {shared[0]}, a source of the shipped rules; a rule's source is never a case"]
        if shared
        else []
    )


def load_entries(
    folder: Path = CASES, catalog: acupoints.Catalog | None = None, rules: Path | None = None
) -> tuple[Entry, ...]:
    """All agreement files of ``folder``, sorted by file name; raises on any problem.

    ``rules`` is the folder of rule files whose cited DOIs and pages no file may use as its source
    (the shipped packs by default).
    """
    catalog = catalog if catalog is not None else acupoints.Catalog.default()
    cited = rule_source_keys(rules)
    entries: list[Entry] = []
    problems: list[str] = []
    for path in sorted(folder.glob("*.yaml")):
        data = _read(path)
        found = problems_of(path.name, data, catalog)
        problems += found
        if found or not isinstance(data, dict):
            continue
        rule_problems = _rule_source_problems(path.name, data, cited)
        problems += rule_problems
        if rule_problems:
            continue
        points_from = data.get("points_from")
        entries.append(
            Entry(
                name=path.stem,
                source=data["source"],
                condition=data["condition"],
                design=data["design"],
                case=data["case"],
                published_points=tuple(data["published_points"]),
                points_from=points_from,
                from_rule_source=bool(points_from and _keys(points_from, whole=False) & cited),
            )
        )
    problems += _duplicate_sources(entries)
    if problems:
        raise AgreementDataError("\n".join(problems))
    return tuple(entries)


def _keys(source: str, whole: bool = True) -> set[str]:
    """What identifies a publication: its DOIs, else (``whole``) its whole citation, normalised."""
    dois = {doi.rstrip(".)'\"").lower() for doi in _DOI.findall(source)}
    return dois or ({" ".join(source.split()).lower()} if whole else set())


def _pages(text: str) -> set[str]:
    """The web addresses of ``text`` other than DOI links, normalised by ``_page``."""
    return {_page(url) for url in _URL.findall(text) if "doi.org/" not in url.lower()}


def _page(url: str) -> str:
    """A web address without its scheme, ``www.``, case or closing punctuation."""
    bare = url.rstrip(".)'\"/").lower().split("://", 1)[1]
    return bare.removeprefix("www.")


def _duplicate_sources(entries: Iterable[Entry]) -> list[str]:
    """Each publication is used once: no two files may cite the same source."""
    seen: dict[str, str] = {}
    problems = []
    for entry in entries:
        for key in sorted(_keys(entry.source)):
            if key in seen:
                problems.append(f"{entry.name}: same source as {seen[key]} ({key})")
            seen.setdefault(key, entry.name)
    return problems
