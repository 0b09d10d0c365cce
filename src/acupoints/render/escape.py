"""Escaping text from the input before a view writes it: one helper per kind of output.

A case id, a note or a custom rule's text comes from whoever wrote the input, and a view
copies it into a terminal, a Markdown file or an HTML page. There it must stay text:

- :func:`terminal`: no control character reaches the terminal. An ANSI escape sequence
  could recolour, move the cursor or rewrite the title; a bidirectional override could
  make the line read differently from what it holds. Each is shown as its Python escape
  (``\\x1b``, ``\\u202e``), so that it is visible and cannot act.
- :func:`markdown`: no raw HTML (``<script>``) and no Markdown markup (links, emphasis,
  table cells) comes from the input; control characters are shown as in the terminal.
- :func:`html`: the HTML report's escaping (``&``, ``<``, ``>`` and quotes), with control
  characters shown as in the terminal.

>>> terminal("case \\x1b[31mred\\x1b[0m")
'case \\\\x1b[31mred\\\\x1b[0m'
>>> markdown("<script>alert(1)</script> *bold* [link](x) a|b")
'&lt;script&gt;alert(1)&lt;/script&gt; \\\\*bold\\\\* \\\\[link\\\\](x) a\\\\|b'
>>> html('<b title="x">')
'&lt;b title=&quot;x&quot;&gt;'
"""

from __future__ import annotations

import html as _html
import re
import unicodedata

__all__ = ["html", "markdown", "terminal", "visible"]

#: Format characters that reorder or hide text: the bidirectional marks, embeddings,
#: overrides and isolates, and the invisible separators (Trojan Source, CVE-2021-42574).
_BIDI = frozenset(
    "\u061c\u200b\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
#: Markdown's markup characters, escaped with a backslash (CommonMark lets any ASCII
#: punctuation be escaped so; these are the ones that start links, emphasis, code or cells).
_MARKUP = re.compile(r"([\\`*_\[\]|#~])")


def _escaped(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character and reordering mark written as its escape.

    >>> visible("a\\tb\\nc\\u202ed")
    'a\\\\x09b\\\\x0ac\\\\u202ed'
    """
    if text.isprintable() and not _BIDI.intersection(text):
        return text  # the common case, checked at C speed
    return "".join(
        _escaped(ch) if ch in _BIDI or unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text
    )


def terminal(text: object) -> str:
    """Text for a terminal: control characters and reordering marks made visible."""
    return visible(str(text))


def markdown(text: object) -> str:
    """Text for Markdown: no raw HTML, no markup from the input, control characters visible."""
    escaped = _html.escape(visible(str(text)), quote=False)
    return _MARKUP.sub(r"\\\1", escaped)


def html(text: object) -> str:
    """Text for HTML, attribute values included: ``&<>"'`` escaped, control characters visible."""
    return _html.escape(visible(str(text)), quote=True)
