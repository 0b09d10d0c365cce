"""A Griffe extension for the API pages: render the project's docstrings as Markdown.

The docstrings are written for ``help()`` and doctest: bare ``>>>`` examples and a few
reST roles (``:class:`~acupoints.Case```). Markdown would read ``>>>`` as nested block
quotes and print the roles verbatim, so this extension, loaded by mkdocstrings (see
``mkdocs.yml``), fences each doctest as a ``pycon`` block and turns each role into inline
code before the docstring is parsed. The source stays untouched.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|attr|mod|obj|exc|data):`~?([^`]+)`")


def _short(target: str, tilde: bool) -> str:
    return target.rsplit(".", 1)[-1] if tilde else target


def to_markdown(text: str) -> str:
    """Fence doctest examples and turn reST roles into inline code.

    >>> to_markdown("Run it:\\n\\n>>> 1 + 1\\n2\\n\\nSee :class:`~acupoints.Case`.")
    'Run it:\\n\\n```pycon\\n>>> 1 + 1\\n2\\n```\\n\\nSee `Case`.'
    """
    text = _ROLE.sub(lambda m: f"`{_short(m.group(1), '~' in m.group(0))}`", text)
    out: list[str] = []
    in_fence = in_example = False
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("```"):
            in_fence = not in_fence
        if in_example and not stripped:
            out.append("```")
            in_example = False
        elif not in_fence and not in_example and stripped.startswith(">>>"):
            out.append("```pycon")
            in_example = True
        out.append(line)
    if in_example:
        out.append("```")
    # A reST literal block marker ("like this::") is a plain colon in Markdown.
    return re.sub(r"::$", ":", "\n".join(out), flags=re.MULTILINE)


class MarkdownDocstrings(griffe.Extension):
    """Rewrite every docstring with :func:`to_markdown` as soon as its object exists."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = to_markdown(obj.docstring.value)
