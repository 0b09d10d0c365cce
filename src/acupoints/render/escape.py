"""Text from outside (a case id, a rule file's words) made safe to show in a terminal or in Markdown.

A case id is whatever the case says, and a rule file may come from anyone. Printed raw,
``"\\x1b[2J"`` clears the terminal, a carriage return hides what came before it on the
line, a right-to-left override reverses what the reader sees, and in Markdown
``<script>`` or ``[link](...)`` is live. :func:`plain` shows every such character as an
escape (``\\x1b``, ``\\r``, ``\\u202e``) instead; :func:`markdown` does that and also
puts a backslash before each character that starts Markdown or HTML markup, so it reads
as itself. The HTML view escapes with :func:`html.escape` (``render.html``).

>>> plain("c1\\x1b[31m red\\r")
'c1\\\\x1b[31m red\\\\r'
>>> markdown("<script>alert(1)</script> *bold* [x](y)")
'\\\\<script\\\\>alert(1)\\\\</script\\\\> \\\\*bold\\\\* \\\\[x\\\\](y)'
>>> plain("Tiān Zhù, 天柱 🙂") == "Tiān Zhù, 天柱 🙂"
True
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["markdown", "plain"]

#: Characters that reorder or hide text (bidirectional controls) and that break lines
#: outside the control range; every C0 and C1 control and DEL are escaped too.
_INVISIBLE = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")
#: What starts markup in Markdown (CommonMark) or in the HTML it lets through.
_MARKUP = re.compile(r"([\\`*_\[\]<>&|~])")


_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escaped(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    if unicodedata.category(ch) == "Cc" or ch in _INVISIBLE:
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return ch


def plain(text: str) -> str:
    """``text`` with every control character and text-reordering mark shown as an escape."""
    if text.isprintable():  # the usual case, in one pass in C
        return text
    return "".join(_escaped(ch) for ch in text)


def markdown(text: str) -> str:
    """``text`` as :func:`plain` shows it, with a backslash before each character that
    starts Markdown or HTML markup (so ``<script>`` reads as text, not as a tag)."""
    return _MARKUP.sub(r"\\\1", plain(text))
