"""Spinal nerve roots (``data/roots.yaml``): exit conventions, schema, records, reader.

Each root names where it leaves the spine (in the catalogue's spinal levels, so that its
segmental points can be found), the disc that usually presses on it, its dermatome (in
the case vocabulary, each region with its own aspects, and its digits), its myotome, and
the channels that run through its skin. The reader checks the file against the
conventions of :func:`exit_of` and :func:`disc_of` and against a catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from ..base.vocab import LEVELS, MERIDIANS, describe_choice, level_index
from ..base.words import Aspect, Level, Region, one_of
from ..io.resources import data_root
from .tables import Frozen, Key, Text, parse, show_levels

if TYPE_CHECKING:
    # The graph reads this module while a catalogue builds it: no run-time import back.
    from .catalog import Catalog

__all__ = [
    "Area",
    "AreaData",
    "ChannelData",
    "ChannelLink",
    "Dermatome",
    "DermatomeData",
    "Myotome",
    "MyotomeData",
    "Root",
    "RootData",
    "RootFile",
    "disc_of",
    "exit_of",
    "read_roots",
]


def exit_of(level: str) -> tuple[str, ...]:
    """The catalogue levels that bound the opening through which a root leaves the spine.

    Two levels name an intervertebral foramen by its vertebrae: C2 to C7 leave above the
    vertebra of their number, C8 between C7 and T1 (there is no C8 vertebra), thoracic
    and lumbar roots below theirs. One level names the sacral foramen of that segment;
    C1 leaves between the skull and the atlas, written ``("C1",)``.

    >>> exit_of("C6"), exit_of("C8"), exit_of("L5"), exit_of("S1")
    (('C5', 'C6'), ('C7', 'T1'), ('L5', 'S1'), ('S1',))
    """
    i = level_index(level)
    if level == "C1" or level.startswith("S"):
        return (level,)
    if level.startswith("C"):
        return ("C7", "T1") if level == "C8" else (LEVELS[i - 1], level)
    # Thoracic and lumbar: below the vertebra; the index skips C8, which has none.
    return (level, LEVELS[i + 1])


def disc_of(level: str) -> tuple[str, str] | None:
    """The disc whose usual (posterolateral) herniation presses on this root, or None.

    In the neck and at T1 the root runs out level with the disc above its exit, so it
    is the same interspace as :func:`exit_of`. In the lumbar spine the root crosses the
    disc above its own foramen before leaving, so an L4-L5 disc presses on L5 and an
    L5-S1 disc on S1 (a far-lateral herniation presses on the root that exits there
    instead). The table makes no claim for T2-T12 nor below S1.

    >>> disc_of("C6"), disc_of("L5"), disc_of("S1"), disc_of("S2")
    (('C5', 'C6'), ('L4', 'L5'), ('L5', 'S1'), None)
    """
    if (level[0] == "C" and level != "C1") or level == "T1":
        first, second = exit_of(level)
        return (first, second)
    if level[0] == "L" or level == "S1":
        i = level_index(level)
        return (LEVELS[i - 1], level)
    return None


# -- the schema ----------------------------------------------------------------------------------
_Channel = Annotated[str, one_of(MERIDIANS, "channel")]
_Digit = Annotated[int, Field(ge=1, le=5)]


class AreaData(Frozen):
    region: Region
    aspects: tuple[Aspect, ...] = ()


class DermatomeData(Frozen):
    summary: Text
    key_point: Text
    areas: tuple[AreaData, ...] = Field(min_length=1)
    fingers: tuple[_Digit, ...] = ()
    toes: tuple[_Digit, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)


class MyotomeData(Frozen):
    key_muscle: str | None = None
    muscles: tuple[str, ...] = Field(min_length=1)
    reflex: str | None = None
    sources: tuple[str, ...] = Field(min_length=1)


class ChannelData(Frozen):
    code: _Channel
    where: Text
    main: bool = True


class RootData(Frozen):
    """One nerve root, as written."""

    root: Level
    exit: tuple[Level, ...] = Field(min_length=1, max_length=2)
    disc: tuple[Level, Level] | None = None
    dermatome: DermatomeData
    myotome: MyotomeData
    channels: tuple[ChannelData, ...] = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)


class RootFile(Frozen):
    """``data/roots.yaml``: sources by key, then the roots."""

    sources: dict[Key, Text]
    roots: tuple[RootData, ...] = Field(min_length=1)


# -- records ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Area:
    """A region of a dermatome and the aspects of it the root supplies (empty: all)."""

    region: str
    aspects: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dermatome:
    summary: str
    key_point: str
    areas: tuple[Area, ...]
    fingers: tuple[int, ...]
    toes: tuple[int, ...]
    sources: tuple[str, ...]

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(a.region for a in self.areas)

    def aspects_of(self, region: str) -> tuple[str, ...]:
        """The aspects of ``region`` in the dermatome; () when the region is not in it."""
        return next((a.aspects for a in self.areas if a.region == region), ())


@dataclass(frozen=True)
class Myotome:
    key_muscle: str | None
    muscles: tuple[str, ...]
    reflex: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ChannelLink:
    """A channel through a root's skin; ``main`` is False where it only touches it."""

    code: str
    where: str
    main: bool = True


