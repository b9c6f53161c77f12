"""The same article in other layouts and typography, with every gold offset mapped through.

Layout and typography are not language: a quote finder should score the same on an article however
it is wrapped, whichever quote marks it uses and whatever its line endings. Each variant here is
made the way such copy is made in the wild:

- ``wrapN-blank`` / ``wrapN-indent``: hard-wrapped at N columns (60, 72, 80) as wire copy and
  plain-text archives are, lines breaking mid-sentence and mid-quote, runs of spaces collapsed;
  paragraphs told apart by a blank line, or by a four-space indent of their first line;
- ``straight``: every curly mark straight (“ ” ‘ ’ become " and ');
- ``curly``: every straight mark curly, as a word processor's "smart quotes" would make them;
- ``british-curly`` / ``british-straight``: outer quotes single, quotes inside them double
  (‘…“…”…’), apostrophes ’ or ' like the closing single mark, as British copy does;
- ``crlf``: Windows line endings.

The marks of the original are read by this module's own small classifier (nothing is imported from
``components/``); at the boundaries of a gold quote the marks are known, so they are always right.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

DOUBLE_MARKS = '"“”„«»'
SINGLE_MARKS = "'‘’"
_OPEN_BEFORE = set(" \t\n([{—–-/") | set("“‘\"'")
WRAP_WIDTHS = (60, 72, 80)
INDENT = "    "


@dataclass(frozen=True)
class Variant:
    """An article's text in one variant; ``offsets[i]`` is where original character ``i`` went."""

    name: str
    text: str
    offsets: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the variant's span of the original span ``start:end`` (which ends on a non-space)."""
        return self.offsets[start], self.offsets[end - 1] + 1


def identity(name: str, text: str) -> Variant:
    """Return the text unchanged."""
    return Variant(name, text, list(range(len(text) + 1)))


# -- layout ----------------------------------------------------------------------------------------


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each non-blank line: the development texts hold one paragraph a line."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]


def wrapped(text: str, width: int, separator: str) -> Variant:
    """Return ``text`` hard-wrapped at ``width`` columns, paragraphs apart by ``separator``
    ("blank": an empty line; "indent": the first line indented)."""
    out: list[str] = []
    offsets = [0] * (len(text) + 1)
    length = 0

    def emit(piece: str) -> None:
        nonlocal length
        out.append(piece)
        length += len(piece)

    for number, (start, end) in enumerate(paragraphs(text)):
        if number:
            emit("\n\n" if separator == "blank" else "\n")
        column = 0
        if separator == "indent":
            emit(INDENT)
            column = len(INDENT)
        first = True
        for word in re.finditer(r"\S+", text[start:end]):
            size = len(word.group(0))
            if not first and column + 1 + size > width:
                emit("\n")
                column = 0
            elif not first:
                emit(" ")
                column += 1
            for k in range(size):
                offsets[start + word.start() + k] = length + k
            emit(word.group(0))
            column += size
            first = False
    offsets[len(text)] = length
    _fill_gaps(offsets, text)
    return Variant(f"wrap{width}-{separator}", "".join(out), offsets)


def _fill_gaps(offsets: list[int], text: str) -> None:
    """White space that was dropped maps to where the next kept character went."""
    following = offsets[len(text)]
    for i in range(len(text) - 1, -1, -1):
        if text[i].isspace():
            offsets[i] = following
        else:
            following = offsets[i]


def crlf(text: str) -> Variant:
    """Return ``text`` with Windows line endings."""
    offsets, shift = [], 0
    for ch in text:
        offsets.append(len(offsets) + shift)
        shift += ch == "\n"
    offsets.append(len(text) + shift)
    return Variant("crlf", text.replace("\n", "\r\n"), offsets)


# -- typography ------------------------------------------------------------------------------------

OPEN, CLOSE, APOSTROPHE = "open", "close", "apostrophe"


