"""Plain text inside Streamlit's markdown: titles, captions, messages and labels render markdown."""

from __future__ import annotations

_MARKDOWN_CHARACTERS = frozenset("\\`*_{}[]()#+-.!<>|~$:")


def plain(text: str) -> str:
    """Return ``text`` with every markdown character escaped, so it shows exactly as typed.

    Article text, file names, labels and speakers reach titles, captions and messages; unescaped,
    ``[x](javascript:…)``, ``**bold**`` or ``<b>`` in them would become markup.
    """
    return "".join("\\" + char if char in _MARKDOWN_CHARACTERS else char for char in text)
