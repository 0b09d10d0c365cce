"""The point catalogue: every WHO standard and extra point, looked up in any common form."""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..base.compat import Traversable
from ..base.errors import LoadError, Problem, UnknownPointError, UnknownWordError
from ..base.vocab import describe_choice
from ..io.digest import files_digest
from ..io.resources import data_root
from .aliases import CODE_SHAPE, Aliases, channel_words, prefixes, read_aliases
from .aliases import fold as _fold
from .fields import carried
from .load import read_cautions, read_point_file
from .records import Caution, Crossing, Instance, Meridian, Point

if TYPE_CHECKING:
    from .graph import MeridianGraph

__all__ = ["Catalog"]

_CODE = CODE_SHAPE
_EXTRA = re.compile(r"^EX(HN|CA|B|UE|LE)(\d{1,2})$")
#: The tables read beside the points (aliases; the knowledge of acupoints.catalog.knowledge).
_TABLES = ("aliases.yaml", "categories.yaml", "roots.yaml")
_FILE_ORDER = ("lu", "li", "st", "sp", "ht", "si", "bl", "ki", "pc", "te", "gb", "lr", "gv", "cv", "extra")


class Catalog:
    """All points and meridians, with lookups by code, alias, pinyin and characters.

    Build it with :meth:`default` (cached, loaded on first use) or :meth:`from_folder`.
    A channel may be named in English ("Spleen 6", "San Jiao 5"), and codes of other
    numbering systems (GV29 for Yintang) are aliases from ``data/aliases.yaml``.

    >>> cat = Catalog.default()
    >>> cat["SJ5"].code, cat["Ci Liao"].code, cat.get("XX99") is None
    ('TE5', 'BL32', True)
    >>> cat["Spleen 6"].code, cat["Large Intestine 4"].code, cat["GV29"].code
    ('SP6', 'LI4', 'EX-HN3')
    >>> [p.code for p in cat.search("Wangu")][:2]
    ['SI4', 'GB12']
    """

    _default: Catalog | None = None
    _lock = threading.Lock()

    def __init__(
        self,
        points: list[Point],
        meridians: list[Meridian],
        cautions: list[Caution],
        aliases: Aliases | None = None,
        digest: str | None = None,
    ) -> None:
        #: The digest of the data files it was loaded from (see :meth:`from_folder`);
        #: None for a catalogue built in memory.
        self.digest = digest
        self._points: dict[str, Point] = {p.code: p for p in points}
        self._meridians: dict[str, Meridian] = {m.code: m for m in meridians}
        self._cautions: dict[str, Caution] = {c.id: c for c in cautions}
        self._aliases = aliases if aliases is not None else Aliases()
        self._prefix: dict[str, str] = prefixes(meridians, self._aliases.channels)
        self._channel_words: dict[str, str] = channel_words(meridians, self._aliases.channels)
        self._code_alias: dict[str, str] = {a.alias: a.point for a in self._aliases.points}
        self._by_name: dict[str, list[str]] = {}
        for p in points:
            keys = {_fold(p.pinyin), p.chinese, *p.also}
            if p.english:
                keys.add(_fold(p.english))
            for key in keys:
                self._by_name.setdefault(key, []).append(p.code)

    # -- construction ---------------------------------------------------------------
    @classmethod
    def default(cls) -> Catalog:
        """The catalogue shipped with the package, loaded once and shared."""
        if cls._default is None:
            with cls._lock:
                if cls._default is None:
                    cls._default = cls.from_folder(data_root(), _trusted=True)
        return cls._default

    @classmethod
    def from_folder(cls, folder: Traversable | Path | str, *, _trusted: bool = False) -> Catalog:
        """Load ``cautions.yaml``, ``points/*.yaml`` and, if present, ``aliases.yaml``
        from a data folder.

        Every problem in every file is reported in one :class:`~acupoints.LoadError`.
        """
        root: Traversable = Path(folder) if isinstance(folder, str) else folder
        problems: list[Problem] = []
        caution_file = read_cautions(root / "cautions.yaml", trusted=_trusted)
        cautions = [Caution(**carried(c)) for c in caution_file.cautions]
        ids = frozenset(c.id for c in cautions)
        files = {
            f.name.removesuffix(".yaml"): f for f in (root / "points").iterdir() if f.name.endswith(".yaml")
        }
        ordered = [files.pop(n) for n in _FILE_ORDER if n in files] + [files[n] for n in sorted(files)]
        points: list[Point] = []
        meridians: list[Meridian] = []
        for f in ordered:
            try:
                parsed = read_point_file(f, ids, trusted=_trusted)
            except LoadError as exc:
                problems.extend(exc.problems)
                continue
            meridian = parsed.meridian.code if parsed.meridian else None
            codes = []
            for raw in parsed.points:
                # Every field of the file goes over by name (carried); only these are
                # reshaped or worked out here.
                point = Point(
                    **carried(
                        raw,
                        location=" ".join(raw.location.split()),
                        instances=tuple(Instance(**carried(i, point=raw.code)) for i in raw.instances),
                        meridian=meridian,
                        number=int(re.sub(r"\D", "", raw.code.split("-")[-1])),
                        order=len(points),
                    )
                )
                points.append(point)
                codes.append(raw.code)
            if parsed.meridian:
                crosses = tuple(Crossing(**carried(c)) for c in parsed.meridian.crosses)
                meridians.append(Meridian(**carried(parsed.meridian, crosses=crosses, points=tuple(codes))))
        aliases = None
        alias_file = root / "aliases.yaml"
        # Checked against the points, so only once they have loaded cleanly.
        if not problems and alias_file.is_file():
            try:
                aliases = read_aliases(alias_file, points, meridians, trusted=_trusted)
            except LoadError as exc:
                problems.extend(exc.problems)
        if problems:
            raise LoadError(problems)
        # The digest covers the tables beside the points too (the aliases, and the
        # categories and roots that rules and cards read over this catalogue).
        tables = [root / name for name in _TABLES if (root / name).is_file()]
        digest = files_digest([root / "cautions.yaml", *ordered, *tables])
        return cls(points, meridians, cautions, aliases, digest)

    # -- mapping protocol -----------------------------------------------------------
    def __len__(self) -> int:
        return len(self._points)

    def __iter__(self) -> Iterator[Point]:
        return iter(self._points.values())

    def __contains__(self, query: object) -> bool:
        return isinstance(query, str) and self.resolve(query) is not None

    def __getitem__(self, query: str) -> Point:
        code = self.resolve(query)
        if code is None:
            # A query that is not text (None from a missing field) has no near codes.
            near = tuple(self.suggest_codes(query)) if isinstance(query, str) else ()
            raise UnknownPointError(query, near)
        return self._points[code]

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            Catalog,
            (
                list(self._points.values()),
                list(self._meridians.values()),
                list(self._cautions.values()),
                self._aliases,
                self.digest,
            ),
        )

    def get(self, query: str, default: Point | None = None) -> Point | None:
        """The point for a code, alias or unique name, or ``default``."""
        code = self.resolve(query)
        return self._points[code] if code is not None else default

    @property
    def codes(self) -> tuple[str, ...]:
        """All point codes in catalogue order."""
        return tuple(self._points)

    @property
    def meridians(self) -> Mapping[str, Meridian]:
        """Meridians by code, in flow order then GV and CV (a read-only view)."""
        return MappingProxyType(self._meridians)

    @property
    def cautions(self) -> Mapping[str, Caution]:
        """Caution kinds by id (a read-only view)."""
        return MappingProxyType(self._cautions)

    @property
    def aliases(self) -> Aliases:
        """The other channel names and point codes this catalogue accepts, with their sources."""
        return self._aliases

    def meridian(self, code: str) -> Meridian:
        """The meridian for a code, alias prefix or English name (``"SJ"`` and ``"San Jiao"``
        give TE); raises :class:`UnknownWordError`."""
        key = self._prefix.get(_fold(code).upper())
        if key is None or key not in self._meridians:
            raise UnknownWordError(describe_choice(code, list(self._meridians), "meridian"))
        return self._meridians[key]

    def aspects_in(self, regions: Iterable[str]) -> frozenset[str]:
        """The aspects that the points of these regions (and the places of group points
        there, on their group point's aspect) lie on; read from the points, without the
        graph.

        >>> sorted(Catalog.default().aspects_in(["leg", "knee"]))
        ['anterior', 'lateral', 'medial', 'posterior']
        """
        by_region = self._aspects_by_region
        out: set[str] = set()
        for region in regions:
            out |= by_region.get(region, frozenset())
        return frozenset(out)

    def sides_of(self, region: str) -> frozenset[str]:
        """The aspects of ``region`` that a point lies on (:meth:`aspects_in`) or that a
        channel's course crosses where none of its points is filed (a meridian's
        ``crosses``): the sides of it that a query reading an aspect can find anything on.

        >>> sorted(Catalog.default().sides_of("buttock"))
        ['lateral', 'posterior']
        """
        return self._sides_by_region.get(region, frozenset())

    @cached_property
    def _sides_by_region(self) -> dict[str, frozenset[str]]:
        found = {r: set(a) for r, a in self._aspects_by_region.items()}
        for m in self._meridians.values():
            for c in m.crosses:
                found.setdefault(c.region, set()).add(c.aspect)
        return {r: frozenset(a) for r, a in found.items()}

    @cached_property
    def _aspects_by_region(self) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {}
        for p in self._points.values():
            if p.aspect:
                found.setdefault(p.region, set()).add(p.aspect)
                for i in p.instances:
                    found.setdefault(i.region or p.region, set()).add(p.aspect)
        return {r: frozenset(a) for r, a in found.items()}

    def points_of(self, meridian: str) -> list[Point]:
        """The points of a meridian in WHO order."""
        return [self._points[c] for c in self.meridian(meridian).points]

    # -- resolution -----------------------------------------------------------------
    def normalize_code(self, text: str) -> str | None:
        """The WHO code a typed code stands for, or None if it is not code-shaped.

        The code need not exist: ``"Kidney 30"`` gives ``KI30``, which no point has.

        >>> cat = Catalog.default()
        >>> [cat.normalize_code(t) for t in ["te 5", "TE-5", "Du14", "Ren4", "UB40", "ex-b2", "P6"]]
        ['TE5', 'TE5', 'GV14', 'CV4', 'BL40', 'EX-B2', 'PC6']
        >>> [cat.normalize_code(t) for t in ["Spleen 6", "Urinary Bladder 40", "San Jiao 5", "GV29"]]
        ['SP6', 'BL40', 'TE5', 'EX-HN3']
        """
        folded = _fold(text).upper()
        base = folded.split("@")[0]
        extra = _EXTRA.match(base)
        if extra:
            return f"EX-{extra.group(1)}{int(extra.group(2))}"
        m = _CODE.match(base)
        if not m or m.group(1) not in self._prefix:
            return None
        code = f"{self._prefix[m.group(1)]}{int(m.group(2))}"
        return self._code_alias.get(code, code)

    def channel_named(self, text: str) -> Meridian | None:
        """The channel a query names by its English name, WHO code or prefix (``"Spleen"``,
        ``"SJ"``), or None: such a query asks for a channel, not a point."""
        folded = _fold(text)
        code = self._channel_words.get(folded) or self._prefix.get(folded.upper())
        return self._meridians.get(code) if code else None

    def resolve(self, query: str) -> str | None:
        """The code of the point a query names exactly (code, alias, pinyin, characters).

        A pinyin shared by two points (Wangu) resolves to neither; use :meth:`search`.
        """
        if not isinstance(query, str):
            return None
        code = self.normalize_code(query.split("@")[0])
        if code is not None and code in self._points:
            return code
        hits = self._by_name.get(query.strip()) or self._by_name.get(_fold(query))
        if hits and len(hits) == 1:
            return hits[0]
        return None

    def resolve_instance(self, query: str) -> tuple[Point, Instance | None]:
        """A point and, for ``EX-B2@C5`` style queries, its instance."""
        point = self[query]
        if "@" in query:
            try:
                return point, point.instance(query.split("@", 1)[1].strip())
            except KeyError as exc:
                raise UnknownPointError(query, tuple(i.code for i in point.instances[:3])) from exc
        return point, None

    def search(self, text: str, limit: int = 10) -> list[Point]:
        """Points matching ``text`` best first, in a stable order.

        Exact codes and aliases first, then exact names (pinyin, characters, English),
        then names that start with the text, then close spellings.
        """
        scored: dict[str, float] = {}

        def add(code: str, score: float) -> None:
            scored[code] = max(scored.get(code, 0.0), score)

        code = self.normalize_code(text)
        if code in self._points:
            add(code, 4.0)
        folded = _fold(text)
        for c in self._by_name.get(text.strip(), []) + self._by_name.get(folded, []):
            add(c, 3.0)
        # A channel and a number ("Kidney 30"), or a channel's name alone ("Spleen"), is
        # not a misspelt point name: matching it loosely would find the channel's back-shu
        # point by its English name ("Kidney Shu"), a point on another channel.
        loose = code is None and folded not in self._channel_words
        if loose and folded and len(scored) < limit:
            for key, codes in self._by_name.items():
                if key.startswith(folded) and key != folded:
                    for c in codes:
                        add(c, 2.0)
            for key in difflib.get_close_matches(folded, list(self._by_name), n=limit, cutoff=0.75):
                ratio = difflib.SequenceMatcher(None, folded, key).ratio()
                for c in self._by_name[key]:
                    add(c, 1.0 + ratio / 2)
        ranked = sorted(scored, key=lambda c: (-scored[c], self._points[c].order))
        return [self._points[c] for c in ranked[:limit]]

    def suggest_codes(self, query: str, n: int = 3) -> list[str]:
        """Codes close to a query that did not resolve, for "did you mean".

        A code of a known channel is compared as the WHO code it stands for, so that
        ``"Kidney 30"`` is near KI3 and never near the Kidney's back-shu point.
        """
        hits = [p.code for p in self.search(query, limit=n)]
        if hits:
            return hits
        code = self.normalize_code(query)
        channel = self._meridians.get(_CODE.sub(r"\1", code)) if code else None
        pool = channel.points if channel is not None else tuple(self._points)
        plain = {c.replace("-", ""): c for c in pool}
        wanted = (code or _fold(query).upper()).replace("-", "")
        return [plain[c] for c in difflib.get_close_matches(wanted, list(plain), n=n, cutoff=0.5)]

    def unknown_message(self, text: str, what: str = "point") -> str:
        """Why ``text`` names no single point: unknown (with the closest codes), or a
        name shared by several points (give the code)."""
        same = [
            p.code for p in self.search(text, limit=5) if p.pinyin.lower() == text.replace(" ", "").lower()
        ]
        if len(same) > 1:
            return f"{what} {text!r} names more than one point ({', '.join(same)}): give the code"
        channel = self.channel_named(text)
        if channel is not None and channel.points:
            return (
                f"{what} {text!r} names the {channel.name} channel ({channel.code}), not one point: "
                f"give its number, {channel.points[0]} to {channel.points[-1]}"
            )
        code = self.normalize_code(text)
        channel = self._meridians.get(_CODE.sub(r"\1", code)) if code else None
        if channel is not None and channel.points and code not in self._points:
            near = self.suggest_codes(text, n=3)
            hint = f" (did you mean {', '.join(repr(c) for c in near)}?)" if near else ""
            return (
                f"unknown {what} {text!r}{hint}: the {channel.name} channel has "
                f"{channel.points[0]} to {channel.points[-1]}"
            )
        near = self.suggest_codes(text, n=3)
        hint = f" (did you mean {', '.join(repr(c) for c in near)}?)" if near else ""
        return f"unknown {what} {text!r}{hint}"

    # -- graph ----------------------------------------------------------------------
    @cached_property
    def graph(self) -> MeridianGraph:
        """The meridian graph built from this catalogue (built once)."""
        from .graph import MeridianGraph

        return MeridianGraph.from_catalog(self)