@dataclass(frozen=True)
class Root:
    """A spinal nerve root: where it exits, what it supplies, and the channels there."""

    level: str
    exit: tuple[str, ...]
    disc: tuple[str, str] | None
    dermatome: Dermatome
    myotome: Myotome
    channels: tuple[ChannelLink, ...]
    sources: tuple[str, ...]

    @property
    def segment(self) -> str:
        """The catalogue level of the points beside the exit: a back-shu or Jiaji point
        "level with the lower border of the spinous process of X" carries ``[X]``."""
        return self.exit[0]

    @property
    def channel_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.channels)

    @property
    def main_channels(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.channels if c.main)

    def at_exit(self, levels: Iterable[str]) -> bool:
        """Whether a point with these catalogue ``levels`` lies at this root's exit.

        True for ``[segment]`` (beside the lower border of that spinous process, or the
        sacral foramen) and for the two levels of the exit (a midline point in that
        interspace, like GV14 ``[C7, T1]`` for C8). ``[L4, L5]`` is not at the exit of
        L5, although it names L5.
        """
        got = tuple(levels)
        return bool(got) and got in {(self.segment,), self.exit}


# -- reading and checking ------------------------------------------------------------------
def read_roots(path: Any, catalog: Catalog, trusted: bool = False) -> tuple[Root, ...]:
    """The nerve roots of ``path`` (None: the shipped ``data/roots.yaml``), checked against
    the conventions of :func:`exit_of` and :func:`disc_of` and the channels of ``catalog``."""
    parsed, check = parse(path if path is not None else data_root() / "roots.yaml", RootFile, trusted)
    seen: set[str] = set()
    out = []
    for i, r in enumerate(parsed.roots):
        at: tuple[Any, ...] = ("roots", i)
        if r.root in seen:
            check.add((*at, "root"), "duplicate-root", f"root {r.root} appears twice")
        seen.add(r.root)
        if r.exit != exit_of(r.root):
            check.add((*at, "exit"), "wrong-exit",
                      f"the {r.root} root exits at {show_levels(exit_of(r.root))}, not {show_levels(r.exit)} (see the data README)")  # fmt: skip
        if r.disc != disc_of(r.root):
            check.add((*at, "disc") if r.disc else (*at, "root"), "wrong-disc",
                      f"the disc that usually presses on {r.root} is {show_levels(disc_of(r.root))}, not {show_levels(r.disc)}")  # fmt: skip
        derm = r.dermatome
        regions = {a.region for a in derm.areas}
        for digits, region in ((derm.fingers, "fingers"), (derm.toes, "toes")):
            if bool(digits) != (region in regions):
                check.add((*at, "dermatome", region if digits else "areas"), "digits-mismatch",
                          f"give both a {region!r} area and the {region} it covers, or neither")  # fmt: skip
        codes = [c.code for c in r.channels]
        for j, code in enumerate(codes):
            if code not in catalog.meridians:
                check.add((*at, "channels", j, "code"), "unknown-channel",
                          describe_choice(code, list(catalog.meridians), "channel"))  # fmt: skip
            elif code in codes[:j]:
                check.add((*at, "channels", j, "code"), "duplicate-channel", f"{code} is listed twice")
        if not any(c.main for c in r.channels):
            check.add(
                (*at, "channels"), "no-main-channel", f"the {r.root} root needs at least one main channel"
            )
        dermatome = Dermatome(
            " ".join(derm.summary.split()), " ".join(derm.key_point.split()),
            tuple(Area(a.region, a.aspects) for a in derm.areas), derm.fingers, derm.toes,
            check.sources(derm.sources, parsed.sources, (*at, "dermatome", "sources")),
        )  # fmt: skip
        myo = r.myotome
        myotome = Myotome(myo.key_muscle, myo.muscles, myo.reflex,
                          check.sources(myo.sources, parsed.sources, (*at, "myotome", "sources")))  # fmt: skip
        links = tuple(ChannelLink(c.code, " ".join(c.where.split()), c.main) for c in r.channels)
        sources = check.sources(r.sources, parsed.sources, (*at, "sources"))
        out.append(Root(r.root, r.exit, r.disc, dermatome, myotome, links, sources))
    check.done()
    return tuple(out)
