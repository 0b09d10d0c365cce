"""The result of :meth:`Engine.suggest`: ranked points with their reasons, and the rest."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

from ..base.errors import LoadError, Problem
from ..base.memo import json_once
from .contract import (
    MAX_ALTERNATIVES,
    SCHEMA_VERSION,
    AdviceDict,
    AlternativeDict,
    ConflictDict,
    ExcludedDict,
    PlanDict,
    PlanValue,
    PointDict,
    ReferralDict,
    ResultDict,
    Status,
    Urgency,
    check_result,
)
from .provenance import Provenance

if TYPE_CHECKING:
    from ..catalog.catalog import Catalog

__all__ = [
    "MAX_ALTERNATIVES",
    "SCHEMA_VERSION",
    "Advice",
    "Alternative",
    "Conflict",
    "ExcludedPoint",
    "Referral",
    "SharedJson",
    "SuggestedPoint",
    "Suggestion",
    "Support",
    "build",
]


T = TypeVar("T")
#: ``json.dumps(x, ensure_ascii=False)`` without building the encoder on each call.
_dumps = json.JSONEncoder(ensure_ascii=False).encode
#: One string as ``json.dumps(x, ensure_ascii=False)`` writes it (the encoder's own function).
_string: Callable[[str], str] = json.encoder.encode_basestring


def _strings(items: Iterable[str]) -> str:
    """A list of strings as ``json.dumps(list(items), ensure_ascii=False)`` writes it, without
    setting up the encoder (which costs more than the encoding for a few short strings)."""
    return "[" + ", ".join(map(_string, items)) + "]"


def build(cls: type[T], fields: dict[str, Any]) -> T:
    """A frozen result object from every one of its fields, without the per-field checks of
    ``__init__`` (about ten times faster; the engine makes several per case).

    ``fields`` must name every field of ``cls``; a test checks the engine's objects equal
    the ones ``__init__`` makes.
    """
    obj = object.__new__(cls)
    obj.__dict__.update(fields)
    return obj


class Support(NamedTuple):
    """One rule's part in choosing a point: its role, score, and how it found the point."""

    rule: str
    role: str
    score: float
    found_by: str
    pack: str
    source: str


