"""One engine shared by many threads gives the same results as one thread.

The engine caches query results in a plain dict shared by every call; these tests hammer
one engine from 8 threads at once over a few hundred generated cases and compare every
JSON result with the one a private, single-threaded engine gives.
"""

from __future__ import annotations

import random
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from acupoints import Catalog, Engine, load_rulebook
from acupoints.engine import caches
from acupoints.engine.selection_cache import Numbers
from data.strategies import TENDER_ALIASES, cases

THREADS = 8
N_CASES = 300


def _generate(strategy: st.SearchStrategy[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """``n`` cases from a strategy, the same ones on every run."""
    found: list[dict[str, Any]] = []

    @settings(max_examples=n, database=None, derandomize=True, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(strategy)
    def collect(case: dict[str, Any]) -> None:
        found.append(case)

    collect()
    return found


@pytest.fixture(scope="module")
def generated() -> list[dict[str, Any]]:
    # Most cases reach point selection; a sixth of them carry red flags.
    found = _generate(cases(red_flags=False), N_CASES - N_CASES // 6)
    found += _generate(cases(red_flags=True), N_CASES // 6)
    assert len(found) >= N_CASES // 2
    # The threads are only as thorough as the cases: every kind of part is among them.
    assert any("red_flags" in c for c in found) and any("flags" in c for c in found)
    assert any(c.get("cause", {}).get("levels") for c in found)
    assert any(x.get("digits") for c in found for x in c["complaints"])
    assert any(isinstance(f, dict) and "region" in f for c in found for f in c.get("flags", []))
    assert any(isinstance(f, dict) and "limb" in f for c in found for f in c.get("flags", []))
    assert any(t in TENDER_ALIASES for c in found for t in c.get("tender_points", []))
    assert any("max_points" in c for c in found)
    return found


@pytest.fixture(scope="module")
def expected(generated: list[dict[str, Any]]) -> list[str]:
    solo = Engine(load_rulebook())
    return [solo.suggest(c).to_json() for c in generated]


@pytest.fixture
def busy_switching() -> Iterator[None]:
    # Switch threads far more often than the default 5 ms, so that calls interleave
    # inside the engine rather than one after another.
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def _hammer(engine: Engine, items: list[dict[str, Any]], rounds: int = 1) -> list[list[str]]:
    """Every thread runs every case ``rounds`` times, each in its own shuffled order."""
    start = threading.Barrier(THREADS)

    def work(seed: int) -> list[str]:
        order = list(range(len(items))) * rounds
        random.Random(seed).shuffle(order)
        out: list[str] = [""] * len(items)
        start.wait()
        for i in order:
            text = engine.suggest(items[i]).to_json()
            if out[i]:
                assert out[i] == text, f"case {i} changed between two calls in one thread"
            out[i] = text
        return out

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(work, range(THREADS)))


def test_one_engine_from_eight_threads(generated: list[dict[str, Any]], expected: list[str],
                                       busy_switching: None) -> None:  # fmt: skip
    shared = Engine(load_rulebook())  # a cold cache, filled by all threads at once
    for results in _hammer(shared, generated):
        mismatched = [i for i, (a, b) in enumerate(zip(results, expected, strict=True)) if a != b]
        assert not mismatched, f"{len(mismatched)} cases differ, first {generated[mismatched[0]]}"


def test_one_engine_while_its_cache_keeps_emptying(generated: list[dict[str, Any]], expected: list[str],
                                                   busy_switching: None,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    # With a tiny cache limit the cache is cleared again and again while other threads
    # read from it and write to it.
    monkeypatch.setattr(caches, "CACHE_LIMIT", 8)
    shared = Engine(load_rulebook())
    some = generated[:120]
    for results in _hammer(shared, some):
        assert results == expected[: len(some)]


def test_suggest_many_from_eight_threads(generated: list[dict[str, Any]], expected: list[str]) -> None:
    shared = Engine(load_rulebook())
    chunks = [generated[i::THREADS] for i in range(THREADS)]
    want = [expected[i::THREADS] for i in range(THREADS)]
    with ThreadPoolExecutor(THREADS) as pool:
        got = list(pool.map(lambda chunk: [s.to_json() for s in shared.suggest_many(chunk)], chunks))
    assert got == want


def test_the_default_engine_is_built_once_under_a_race(monkeypatch: pytest.MonkeyPatch,
                                                       busy_switching: None) -> None:  # fmt: skip
    monkeypatch.setattr(Engine, "_default", None)
    monkeypatch.setattr(Catalog, "_default", None)
    start = threading.Barrier(THREADS)

    def build(_: int) -> tuple[int, int]:
        start.wait()
        engine = Engine.default()
        return id(engine), id(engine.catalog)

    with ThreadPoolExecutor(THREADS) as pool:
        ids = set(pool.map(build, range(THREADS)))
    assert len(ids) == 1


def test_numbers_for_what_selections_read_are_never_shared_across_threads(busy_switching: None) -> None:
    # The selection cache keys a set of regions (or aspects, digits, levels) by a number;
    # two values given one number would let one case read another's points. Threads
    # number values at once, switching every few instructions: every number has one value.
    numbers = Numbers()
    given: list[tuple[frozenset[str], int]] = []

    def number(k: int) -> None:
        values = [frozenset({f"t{k}-{i}"}) for i in range(5_000)]
        given.extend((v, numbers.of(v)) for v in values)

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(number, range(THREADS)))
    owners: dict[int, frozenset[str]] = {}
    for value, n in given:
        assert owners.setdefault(n, value) == value, f"{n} numbers {owners[n]} and {value}"
