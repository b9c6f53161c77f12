"""Paragraphs and wrapped lines: which line breaks end a paragraph, and the text a parser should see.

Articles come in three layouts. Web copy puts one paragraph on each line (the bundled article);
some texts separate paragraphs by blank lines; wire copy and plain-text archives are *hard-wrapped*
at a fixed column, so a line break may fall mid-sentence or mid-quote, and paragraphs are told apart
by a blank line or by an indented first line. Rules about quotes and speakers must see paragraphs,
never lines, whatever the layout.

A text is taken as hard-wrapped when its lines look like the output of a line-filling program: most
lines that do not end a block run close to one width (``WRAP_SLACK`` columns of it) and most of
them stop mid-sentence. In a hard-wrapped text a line break ends a paragraph when the next line is
indented more than the block's body, or when the line stopped early although the next line's first
word would have fitted (a filling program would have put it there) and the line ends a sentence or
is short. Otherwise every line is a paragraph. Blank lines always end one.

``unwrap`` gives the text to parse: the line breaks inside paragraphs as spaces, Windows line
endings as ``\\n``, and for each of its characters the offset it came from, so spans found on it map
back to the original exactly. Plain Python, no spaCy.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Final

_BREAK_RE: Final = re.compile(r"\r\n|\r|\n")
# A line ending with one of these may end a paragraph (sentence ends and closing quote marks).
SENTENCE_END: Final = tuple(".!?:;\"'”’»)…")
# A filled line runs within this many columns of the width (a long word wraps early).
WRAP_SLACK: Final = 16
# Lines longer than this are not from a line-filling program.
MAX_WRAP_WIDTH: Final = 120
# Share of inner lines that must look filled for a text to count as hard-wrapped.
FILLED_SHARE: Final = 0.6
PARAGRAPH_SEPARATOR: Final = "\n\n"


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the text: ``start:end`` is its content without the line break."""

    start: int
    end: int
    indent: int  # leading white space, in characters
    content: str  # the line without leading and trailing white space

    @property
    def blank(self) -> bool:
        return not self.content


def text_lines(text: str) -> list[Line]:
    """Return every line of ``text`` (``\\n``, ``\\r\\n`` and ``\\r`` all end a line)."""
    lines = []
    position = 0
    for m in _BREAK_RE.finditer(text):
        lines.append(_line(text, position, m.start()))
        position = m.end()
    lines.append(_line(text, position, len(text)))
    return lines


def _line(text: str, start: int, end: int) -> Line:
    raw = text[start:end]
    return Line(start, end, len(raw) - len(raw.lstrip()), raw.strip())


def wrap_width(lines: list[Line]) -> int | None:
    """Return the column a hard-wrapped text is filled to, or None when it is not hard-wrapped."""
    inner = [line for line, after in itertools.pairwise(lines) if not line.blank and not after.blank]
    if len(inner) < 2:
        return None
    width = max(line.end - line.start for line in lines if not line.blank)
    if width > MAX_WRAP_WIDTH:
        return None
    filled = [line for line in inner if line.end - line.start >= width - WRAP_SLACK]
    open_ended = [line for line in inner if not line.content.endswith(SENTENCE_END)]
    if len(filled) < FILLED_SHARE * len(inner) or len(open_ended) * 2 < len(inner):
        return None
    return width


def _ends_paragraph(line: Line, after: Line, width: int, body_indent: int) -> bool:
    if after.indent > body_indent:
        return True
    next_word = after.content.split(maxsplit=1)[0]
    would_fit = (line.end - line.start) + 1 + len(next_word) <= width
    short = (line.end - line.start) < width * 0.6
    return would_fit and (line.content.endswith(SENTENCE_END) or short)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each paragraph's content, in order: no leading or trailing white
    space, and the line breaks of a wrapped paragraph inside it."""
    lines = text_lines(text)
    width = wrap_width(lines)
    spans: list[tuple[int, int]] = []
    block: list[Line] = []

    def close_block() -> None:
        if not block:
            return
        body_indent = min(line.indent for line in block[1:]) if len(block) > 1 else block[0].indent
        first = block[0]
        for line, after in zip(block, [*block[1:], None], strict=True):
            if after is None or width is None or _ends_paragraph(line, after, width, body_indent):
                spans.append((first.start + first.indent, _content_end(text, line)))
                first = after if after is not None else first
        block.clear()

    for line in lines:
        if line.blank:
            close_block()
        else:
            block.append(line)
    close_block()
    return spans


def _content_end(text: str, line: Line) -> int:
    end = line.end
    while end > line.start and text[end - 1].isspace():
        end -= 1
    return end


@dataclass(frozen=True, slots=True)
class Unwrapped:
    """Text with its paragraphs each on one line; ``origin[k]`` is the offset of its character ``k``
    in the original (white space inserted between paragraphs points at the next paragraph)."""

    text: str
    origin: tuple[int, ...]


def unwrap(text: str) -> Unwrapped | None:
    """Return the text to parse, or None when ``text`` already has one paragraph per line and no ``\\r``."""
    spans = paragraphs(text)
    if "\r" not in text and not any("\n" in text[start:end] for start, end in spans):
        return None
    pieces: list[str] = []
    origin: list[int] = []
    for number, (start, end) in enumerate(spans):
        if number:
            pieces.append(PARAGRAPH_SEPARATOR)
            origin.extend([start] * len(PARAGRAPH_SEPARATOR))
        position = start
        for m in re.finditer(r"[ \t]*[\r\n]\s*", text[start:end]):
            chunk = text[position : start + m.start()]
            pieces.append(chunk)
            origin.extend(range(position, position + len(chunk)))
            pieces.append(" ")
            origin.append(start + m.start())
            position = start + m.end()
        pieces.append(text[position:end])
        origin.extend(range(position, end))
    origin.append(len(text))
    return Unwrapped("".join(pieces), tuple(origin))


def paragraph_index(spans: list[tuple[int, int]], offsets: list[int]) -> list[int]:
    """Return, for each character offset (sorted), the number of the paragraph it is in or after."""
    out = []
    k = 0
    for offset in offsets:
        while k + 1 < len(spans) and spans[k + 1][0] <= offset:
            k += 1
        out.append(k)
    return out