@dataclass(frozen=True)
class SuggestedPoint:
    """A chosen point: best-supported first in :attr:`Suggestion.points`."""

    code: str
    name: str
    meridian: str | None
    side: str
    role: str
    score: float
    rules: tuple[str, ...]
    principles: tuple[str, ...]
    why: str
    supports: tuple[Support, ...] = ()
    instances: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()

    def _from_supports(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """Packs, sources and "found by" lines, worked out once per object (the engine
        hands out the same object for the same choice, so this is often already there)."""
        got: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None = self.__dict__.get("_derived")
        if got is None:
            supports = self.supports
            found_by = tuple([f"{s.rule}: {s.found_by}" for s in supports])
            if len(supports) == 1:  # the common case, without the sorting and de-duplicating
                got = ((supports[0].pack,), (supports[0].source,), found_by)
            else:
                got = (
                    tuple(sorted({s.pack for s in supports})),
                    tuple(dict.fromkeys([s.source for s in supports])),
                    found_by,
                )
            object.__setattr__(self, "_derived", got)
        return got

    def _json(self) -> str:
        """``to_dict()`` as JSON text, worked out once per object (it never changes)."""
        got: str | None = self.__dict__.get("_json_text")
        if got is None:
            packs, sources, found_by = self._from_supports()
            score = self.score
            meridian = "null" if self.meridian is None else _string(self.meridian)
            got = (
                f'{{"code": {_string(self.code)}, "name": {_string(self.name)}, "meridian": {meridian}, '
                f'"side": {_string(self.side)}, "role": {_string(self.role)}, '
                f'"score": {repr(score) if type(score) in (int, float) and math.isfinite(score) else _dumps(score)}, '
                f'"rules": {_strings(self.rules)}, "principles": {_strings(self.principles)}, '
                f'"why": {_string(self.why)}, "packs": {_strings(packs)}, "sources": {_strings(sources)}, '
                f'"found_by": {_strings(found_by)}'
                + (f', "instances": {_strings(self.instances)}' if self.instances else "")
                + (f', "cautions": {_strings(self.cautions)}' if self.cautions else "")
                + "}"
            )
            object.__setattr__(self, "_json_text", got)
        return got

    @property
    def packs(self) -> tuple[str, ...]:
        """The packs of the rules that chose it, sorted."""
        return self._from_supports()[0]

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources of the rules that chose it, in order, each once."""
        return self._from_supports()[1]

    @property
    def found_by(self) -> tuple[str, ...]:
        """``rule: how it found the point``, one line per part."""
        return self._from_supports()[2]

    def to_dict(self) -> PointDict:
        packs, sources, found_by = self._from_supports()
        out: PointDict = {
            "code": self.code,
            "name": self.name,
            "meridian": self.meridian,
            "side": self.side,
            "role": self.role,
            "score": self.score,
            "rules": list(self.rules),
            "principles": list(self.principles),
            "why": self.why,
            "packs": list(packs),
            "sources": list(sources),
            "found_by": list(found_by),
        }
        if self.instances:
            out["instances"] = list(self.instances)
        if self.cautions:
            out["cautions"] = list(self.cautions)
        return out

    @classmethod
    def from_dict(cls, data: PointDict) -> SuggestedPoint:
        """A point read back from its JSON form.

        The JSON keeps what the supports say (``packs``, ``sources``, ``found_by``) but
        not each part's role and score, so the point comes back with no ``supports`` and
        with those three as written.
        """
        point = cls(
            code=data["code"], name=data["name"], meridian=data["meridian"], side=data["side"],
            role=data["role"], score=data["score"], rules=tuple(data["rules"]),
            principles=tuple(data["principles"]), why=data["why"],
            instances=tuple(data.get("instances", ())), cautions=tuple(data.get("cautions", ())),
        )  # fmt: skip
        derived = (tuple(data["packs"]), tuple(data["sources"]), tuple(data["found_by"]))
        object.__setattr__(point, "_derived", derived)
        return point


@dataclass(frozen=True)
class Alternative:
    """A point that the cut left out, among the best of them: one to swap in.

    The same code, side, role, score, rules, "why", sources, places and cautions it
    would have had as a chosen point (a group point's places are those the safety rules
    left, so swapping it in is as safe as the chosen points).
    """

    code: str
    name: str
    side: str
    role: str
    score: float
    rules: tuple[str, ...]
    why: str
    sources: tuple[str, ...]
    instances: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()

    def _json(self) -> str:
        """``to_dict()`` as JSON text, worked out once per object (it never changes)."""
        return json_once(self)

    def to_dict(self) -> AlternativeDict:
        out: AlternativeDict = {
            "code": self.code,
            "name": self.name,
            "side": self.side,
            "role": self.role,
            "score": self.score,
            "rules": list(self.rules),
            "why": self.why,
            "sources": list(self.sources),
        }
        if self.instances:
            out["instances"] = list(self.instances)
        if self.cautions:
            out["cautions"] = list(self.cautions)
        return out

    @classmethod
    def from_dict(cls, data: AlternativeDict) -> Alternative:
        return cls(data["code"], data["name"], data["side"], data["role"], data["score"],
                   tuple(data["rules"]), data["why"], tuple(data["sources"]),
                   tuple(data.get("instances", ())), tuple(data.get("cautions", ())))  # fmt: skip


@dataclass(frozen=True)
class ExcludedPoint:
    """A point that was chosen by some rule and then left out for safety."""

    code: str
    reason: str
    rule: str
    source: str
    side: str = "both"
    #: For a group point, the one place excluded (``"L5"`` of Jiaji); None for the point.
    instance: str | None = None

    def to_dict(self) -> ExcludedDict:
        out: ExcludedDict = {
            "code": self.code,
            "reason": self.reason,
            "rule": self.rule,
            "source": self.source,
            "side": self.side,
        }
        if self.instance:
            out["instance"] = self.instance
        return out

    @classmethod
    def from_dict(cls, data: ExcludedDict) -> ExcludedPoint:
        return cls(data["code"], data["reason"], data["rule"], data["source"], data["side"],
                   data.get("instance"))  # fmt: skip


@dataclass(frozen=True)
class Advice:
    """Advice for the patient, with its principles and the advice it conflicts with."""

    text: str
    principles: tuple[str, ...]
    conflicts_with: tuple[str, ...]
    rule: str
    source: str
    about: str | None = None

    def to_dict(self) -> AdviceDict:
        out: AdviceDict = {
            "text": self.text,
            "principles": list(self.principles),
            "conflicts_with": list(self.conflicts_with),
            "rule": self.rule,
            "source": self.source,
        }
        if self.about:
            out["about"] = self.about
        return out

    @classmethod
    def from_dict(cls, data: AdviceDict) -> Advice:
        return cls(data["text"], tuple(data["principles"]), tuple(data["conflicts_with"]), data["rule"],
                   data["source"], data.get("about"))  # fmt: skip


@dataclass(frozen=True)
class Conflict:
    """Two sources that disagree, both kept: what about, who says what."""

    about: str
    between: tuple[str, ...]
    detail: str

    def to_dict(self) -> ConflictDict:
        return {"about": self.about, "between": list(self.between), "detail": self.detail}

    @classmethod
    def from_dict(cls, data: ConflictDict) -> Conflict:
        return cls(data["about"], tuple(data["between"]), data["detail"])


@dataclass(frozen=True)
class Referral:
    """Why the case goes to a doctor before any needling."""

    reason: str
    urgency: Urgency
    findings: tuple[str, ...]
    rules: tuple[str, ...]
    sources: tuple[str, ...]

    def to_dict(self) -> ReferralDict:
        return {
            "reason": self.reason,
            "urgency": self.urgency,
            "findings": list(self.findings),
            "rules": list(self.rules),
            "sources": list(self.sources),
        }

    @classmethod
    def from_dict(cls, data: ReferralDict) -> Referral:
        return cls(data["reason"], data["urgency"], tuple(data["findings"]), tuple(data["rules"]),
                   tuple(data["sources"]))  # fmt: skip


@dataclass(frozen=True)
class Suggestion:
    """Everything the engine concluded for one case.

    ``to_dict()`` gives the JSON result of the contract (version :data:`SCHEMA_VERSION`;
    its types are in :mod:`acupoints.engine.contract`), and :meth:`from_dict` reads it
    back; ``str()`` gives a readable table.
    """

    case: str | None
    status: Status
    points: tuple[SuggestedPoint, ...]
    excluded: tuple[ExcludedPoint, ...]
    plan: dict[str, PlanValue]
    plan_items: tuple[Mapping[str, Any], ...]
    advice: tuple[Advice, ...]
    conflicts: tuple[Conflict, ...]
    warnings: tuple[str, ...]
    referral: Referral | None
    rules_fired: tuple[str, ...]
    dropped: tuple[str, ...] = field(default=())
    #: The best of the dropped points (at most :data:`MAX_ALTERNATIVES`), best first.
    alternatives: tuple[Alternative, ...] = field(default=())
    #: The engine that made it; None for a result built by hand.
    engine: Provenance | None = field(default=None)

    # Plan items are read-only views shared by the suggestions of the same rules; they
    # travel (pickle) as plain dicts and come back read-only.
    def __getstate__(self) -> dict[str, Any]:
        state = {k: v for k, v in self.__dict__.items() if k != "_shared_json"}
        state["plan_items"] = tuple(dict(i) for i in self.plan_items)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["plan_items"] = tuple(MappingProxyType(i) for i in state["plan_items"])
        self.__dict__.update(state)

    @property
    def codes(self) -> list[str]:
        """The suggested point codes, best first."""
        return [p.code for p in self.points]

    def point(self, code: str) -> SuggestedPoint | None:
        """The suggested point with this code, or None."""
        for p in self.points:
            if p.code == code:
                return p
        return None

    def to_dict(self) -> ResultDict:
        """The JSON result (see the contract in the docs)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "case": self.case,
            "status": self.status,
            "points": [p.to_dict() for p in self.points],
            "excluded": [e.to_dict() for e in self.excluded],
            "plan": _plan_dict(self.plan, self.plan_items),
            "advice": [a.to_dict() for a in self.advice],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "warnings": list(self.warnings),
            "referral": self.referral.to_dict() if self.referral else None,
            "rules_fired": list(self.rules_fired),
            "dropped": list(self.dropped),
            "alternatives": [a.to_dict() for a in self.alternatives],
            "engine": self.engine.to_dict() if self.engine else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], path: str = "<result>") -> Suggestion:
        """A result read back from its JSON form: ``from_dict(r.to_dict()).to_dict()``
        equals ``r.to_dict()``.

        Raises :class:`~acupoints.LoadError` for data that is not a result of this
        schema's major version. Keys a later minor version adds are left out. The points
        come back without their ``supports`` (see :meth:`SuggestedPoint.from_dict`).
        """
        checked = check_result(data, path)
        plan = data["plan"]
        return cls(
            case=checked["case"], status=checked["status"],
            points=tuple(SuggestedPoint.from_dict(p) for p in checked["points"]),
            excluded=tuple(ExcludedPoint.from_dict(e) for e in checked["excluded"]),
            plan={k: v for k, v in plan.items() if k != "items"},
            plan_items=tuple(MappingProxyType({"text": i["text"], "principles": tuple(i["principles"]),
                                               "rule": i["rule"], "source": i["source"]})
                             for i in checked["plan"]["items"]),
            advice=tuple(Advice.from_dict(a) for a in checked["advice"]),
            conflicts=tuple(Conflict.from_dict(c) for c in checked["conflicts"]),
            warnings=tuple(checked["warnings"]),
            referral=Referral.from_dict(checked["referral"]) if checked["referral"] else None,
            rules_fired=tuple(checked["rules_fired"]), dropped=tuple(checked["dropped"]),
            alternatives=tuple(Alternative.from_dict(a) for a in checked["alternatives"]),
            engine=Provenance.from_dict(checked["engine"]) if checked["engine"] else None,
        )  # fmt: skip

    @classmethod
    def from_json(cls, text: str | bytes, path: str = "<result>") -> Suggestion:
        """A result read back from its JSON text (as :meth:`to_json` writes it)."""
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            at = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (1, 1)
            raise LoadError([Problem(path, *at, "not-json", f"not JSON: {exc}")]) from None
        if not isinstance(data, dict):
            raise LoadError([Problem(path, 1, 1, "invalid-result", "a result is a JSON object")])
        return cls.from_dict(data, path)

    def to_json(self, indent: int | None = 2) -> str:
        """The JSON result as text (``indent=None``: one line, as batch runs write it)."""
        if indent is None:
            return "{" + self.json_members() + "}"
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def json_members(self) -> str:
        """The members of the one-line JSON result, without the braces around them.

        The same text as ``json.dumps(self.to_dict(), ensure_ascii=False)`` between its
        braces, so that a caller can put its own members first (a batch run adds the
        line number). The parts that many results share (each point, and the plan,
        advice and conflicts of the same rules) are encoded once and reused.
        """
        shared: SharedJson | None = self.__dict__.get("_shared_json")
        if (
            shared is not None
            and shared.items is self.plan_items
            and shared.advice is self.advice
            and shared.conflicts is self.conflicts
            and shared.plan == self.plan
        ):
            middle = shared.text
        else:
            middle = _middle_json(self.plan, self.plan_items, self.advice, self.conflicts)
        case = "null" if self.case is None else _string(self.case)
        excluded = _dumps([e.to_dict() for e in self.excluded]) if self.excluded else "[]"
        referral = _dumps(self.referral.to_dict()) if self.referral else "null"
        engine = self.engine._json() if self.engine else "null"
        return (
            f'{_VERSION_MEMBER}"case": {case}, "status": {_string(self.status)}, '
            f'"points": [{", ".join([p._json() for p in self.points])}], '
            f'"excluded": {excluded}, {middle}, "warnings": {_strings(self.warnings)}, '
            f'"referral": {referral}, "rules_fired": {_strings(self.rules_fired)}, '
            f'"dropped": {_strings(self.dropped)}, '
            f'"alternatives": [{", ".join([a._json() for a in self.alternatives])}], "engine": {engine}'
        )

    # The display methods write through the output formats' registry
    # (acupoints.render.formats), imported only when called.
    def to_svg(self, case: Any = None, catalog: Catalog | None = None) -> str:
        """The body chart as SVG text; given the ``case``, its affected regions are shaded."""
        from ..catalog.catalog import Catalog
        from ..render.formats import render

        return render("svg", self, case, catalog or Catalog.default())

    def to_html(self, case: Any = None, catalog: Catalog | None = None) -> str:
        """One self-contained HTML page: chart, ranked table with every why, plan, advice, conflicts."""
        from ..catalog.catalog import Catalog
        from ..render.formats import render

        return render("html", self, case, catalog or Catalog.default())

    def to_markdown(self) -> str:
        """A Markdown report."""
        from ..render.formats import render

        return render("markdown", self)

    def _repr_html_(self) -> str:
        from ..catalog.catalog import Catalog
        from ..render.html import render_suggestion_fragment

        return render_suggestion_fragment(self, Catalog.default())

    def __str__(self) -> str:
        from ..render.formats import render

        return render("table", self)


