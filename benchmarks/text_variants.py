"""The same article laid out differently, with its character offsets mapped: to score what generalises.

Layout is not language: a resolver that reads "Florida" right in one layout should read it right
in all of them. Each variant returns the new text and a function from old offsets to new ones.

- ``wrapped``: paragraphs hard-wrapped at 72 columns (spaces become newlines: offsets unchanged);
- ``crlf``: Windows line endings (each "\\n" becomes "\\r\\n": offsets shift);
- ``curly``: straight quotes made curly (“…”, ’); ``single``: British single quotes (‘…’).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

Variant = Callable[[str], tuple[str, Callable[[int], int]]]
WRAP_COLUMNS = 72


def _same(offset: int) -> int:
    return offset


def wrapped(text: str) -> tuple[str, Callable[[int], int]]:
    """Return ``text`` hard-wrapped at ``WRAP_COLUMNS`` columns (same length, same offsets)."""
    chars = list(text)
    line_start = 0
    last_space = -1
    for index, char in enumerate(chars):
        if char == "\n":
            line_start, last_space = index + 1, -1
        elif char == " ":
            if index - line_start > WRAP_COLUMNS and last_space > line_start:
                chars[last_space] = "\n"
                line_start = last_space + 1
            last_space = index
    return "".join(chars), _same


def crlf(text: str) -> tuple[str, Callable[[int], int]]:
    """Return ``text`` with Windows line endings, and the offset map."""
    newlines = [index for index, char in enumerate(text) if char == "\n"]
    return text.replace("\n", "\r\n"), lambda offset: offset + bisect.bisect_left(newlines, offset)


def _requote(text: str, opening: str, closing: str) -> str:
    chars = list(text)
    for index, char in enumerate(chars):
        if char == '"':
            before = chars[index - 1] if index else " "
            chars[index] = opening if before.isspace() or before in "([—–-" else closing
        elif char == "'":
            chars[index] = "’"
    return "".join(chars)


def curly(text: str) -> tuple[str, Callable[[int], int]]:
    """Return ``text`` with curly double quotes and apostrophes (same length)."""
    return _requote(text, "“", "”"), _same


def single(text: str) -> tuple[str, Callable[[int], int]]:
    """Return ``text`` with British single quotes for double ones (same length)."""
    return _requote(text, "‘", "’"), _same


VARIANTS: dict[str, Variant] = {"wrapped": wrapped, "crlf": crlf, "curly": curly, "single": single}
