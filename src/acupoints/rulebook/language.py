"""The conditions of the rule language as loops over a registry of kinds.

:class:`ConditionLanguage` takes the kinds by YAML key (see
:mod:`acupoints.rulebook.registry`) and builds from them everything that reads a
condition as a whole: the pydantic model that validates it, its plain meaning, its
generated fast form, its need for the rule index, its description and trace, and the
check for values that can never hold. None of these names a kind: each asks every kind
the condition uses for its part (see :class:`~.kinds.base.ConditionKind`).

Two orders matter, and both come from the kinds: the keys of one condition run cheapest
first (by :attr:`~.kinds.base.ConditionKind.cost`, then in the registry's order), and
they are described in the order explanations have always shown (by
:attr:`~.kinds.base.ConditionKind.phrase`, then in the registry's order).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from types import MappingProxyType
from typing import Any

from pydantic import create_model

from .kinds.base import ConditionKind, ConditionModel, Emitted, Emitter, NeverTrue, Source
from .kinds.base import union as _union
from .view import NONE, CaseView, Feature, Matched, Test, selectivity

__all__ = ["MAX_GENERATED_DEPTH", "ConditionLanguage", "as_matched"]

#: Above this nesting depth a condition is interpreted rather than generated (Python
#: limits how deeply generated blocks may be indented).
MAX_GENERATED_DEPTH = 20

_SETS: dict[int, Matched] = {0: NONE}


def as_matched(mask: int) -> Matched:
    """The complaint indices of a bit mask (bit i set: complaint i matched), shared."""
    hit = _SETS.get(mask)
    if hit is None:
        hit = frozenset(i for i in range(mask.bit_length()) if mask >> i & 1)
        if len(_SETS) < 4096:
            _SETS[mask] = hit
    return hit


Part = tuple[ConditionKind[Any], Any]


class ConditionLanguage:
    """Every reading of a condition, from the kinds of ``kinds`` (YAML key to kind class).

    ``module`` is where the built :attr:`model` says it lives (so that conditions pickle).
    """

    def __init__(self, kinds: Mapping[str, type[ConditionKind[Any]]], module: str = __name__) -> None:
        made: dict[str, ConditionKind[Any]] = {}
        for key, kind in kinds.items():
            if kind.key != key:
                raise ValueError(f"the condition kind {kind.__name__} has the key {kind.key!r}, not {key!r}")
            made[key] = kind(self)
        #: The kinds, by YAML key, in the registry's order.
        self.kinds: Mapping[str, ConditionKind[Any]] = MappingProxyType(made)
        fields = [(kind, kind.attribute or key) for key, kind in made.items()]
        self._fields = tuple(fields)
        self._running = tuple(sorted(fields, key=lambda f: f[0].cost))
        self._phrasing = tuple(sorted(fields, key=lambda f: f[0].phrase))
        #: The pydantic model of a condition: one optional field per kind, in the
        #: registry's order (the order of the rule files' JSON schema).
        definitions: dict[str, Any] = {name: kind.field() for kind, name in fields}
        self.model: type[ConditionModel] = create_model(
            "Condition",
            __base__=ConditionModel,
            __module__=module,
            __doc__=ConditionModel.__doc__,
            **definitions,
        )

    # -- the parts of one condition ------------------------------------------------------
    def parts(self, cond: ConditionModel) -> list[Part]:
        """The kinds ``cond`` uses, each with its value, in the order they run."""
        return _used(cond, self._running)

    def _in_registry_order(self, cond: ConditionModel) -> list[Part]:
        return _used(cond, self._fields)

    # -- meaning ------------------------------------------------------------------------
    def interpret(self, cond: ConditionModel) -> Test:
        """The reference meaning of a condition, as nested closures (slow, plainly correct)."""
        tests = [kind.interpret(value) for kind, value in self.parts(cond)]
        return tests[0] if len(tests) == 1 else _union(tests, need_all=True)

    # -- the compiled form: one flat generated function per condition --------------------
    def compile(self, cond: ConditionModel) -> Test:
        """One generated function with the meaning of :meth:`interpret`."""
        if self.depth(cond) > MAX_GENERATED_DEPTH:
            return self.interpret(cond)
        src = Source()
        masks: list[str] = []
        for kind, value in self.parts(cond):
            ok, m = kind.emit(value, src, 1)
            src.emit(1, f"if not {ok}:")
            src.emit(2, "return _FAIL")
            if m is not None:
                masks.append(m)
        if masks:
            src.emit(1, f"m = {' | '.join(masks)}")
            # The shared sets read inline: a call costs more than the lookup that usually answers.
            src.emit(1, "return (True, _SETS.get(m) or as_matched(m)) if m else _HOLDS")
        else:
            src.emit(1, "return _HOLDS")
        body = "\n".join(src.lines)
        code = f"def test(v):\n    F = v.facts\n{body}\n"
        namespace: dict[str, Any] = {
            **src.consts,
            "_FAIL": (False, NONE),
            "_HOLDS": (True, NONE),
            "as_matched": as_matched,
            "_SETS": _SETS,
        }
        exec(compile(code, "<condition>", "exec"), namespace)
        test: Test = namespace["test"]
        return test

    def emit(self, cond: ConditionModel, src: Source, indent: int) -> Emitted:
        """Generate a nested condition into ``src`` (see :meth:`ConditionKind.emit`)."""
        parts = self.parts(cond)
        if len(parts) == 1:
            kind, value = parts[0]
            return kind.emit(value, src, indent)
        return self.emit_all([partial(kind.emit, value) for kind, value in parts], src, indent)

    def emit_all(self, parts: Sequence[Emitter], src: Source, indent: int) -> Emitted:
        """AND of parts, nested so that a false part skips the rest; the mask is their union."""
        ok, m = src.var(), src.var()
        src.emit(indent, f"{ok} = False")
        src.emit(indent, f"{m} = 0")
        masks: list[str] = []
        depth = indent
        for part in parts:
            part_ok, part_m = part(src, depth)
            if part_m is not None:
                masks.append(part_m)
            src.emit(depth, f"if {part_ok}:")
            depth += 1
        src.emit(depth, f"{ok} = True")
        src.emit(depth, f"{m} = " + (" | ".join(masks) or "0"))
        return ok, m

    def depth(self, cond: ConditionModel) -> int:
        """How deeply conditions nest in ``cond`` (1: none nested)."""
        subs = [sub for kind, value in self._in_registry_order(cond) for _, sub in kind.nested(value)]
        return 1 + max((self.depth(c) for c in subs), default=0)

    # -- the rule index ------------------------------------------------------------------
    def options(self, cond: ConditionModel) -> list[frozenset[Feature]]:
        """What ``cond`` needs of a case: feature sets, each needing one of its features,
        most selective first; empty when the index cannot tell."""
        options = [option for kind, value in self.parts(cond) for option in kind.options(value)]
        return sorted(set(options), key=lambda o: (selectivity(o), sorted(o)))

    def decides(self, cond: ConditionModel) -> bool:
        """True when the index alone settles ``cond``: every kind it uses says so."""
        return all(kind.decided(value) for kind, value in self.parts(cond))

    # -- words ---------------------------------------------------------------------------
    def describe(self, cond: ConditionModel) -> str:
        """The condition in one line: its kinds' phrases joined by ``and``."""
        return " and ".join(kind.describe(value) for kind, value in _used(cond, self._phrasing))

    def trace(self, cond: ConditionModel, view: CaseView, indent: int = 0) -> list[str]:
        """Every condition nested in ``cond`` with whether it held for this case."""
        pad = "  " * indent
        ok = self.interpret(cond)(view)[0]
        lines = [f"{pad}{'TRUE ' if ok else 'FALSE'} {self.describe(cond)}"]
        for kind, value in self._in_registry_order(cond):
            for _, sub in kind.nested(value):
                lines += self.trace(sub, view, indent + 1)
        return lines

    # -- checks --------------------------------------------------------------------------
    def never_true(self, cond: ConditionModel) -> list[NeverTrue]:
        """The parts of ``cond`` (nested ones too) that no case can satisfy, each with its
        place below the condition and the reason."""
        parts = self._in_registry_order(cond)
        found = [
            ((kind.key, *place), why) for kind, value in parts for place, why in kind.never_true(value, cond)
        ]
        for kind, value in parts:
            for place, sub in kind.nested(value):
                found += [((kind.key, *place, *inner), why) for inner, why in self.never_true(sub)]
        return found


def _used(cond: ConditionModel, fields: Sequence[tuple[ConditionKind[Any], str]]) -> list[Part]:
    out: list[Part] = []
    for kind, name in fields:
        value = getattr(cond, name)
        if value is not None:
            out.append((kind, value))
    return out
