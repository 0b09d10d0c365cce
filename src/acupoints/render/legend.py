"""What the short keys in a suggestion stand for: its sources and its principle ids.

A result cites its sources by key (``D3``, ``CAM``, ``NICE-NG19``) and the documents'
principles by id (``A4``, ``T1``); every view that shows them explains them with
:func:`legend`, in the order they first appear. A source key is explained by its
citation: from ``titles`` when the caller has the engine that made the result (the CLI
passes :func:`titles_of` its rule book, so that a pack's own keys are explained too), and
otherwise from the shipped rule files and the source documents. A principle id is
explained by what it says and the documents it comes from.

>>> import acupoints
>>> s = acupoints.suggest({"id": "a", "complaints": [{"region": "foot", "sensations": ["numbness"]}]})
>>> entries = dict(legend(s))
>>> entries["D3"]
'Understanding and Treating Peripheral Neuropathy with Acupuncture'
>>> entries["A8"]
'see a licensed acupuncturist and talk with a doctor first (advice of D2, D4)'
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..base.principles import DOCUMENTS, PRINCIPLES, SUMMARIES

if TYPE_CHECKING:
    from ..engine.result import Suggestion

__all__ = ["legend", "principle_ids", "principle_text", "shipped_titles", "source_keys", "titles_of"]

#: How a key no rule file explains is shown (a pack's own key, outside the CLI).
UNKNOWN_SOURCE = "a source cited by the rule pack that names it (see its `sources`)"


@functools.lru_cache(maxsize=1)
def shipped_titles() -> Mapping[str, str]:
    """The citation of every source key of the shipped rule files and of the documents."""
    from ..io.resources import rule_files, rules_root
    from ..io.yaml import load_file

    out: dict[str, str] = dict(DOCUMENTS)
    for f in rule_files([rules_root()]):
        data = load_file(f, trusted=True).data
        cited = data.get("sources") if isinstance(data, dict) else None
        if isinstance(cited, dict):
            for key, title in cited.items():
                out.setdefault(str(key), " ".join(str(title).split()))
    return MappingProxyType(out)


def titles_of(rules: Iterable[Any]) -> dict[str, str]:
    """The citation of each source key of a rule book's rules (``engine.rulebook.rules``);
    the first rule to cite a key gives its citation."""
    out: dict[str, str] = {}
    for r in rules:
        out.setdefault(r.source_key, " ".join(str(r.source).split()))
    return out


def source_keys(s: Suggestion, *, brief: bool = False) -> list[str]:
    """The source keys a suggestion cites, in the order they first appear (``brief``: only
    where the table shows them: the points' reasons and the advice). A referral names its
    sources in full already."""
    keys: list[str] = []
    for p in s.points:
        keys += [x.source for x in p.supports]
    if not brief:
        keys += [e.source for e in s.excluded]
        keys += [str(i["source"]) for i in s.plan_items if i.get("source")]
    keys += [a.source for a in s.advice]
    return list(dict.fromkeys(k for k in keys if k))


def principle_ids(s: Suggestion, *, brief: bool = False) -> list[str]:
    """The principle ids a suggestion names, in the order of the principles list
    (``brief``: only those of the advice, the ones the table shows)."""
    ids: set[str] = set()
    for a in s.advice:
        ids.update(a.principles)
    if not brief:
        for p in s.points:
            ids.update(p.principles)
        for i in s.plan_items:
            ids.update(i.get("principles", ()))
    order = {pid: n for n, pid in enumerate(PRINCIPLES)}
    return sorted(ids, key=lambda pid: (order.get(pid, len(order)), pid))


def principle_text(pid: str) -> str:
    """What a principle id says and where it comes from."""
    kind, documents = PRINCIPLES.get(pid, ("", ()))
    summary = SUMMARIES.get(pid, "a principle of the source documents")
    where = f" ({kind} of {', '.join(documents)})" if kind else ""
    return summary + where


def legend(
    s: Suggestion, titles: Mapping[str, str] | None = None, *, brief: bool = False
) -> Iterator[tuple[str, str]]:
    """(key, meaning) for each source key, then each principle id, the suggestion shows
    (``brief``: as the table shows them). The documents a principle comes from are
    explained too, so that every key in the legend is explained in it."""
    shipped = shipped_titles()
    pids = principle_ids(s, brief=brief)
    keys = source_keys(s, brief=brief)
    keys += [d for pid in pids for d in PRINCIPLES.get(pid, ("", ()))[1] if d not in keys]
    for key in dict.fromkeys(keys):
        yield key, (titles or {}).get(key) or shipped.get(key) or UNKNOWN_SOURCE
    for pid in pids:
        yield pid, principle_text(pid)