def mark_roles(text: str, known: dict[int, str]) -> dict[int, tuple[str, str]]:
    """Return, for each quote mark, ("double" | "single", "open" | "close" | "apostrophe").

    ``known`` gives the role of marks the gold annotation fixes (a gold quote's first and last
    character). The rest are read from their neighbours, paragraph by paragraph.
    """
    roles: dict[int, tuple[str, str]] = {}
    for start, end in paragraphs(text):
        open_double = False
        singles: list[int] = []
        for i in range(start, end):
            ch = text[i]
            if ch not in DOUBLE_MARKS + SINGLE_MARKS:
                continue
            before = text[i - 1] if i > start else " "
            after = text[i + 1] if i + 1 < end else " "
            if ch in DOUBLE_MARKS:
                role = known.get(i) or _double_role(ch, before, after, open_double)
                open_double = role == OPEN
                roles[i] = ("double", role)
                continue
            role = known.get(i) or _single_role(ch, before, after, bool(singles))
            if role == OPEN:
                singles.append(i)
            elif role == CLOSE:
                if singles:
                    singles.pop()
                else:
                    role = APOSTROPHE
            roles[i] = ("single", role)
        for i in singles:  # an opening single mark never closed was an apostrophe ('90s, 'em)
            roles[i] = ("single", APOSTROPHE)
    return roles


def _double_role(ch: str, before: str, after: str, open_double: bool) -> str:
    if ch in "“„«":
        return OPEN
    if ch in "”»":
        return CLOSE
    if before in _OPEN_BEFORE and not after.isspace():
        return OPEN
    if not before.isspace() and (after.isspace() or not after.isalnum()):
        return CLOSE
    return CLOSE if open_double else OPEN


def _single_role(ch: str, before: str, after: str, single_open: bool) -> str:
    if before.isalnum() and after.isalnum():
        return APOSTROPHE
    if ch != "’" and before in _OPEN_BEFORE and after.isalpha():
        return OPEN
    if single_open and not before.isspace() and (after.isspace() or after in ".,;:!?)—–"):
        return CLOSE
    return APOSTROPHE


def with_marks(name: str, text: str, known: dict[int, str], marks: Callable[[str, str], str]) -> Variant:
    """Return ``text`` with each quote mark replaced by ``marks(kind, role)`` (one character each)."""
    chars = list(text)
    for i, (kind, role) in mark_roles(text, known).items():
        chars[i] = marks(kind, role)
    return Variant(name, "".join(chars), list(range(len(text) + 1)))


def _straight(kind: str, role: str) -> str:
    return '"' if kind == "double" else "'"


def _curly(kind: str, role: str) -> str:
    if kind == "double":
        return "“" if role == OPEN else "”"
    return "‘" if role == OPEN else "’"


def _british(curly: bool) -> Callable[[str, str], str]:
    def marks(kind: str, role: str) -> str:
        if role == APOSTROPHE:
            return "’" if curly else "'"
        swapped = "single" if kind == "double" else "double"
        return _curly(swapped, role) if curly else _straight(swapped, role)

    return marks


# -- all variants ----------------------------------------------------------------------------------


def known_marks(quotes: Iterable[tuple[int, int]]) -> dict[int, str]:
    """Return the mark roles fixed by gold quotes given as (start, end) spans."""
    known: dict[int, str] = {}
    for start, end in quotes:
        known[start] = OPEN
        known[end - 1] = CLOSE
    return known


VARIANT_NAMES = (
    "original",
    *(f"wrap{w}-{s}" for w in WRAP_WIDTHS for s in ("blank", "indent")),
    "straight",
    "curly",
    "british-curly",
    "british-straight",
    "crlf",
)


def make_variant(name: str, text: str, quotes: Iterable[tuple[int, int]]) -> Variant:
    """Return the variant ``name`` (one of ``VARIANT_NAMES``) of ``text`` with gold ``quotes``."""
    if name == "original":
        return identity(name, text)
    if name.startswith("wrap"):
        width, separator = name[4:].split("-")
        return wrapped(text, int(width), separator)
    if name == "crlf":
        return crlf(text)
    known = known_marks(quotes)
    marks = {
        "straight": _straight,
        "curly": _curly,
        "british-curly": _british(curly=True),
        "british-straight": _british(curly=False),
    }[name]
    return with_marks(name, text, known, marks)
