"""Vocabulary words as pydantic annotations: a field typed ``Region`` accepts only regions.

The case model, the rule schema and the catalogue schema all use these, so they live at
the bottom layer, beside the words themselves (:mod:`acupoints.base.vocab`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from .vocab import (
    ASPECTS,
    CAUSE_KINDS,
    FLAGS,
    LEVELS,
    NERVES,
    ONSETS,
    RED_FLAGS,
    REGIONS,
    SENSATIONS,
    SIDES,
    TECHNIQUES,
    TENDERNESS,
)

__all__ = [
    "UNKNOWN_WORD",
    "Aspect",
    "CauseKind",
    "Flag",
    "Level",
    "Limb",
    "Nerve",
    "Onset",
    "RedFlag",
    "Region",
    "Sensation",
    "Side",
    "Technique",
    "Tenderness",
    "Word",
    "enum_of",
    "one_of",
]

#: The error type of a word outside its vocabulary (see :class:`Word`); its context
#: carries ``what`` and ``allowed``, which :func:`acupoints.io.problems.problems_from` reads.
UNKNOWN_WORD = "unknown_word"


@dataclass(frozen=True)
class Word:
    """A ``str`` annotation that accepts only the words of ``allowed``.

    pydantic-core checks the word itself (a hash lookup, no Python call per value). An
    unknown word fails with the error type :data:`UNKNOWN_WORD`, whose context carries
    ``what`` and ``allowed``; :func:`problems_from` turns it into the message of
    :func:`describe_choice` (the word, the closest allowed one and the allowed ones).
    """

    allowed: tuple[str, ...]
    what: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        check = core_schema.custom_error_schema(
            core_schema.literal_schema(list(self.allowed)),
            UNKNOWN_WORD,
            # Only seen by callers of ``model_validate``, who get pydantic's own error.
            custom_error_message=f"unknown {self.what}; allowed: {', '.join(self.allowed)}",
            custom_error_context={"what": self.what, "allowed": self.allowed},
        )
        # A plain ``str`` first: the same coercions (bytes, str enums) and type errors as before.
        return core_schema.chain_schema([core_schema.str_schema(), check])

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # In the schema a word is a string; ``enum_of`` lists the words (in both schema modes).
        return handler(core_schema.str_schema())


def one_of(allowed: tuple[str, ...], what: str) -> Word:
    """Accept only ``allowed``; the error names the allowed words and the closest one."""
    return Word(allowed, what)


def enum_of(allowed: tuple[str, ...]) -> Any:
    return Field(json_schema_extra={"enum": list(allowed)})


Region = Annotated[str, one_of(REGIONS, "region"), enum_of(REGIONS)]
Aspect = Annotated[str, one_of(ASPECTS, "aspect"), enum_of(ASPECTS)]
Sensation = Annotated[str, one_of(SENSATIONS, "sensation"), enum_of(SENSATIONS)]
CauseKind = Annotated[str, one_of(CAUSE_KINDS, "cause kind"), enum_of(CAUSE_KINDS)]
Nerve = Annotated[str, one_of(NERVES, "nerve"), enum_of(NERVES)]
Level = Annotated[str, one_of(LEVELS, "spinal level"), enum_of(LEVELS)]
Flag = Annotated[str, one_of(FLAGS, "flag"), enum_of(FLAGS)]
RedFlag = Annotated[str, one_of(RED_FLAGS, "red flag"), enum_of(RED_FLAGS)]
Side = Annotated[str, one_of(SIDES, "side"), enum_of(SIDES)]
Tenderness = Annotated[str, one_of(TENDERNESS, "tenderness"), enum_of(TENDERNESS)]
Onset = Annotated[str, one_of(ONSETS, "onset"), enum_of(ONSETS)]
Technique = Annotated[str, one_of(TECHNIQUES, "technique"), enum_of(TECHNIQUES)]
Limb = Annotated[str, one_of(("arm", "leg"), "limb"), enum_of(("arm", "leg"))]
