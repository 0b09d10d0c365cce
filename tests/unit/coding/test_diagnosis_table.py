"""The diagnosis-code table against the ICD-10-CM release it names, and against itself.

Every ICD-10-CM code and title is checked with the maintained package simple-icd-10-cm
(a test-only dependency, in the ``dev`` extra), whose release the table names.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from acupoints import LoadError
from acupoints.coding import DiagnosisTable, is_well_formed, read_table

icd = pytest.importorskip("simple_icd_10_cm")

TABLE = DiagnosisTable.default()
ICD = sorted(code for system, code in TABLE.entries if system == "icd10cm")


def test_the_table_names_the_release_the_package_holds() -> None:
    # "April 1, 2026" in the table; the package's data file is named for its release.
    data = Path(icd.__file__).parent / "data"
    month, year = re.search(r"(\w+) \d+, (\d{4})", TABLE.release).groups()  # type: ignore[union-attr]
    assert (data / f"code-list-{month}-{year}.txt").exists(), TABLE.release


@pytest.mark.parametrize("code", ICD)
def test_every_icd_code_exists_with_its_title(code: str) -> None:
    assert icd.is_valid_item(code), f"{code} is not an ICD-10-CM code"
    assert TABLE.entries[("icd10cm", code)].title == icd.get_description(code)


@pytest.mark.parametrize("prefix", TABLE.complete)
def test_each_complete_prefix_lists_every_code_under_it(prefix: str) -> None:
    assert icd.is_valid_item(prefix), prefix
    under = {prefix, *icd.get_descendants(prefix)}
    missing = sorted(under - set(ICD))
    assert not missing, f"{prefix}: the table lacks {missing}"


def test_every_snomed_code_is_a_well_formed_concept_id() -> None:
    snomed = [code for system, code in TABLE.entries if system == "snomed"]
    assert len(snomed) >= 5
    assert all(is_well_formed("snomed", c) for c in snomed), snomed


@pytest.mark.parametrize("code", [c for c in ICD if TABLE.entries[("icd10cm", c)].facts.limb])
def test_the_side_is_the_one_the_title_states(code: str) -> None:
    entry = TABLE.entries[("icd10cm", code)]
    title = entry.title.lower()
    expected = (
        "both" if "bilateral" in title
        else "right" if "right" in title
        else "left" if "left" in title
        else None
    )  # fmt: skip
    assert entry.facts.side == expected, (code, entry.title)


@pytest.mark.parametrize("code", [c for c in ICD if c.startswith(("M50", "M51", "M54"))])
def test_a_level_is_filled_exactly_where_the_code_names_one_root(code: str) -> None:
    # The tabular list's inclusion terms name the root: "C6 radiculopathy due to disc disorder".
    roots = {
        m.group(1)
        for term in icd.get_inclusion_term(code)
        for m in [re.match(r"([CTLS]\d) radiculopathy", term)]
        if m
    }
    expected = tuple(roots) if len(roots) == 1 else ()
    assert TABLE.entries[("icd10cm", code)].facts.levels == expected, (code, roots)


def test_combinations_name_codes_of_the_table() -> None:
    for combo in TABLE.combinations:
        for group in combo.groups:
            assert all(("icd10cm", c) in TABLE.entries for c in group)


def test_every_covered_code_says_something() -> None:
    for entry in TABLE.entries.values():
        if entry.covered:
            facts = entry.facts
            assert facts.cause or facts.nerve or facts.red_flags or facts.flags, entry.code


def test_a_broken_table_is_reported_with_positions(tmp_path: Path) -> None:
    text = (Path(__file__).parents[3] / "src/acupoints/data/diagnoses.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "sources: [ICD10CM, PADUA-2016, SNOMED-CT]", "sources: [ICD10CM, PADUA-2061, SNOMED-CT]"
    )
    text = text.replace("{icd10cm: G56.02,", "{icd10cm: G56.01,")
    broken = tmp_path / "diagnoses.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as err:
        read_table(broken)
    codes = [p.code for p in err.value.problems]
    assert codes == ["unknown-source", "duplicate-code"], err.value
    assert all(p.line > 1 for p in err.value.problems)
