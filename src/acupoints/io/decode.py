"""One decoding policy for every input: UTF-8, an optional leading BOM, no surrogates.

- Bytes must be UTF-8. A byte that is not is an ``encoding`` problem at its line and
  column (never a ``UnicodeDecodeError``), so nothing downstream ever holds text that
  cannot be written back out as UTF-8.
- One byte order mark (U+FEFF) at the very start is dropped, as text editors write one;
  anywhere else it is an ordinary character (and a syntax error outside a string).
- Text given as ``str`` must not contain surrogates (U+D800 to U+DFFF). They are halves
  of UTF-16 pairs, not characters: a lone one comes from bytes decoded with
  ``surrogateescape`` or from a broken escape, and would make the output invalid UTF-8.
  (A JSON escape pair such as ``\\ud83d\\ude00`` is one character, and reads as one.)
"""

from __future__ import annotations

from ..base.errors import LoadError, Problem

__all__ = ["BOM", "decode_input", "place"]

#: The byte order mark, as a character.
BOM = "\ufeff"
_BOM_BYTES = BOM.encode("utf-8")


def place(text: str | bytes, index: int) -> tuple[int, int]:
    """The 1-based (line, column) of ``index`` in ``text``; lines end at ``\\n``.

    >>> place("ab\\ncd", 4)
    (2, 2)
    """
    nl: str | bytes = "\n" if isinstance(text, str) else b"\n"
    line = text.count(nl, 0, index) + 1  # type: ignore[arg-type]
    return line, index - (text.rfind(nl, 0, index) + 1) + 1  # type: ignore[arg-type]


def decode_input(raw: bytes | str, path: str) -> str:
    """``raw`` as text, under the policy above; raises :class:`~acupoints.LoadError`.

    >>> decode_input(b"\\xef\\xbb\\xbf{}", "a.json")
    '{}'
    >>> decode_input(b"id: caf\\xe9", "a.yaml")
    Traceback (most recent call last):
    acupoints.base.errors.LoadError: a.yaml:1:8: error[encoding] not UTF-8: byte 0xe9 cannot be decoded
    """
    if isinstance(raw, str):
        text = raw[1:] if raw.startswith(BOM) else raw
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as exc:
                line, column = place(text, exc.start)
                code = ord(text[exc.start])
                raise LoadError(
                    [Problem(path, line, column, "encoding",
                             f"U+{code:04X} is a lone UTF-16 surrogate, not a character")]
                ) from None  # fmt: skip
        return text
    if raw.startswith(_BOM_BYTES):
        raw = raw[len(_BOM_BYTES) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = place(raw, exc.start)
        message = f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded"
        raise LoadError([Problem(path, line, column, "encoding", message)]) from None