#: The first member of every one-line result.
_VERSION_MEMBER = f'"schema_version": {_string(SCHEMA_VERSION)}, '


def _plan_dict(plan: Mapping[str, PlanValue], items: tuple[Mapping[str, Any], ...]) -> PlanDict:
    """The result's plan: its fields and its items, as new lists (never the shared ones)."""
    out: dict[str, Any] = {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in plan.items()}
    out["items"] = [{**i, "principles": list(i["principles"])} for i in items]
    # The settings beside the items are open (any key a rule sets): see contract.PlanDict.
    return cast(PlanDict, out)


def _middle_json(
    plan: Mapping[str, Any],
    items: tuple[Mapping[str, Any], ...],
    advice: tuple[Advice, ...],
    conflicts: tuple[Conflict, ...],
) -> str:
    return (
        f'"plan": {_dumps(_plan_dict(plan, items))}, '
        f'"advice": {_dumps([a.to_dict() for a in advice])}, '
        f'"conflicts": {_dumps([c.to_dict() for c in conflicts])}'
    )


class SharedJson:
    """The JSON text of a plan, advice and conflicts that many results share, with what
    it is made from (:meth:`Suggestion.json_members` uses it while they are unchanged).
    The text is written when a result first needs it: many runs never write JSON."""

    __slots__ = ("_text", "advice", "conflicts", "items", "plan")

    def __init__(
        self,
        plan: dict[str, Any],
        items: tuple[Mapping[str, Any], ...],
        advice: tuple[Advice, ...],
        conflicts: tuple[Conflict, ...],
    ) -> None:
        self.plan, self.items, self.advice, self.conflicts = plan, items, advice, conflicts
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:  # two threads may both write it; the texts agree
            self._text = _middle_json(self.plan, self.items, self.advice, self.conflicts)
        return self._text
