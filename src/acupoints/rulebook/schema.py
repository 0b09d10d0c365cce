"""The rule language: the schema of a rule file (``rules/*.yaml``).

A file names its pack, the sources its rules cite, optional named point sets, and its
rules. A rule has an ``id``, the principle ids it encodes, a ``source`` key, a one-line
``summary`` (the "why" shown with each point), a condition ``when`` and actions:
``select``, ``exclude``, ``plan``, ``advice``, ``warn`` and ``refer``. The condition's
model is built from the registry of condition kinds (:mod:`acupoints.rulebook.registry`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..base.vocab import ROLES, SURFACES
from ..base.words import Aspect, Flag, Level, Region, Technique
from ..case.model import MAX_POINTS
from ..io.scalars import NOT_BOOL
from .kinds.complaint import ComplaintTest
from .registry import Condition as _BuiltCondition

if TYPE_CHECKING:
    # The type checker sees the base every condition model derives from; at run time
    # ``Condition`` is the model built from the registry of kinds, whose fields it
    # cannot know. Read a condition's keys through its kinds (see language.py).
    from .kinds.base import ConditionModel as Condition
else:
    Condition = _BuiltCondition

__all__ = [
    "AdviceItem",
    "ComplaintTest",
    "Condition",
    "Exclude",
    "PlanItem",
    "Query",
    "Refer",
    "Rule",
    "RuleFile",
    "Select",
    "TenderWhere",
]

Role = Literal["local", "distal", "segmental", "complementary", "adjunct"]
assert set(ROLES) == {"local", "distal", "segmental", "complementary", "adjunct"}
Surface = Literal["yin", "yang"]
assert set(SURFACES) == {"yin", "yang"}
Affected = Literal["affected"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# -- selections -------------------------------------------------------------------------
class Query(_Model):
    """A graph query. ``affected`` means: taken from the complaints the condition matched."""

    region: Affected | tuple[Region, ...] | None = None
    aspect: Affected | tuple[Aspect, ...] | None = None
    surface: Surface | None = None
    meridians: tuple[str, ...] | None = None
    through: Affected | tuple[Region, ...] | None = None
    digits: Affected | None = None
    #: ``root_territory``: the channels of the affected skin (its digits, else its aspect,
    #: else the dermatome of the compressed roots there); see docs/rules.md.
    channels: Literal["root_territory"] | None = None
    #: Fixed levels are spinal segments; ``compressed`` is the exits of the case's roots.
    levels: Literal["compressed"] | tuple[Level, ...] | None = None
    above: Annotated[int, Field(ge=0, le=5), NOT_BOOL] = 0
    below: Annotated[int, Field(ge=0, le=5), NOT_BOOL] = 0
    groups: tuple[str, ...] | None = None
    among: str | None = None
    neighbours_of: tuple[str, ...] | None = None
    distance: Annotated[int, Field(ge=1, le=5), NOT_BOOL] = 1
    limit: Annotated[int, Field(ge=1), NOT_BOOL] | None = None
    # -- the point categories and the classical selection methods ------------------------
    #: Keep (or, alone or with channels only, find) the points of these categories, by
    #: id, name or alias ("shu-stream", "yuan_source", "alarm").
    category: tuple[str, ...] | None = None
    #: Keep the points outside these regions (or the affected ones).
    outside: Affected | tuple[Region, ...] | None = None
    #: Keep the points at most this many steps along their channel from the ``through``
    #: regions.
    within: Annotated[int, Field(ge=0, le=10), NOT_BOOL] | None = None
    #: Swap the channels the query keeps for their interior-exterior partners or for the
    #: channels of the same six-channel name on the other limb.
    link: Literal["partner", "same_name"] | None = None
    #: Order the points by importance: the number of categories a point belongs to (most
    #: first), then its distance along its channel from the ``through`` regions (nearest
    #: first), then catalogue order.
    rank: Literal["importance"] | None = None
    #: Follow each point found to the confluent point classically paired with it (the
    #: graph's ``couple`` edges: SI3 and BL62, TE5 and GB41, PC6 and SP4, LU7 and KI6),
    #: listed right after it.
    couple: Literal[True] | None = None

    @field_validator("category", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _has_a_source(self) -> Query:
        if not (
            self.region
            or self.through
            or self.levels
            or self.neighbours_of
            or self.meridians
            or self.digits
            or self.category
        ):
            raise ValueError(
                "a query needs one of region, through, levels, neighbours_of, meridians, digits or category"
            )
        if self.within is not None and self.through is None:
            raise ValueError("within counts steps from the through regions: give through as well")
        if self.link is not None and not (self.through or self.meridians or self.digits):
            raise ValueError("link swaps the query's channels: give through, meridians or digits as well")
        return self


class TenderWhere(_Model):
    """Which of the case's tender points a selection takes: those in ``region`` (on
    ``aspect``), or with ``limb: affected`` those on the limb of an affected complaint
    (the complaint's own region when it is not on a limb)."""

    region: tuple[Region, ...] | None = None
    aspect: tuple[Aspect, ...] | None = None
    limb: Affected | None = None

    @model_validator(mode="after")
    def _says_where(self) -> TenderWhere:
        if not (self.region or self.limb):
            raise ValueError("say where the tender points are taken from: region or limb: affected")
        return self


class Select(_Model):
    """Points to add: named ``points``, a named ``set``, a graph ``query``, the case's tender
    points, or ``one_of`` a list (the tender ones, else the one nearest the compressed roots)."""

    points: tuple[str, ...] | None = None
    set: str | None = None
    query: Query | None = None
    tender_points: Literal[True] | TenderWhere | None = None
    one_of: tuple[str, ...] | None = Field(None, min_length=2)
    role: Role
    side: Literal["affected", "both", "opposite"] = "affected"
    weight: Annotated[float, Field(gt=0, le=5), NOT_BOOL] = 1.0

    @model_validator(mode="after")
    def _exactly_one(self) -> Select:
        kinds = ("points", "set", "query", "tender_points", "one_of")
        given = [k for k in kinds if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of {', '.join(kinds)} (got {', '.join(given) or 'none'})")
        return self


class Exclude(_Model):
    """Points to leave out, with the reason. ``flag`` scopes it to that flag's region and side.

    ``cover`` says how far a flag's place reaches: ``region`` (the region or limb named;
    without a place, the whole body) or ``limb`` (the whole limb of the region named;
    without a place, every limb).
    """

    points: tuple[str, ...] | None = None
    caution: str | None = None
    query: Query | None = None
    flag: Flag | None = None
    cover: Literal["region", "limb"] = "region"
    reason: str = Field(min_length=5)

    @model_validator(mode="after")
    def _something(self) -> Exclude:
        if not (self.points or self.caution or self.query or self.flag):
            raise ValueError("an exclusion needs points, caution, query or flag")
        return self


#: Plan keys that set how many points a case gets (see :func:`acupoints.engine.ranking.limit_of`).
POINT_COUNT_KEYS = frozenset({"max_points", "max_points_cap"})


class PlanItem(_Model):
    """A line of the treatment plan; ``key`` and ``value`` also set a plan field.

    ``techniques`` are the treatments the line offers besides the needles; a rule that
    forbids one of them withholds the line (see :attr:`Rule.forbid`), or puts in its place
    the line's text ``without`` that treatment, when it gives one.
    """

    key: str | None = Field(None, pattern=r"^[a-z][a-z0-9_]*$")
    value: Union[int, float, bool, str, tuple[Any, ...], None] = None  # noqa: UP007
    text: str = Field(min_length=5)
    principles: tuple[str, ...] = ()
    techniques: tuple[Technique, ...] = ()
    without: dict[Technique, Annotated[str, Field(min_length=5)]] = {}

    @model_validator(mode="after")
    def _counts_are_whole_numbers(self) -> PlanItem:
        # The engine cuts the points at these: a number of points a case may also ask for.
        if self.key in POINT_COUNT_KEYS:
            value = self.value
            if type(value) is not int or not 1 <= value <= MAX_POINTS:
                raise ValueError(
                    f"{self.key} is a number of points: give a whole number from 1 to {MAX_POINTS}"
                    f" (got {value!r})"
                )
        return self


class AdviceItem(_Model):
    """Advice for the patient, with the principles it states and those it conflicts with;
    ``techniques`` and ``without`` as for a plan line."""

    text: str = Field(min_length=5)
    principles: tuple[str, ...] = ()
    conflicts_with: tuple[str, ...] = ()
    about: str | None = None
    techniques: tuple[Technique, ...] = ()
    without: dict[Technique, Annotated[str, Field(min_length=5)]] = {}


class Refer(_Model):
    """Stop: the case needs a doctor first."""

    reason: str = Field(min_length=5)
    urgency: Literal["emergency", "urgent", "soon"]


class Rule(_Model):
    """One rule of a rule file."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    principles: tuple[str, ...] = ()
    source: str
    summary: str = Field(min_length=5)
    when: Condition
    select: tuple[Select, ...] = ()
    exclude: tuple[Exclude, ...] = ()
    plan: tuple[PlanItem, ...] = ()
    advice: tuple[AdviceItem, ...] = ()
    warn: tuple[str, ...] = ()
    refer: Refer | None = None
    #: Treatments no plan or advice line may offer when this rule fires.
    forbid: tuple[Technique, ...] = ()
    # `priority: true` is not a priority of 1 (see acupoints.io.scalars).
    priority: Annotated[int, NOT_BOOL] = 0

    @model_validator(mode="after")
    def _acts(self) -> Rule:
        if not (
            self.select or self.exclude or self.plan or self.advice or self.warn or self.refer or self.forbid
        ):
            raise ValueError(
                "a rule needs at least one action: select, exclude, plan, advice, warn, refer or forbid"
            )
        if self.refer and self.select:
            raise ValueError("a referral rule cannot also select points")
        return self


class RuleFile(_Model):
    """A whole rule file."""

    pack: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    description: str | None = None
    sources: dict[str, str] = Field(min_length=1)
    sets: dict[str, tuple[str, ...]] = {}
    rules: tuple[Rule, ...]

    @field_validator("sets")
    @classmethod
    def _sets_not_empty(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for name, codes in value.items():
            if not codes:
                raise ValueError(f"set {name!r} is empty")
        return value
