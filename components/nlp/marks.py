"""Quote marks: which open a quotation, which close one, which are apostrophes, and how they pair.

Pairing runs paragraph by paragraph (``components.nlp.layout``: a wrapped line is not a paragraph
break), on the text as written: curly “…” and straight "…" double quotes, ‘…’ and '…' single
quotes, British copy's single outer and double inner quotes. A mark between letters, at the end of
a word with no single quote open (It’s, Kerry’s, rebels’), or before an elision ('90s, 'til) is an
apostrophe. A plural possessive inside a single-quoted quote (‘…the farmers’ jobs…’) is an
apostrophe when a later mark in the paragraph can close the quote. A quote running over
paragraphs opens each again and closes once. Marks that cannot be paired are reported as
``QuoteProblem`` values; nothing raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from components.nlp.layout import paragraphs
from components.nlp.lexicon import ELISIONS

DOUBLE: Final = "double"
SINGLE: Final = "single"

OPEN_DOUBLE_MARKS: Final = "“„«"
CLOSE_DOUBLE_MARKS: Final = "”»"
OPEN_MARKS: Final = OPEN_DOUBLE_MARKS + "‘"
CLOSE_MARKS: Final = CLOSE_DOUBLE_MARKS + "’"
_MARK_RE: Final = re.compile("[\"“”„«»‘’']")
# Characters that may stand right before an opening mark / right after a closing one.
_OPEN_CONTEXT: Final = frozenset("([{<—–-/")
_CLOSE_CONTEXT: Final = frozenset(".,;:!?)]}>—–-…/")
# The next single mark that may open (after a space, before a word) or close (after a non-space,
# before white space or punctuation) a quote.
_NEXT_SINGLE_RE: Final = re.compile(
    r"(?P<opener>‘|(?<=[\s(\[“\"])'(?=\w))|(?P<closer>(?<=\S)['’](?=[\s.,;:!?)\]}—–…\"”]|$))"
)
# What may follow an opening single mark besides a letter: `‘[i]t was`, `‘“one in, all in”’`.
_INNER_OPENERS: Final = '[(“"‘'
THIN_SPACES: Final = "\u2009\u200a\u202f"

# Actions of the mark classifier.
_OPEN_D, _CLOSE_D, _OPEN_S, _CLOSE_S, _APOSTROPHE, _STRAY = range(6)


@dataclass(frozen=True, slots=True)
class QuoteProblem:
    """A quote mark that could not be paired; ``message`` says what and where."""

    start: int
    end: int
    kind: str  # "unclosed" | "stray"
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class RawQuote:
    """A paired quotation: ``text[start:end]`` includes its marks."""

    start: int
    end: int
    kind: str  # DOUBLE | SINGLE
    ident: int
    parent: int  # ident of the enclosing quote, -1 at top level
    paragraphs: int


@dataclass(slots=True)
class _Open:
    pos: int
    kind: str
    ident: int
    parent: int
    paragraphs: int = 1


def _classify(text: str, i: int, double_open: bool, single_open: bool, para_end: int) -> int:
    ch = text[i]
    p = text[i - 1] if i > 0 else " "
    if p in THIN_SPACES and i > 1 and text[i - 2] in CLOSE_MARKS + "\"'!?.":
        p = text[i - 2]  # `die?” ’`: a thin space between two closing marks
    n = text[i + 1] if i + 1 < len(text) else " "
    # Nothing opens right before a comma or full stop ("die?' ". has a thin space before the mark).
    opens = (
        (p.isspace() or p in _OPEN_CONTEXT or p in OPEN_MARKS or p == '"')
        and not n.isspace()
        and (n not in ",;:!?)]}." or text.startswith("...", i + 1))
    )
    closes = (n.isspace() or n in _CLOSE_CONTEXT or n in CLOSE_MARKS or n in "\"'") and not p.isspace()
    if ch in OPEN_DOUBLE_MARKS:
        return _CLOSE_D if closes and not opens and double_open else _OPEN_D
    if ch in CLOSE_DOUBLE_MARKS:
        return _OPEN_D if opens and not closes and not double_open else _CLOSE_D
    if ch == '"':
        if opens != closes:
            return _OPEN_D if opens else _CLOSE_D
        return _CLOSE_D if double_open else _OPEN_D
    # Single marks: mostly apostrophes, so a quote only where the context demands one.
    if p.isalnum() and n.isalnum():
        return _APOSTROPHE
    if single_open and (closes or (n.isspace() and p.isspace())):
        if _plural_possessive(text, i, para_end):
            return _APOSTROPHE
        return _CLOSE_S
    if ch != "’" and opens and (n.isalnum() or n in _INNER_OPENERS):
        word = re.match(r"[A-Za-z0-9]+", text[i + 1 : i + 8])
        if n.isdigit() or (word and word.group(0).lower() in ELISIONS):
            return _APOSTROPHE
        return _OPEN_S
    if p.isspace() and n.isspace():
        return _STRAY
    return _APOSTROPHE


def _plural_possessive(text: str, i: int, para_end: int) -> bool:
    """``farmers’ jobs``: after an s, before a word, and the next single mark of the paragraph can
    close the quote (were it another quote's opening mark, this one closes: ‘deepest sympathies’
    and ‘intense attention’)."""
    if text[i - 1 : i] not in ("s", "S") or not text[i + 1 : i + 2].isspace():
        return False
    after = text[i + 1 : para_end].lstrip()
    if not after[:1].isalnum():
        return False
    following = _NEXT_SINGLE_RE.search(text, i + 2, para_end)
    return following is not None and following.group("closer") is not None


def scan_quote_marks(text: str) -> tuple[list[RawQuote], list[QuoteProblem]]:
    """Pair quote marks paragraph by paragraph; return the quotes and the marks left unpaired."""
    stack: list[_Open] = []
    quotes: list[RawQuote] = []
    problems: list[QuoteProblem] = []
    parents: dict[int, int] = {}
    ident = 0

    def unclosed(o: _Open, why: str) -> None:
        what = "double" if o.kind == DOUBLE else "single"
        problems.append(
            QuoteProblem(o.pos, o.pos + 1, "unclosed", f"{what} quote opened at {o.pos} is not closed {why}")
        )

    for first, pend in paragraphs(text):
        reopen_at = -1
        if stack:
            outer = stack[0]
            reopens = OPEN_DOUBLE_MARKS + '"' if outer.kind == DOUBLE else "‘'"
            if text[first] in reopens:
                # News style: a quote running on opens each paragraph again and closes only once.
                for inner in stack[1:]:
                    unclosed(inner, "before the paragraph ends")
                del stack[1:]
                outer.paragraphs += 1
                reopen_at = first
            else:
                for o in stack:
                    unclosed(o, "before the paragraph ends")
                stack.clear()
        for m in _MARK_RE.finditer(text, first, pend):
            i = m.start()
            if i == reopen_at:
                continue
            double_open = any(o.kind == DOUBLE for o in stack)
            single_open = any(o.kind == SINGLE for o in stack)
            action = _classify(text, i, double_open, single_open, pend)
            if action in (_OPEN_D, _OPEN_S):
                parent = stack[-1].ident if stack else -1
                stack.append(_Open(i, DOUBLE if action == _OPEN_D else SINGLE, ident, parent))
                parents[ident] = parent
                ident += 1
            elif action in (_CLOSE_D, _CLOSE_S):
                kind = DOUBLE if action == _CLOSE_D else SINGLE
                if not any(o.kind == kind for o in stack):
                    problems.append(
                        QuoteProblem(i, i + 1, "stray", f"closing {kind} quote at {i} has no opening mark")
                    )
                    continue
                while stack[-1].kind != kind:
                    unclosed(stack.pop(), f"before the {kind} quote closing at {i}")
                o = stack.pop()
                if any(c.isalnum() for c in text[o.pos + 1 : i]):
                    quotes.append(RawQuote(o.pos, i + 1, kind, o.ident, o.parent, o.paragraphs))
            elif action == _STRAY:
                problems.append(QuoteProblem(i, i + 1, "stray", f"quote mark at {i} stands alone"))
    for o in stack:
        unclosed(o, "by the end of the text")
    # A quote whose enclosing mark was never closed hangs from the nearest closed ancestor.
    emitted = {q.ident for q in quotes}
    fixed = []
    for q in quotes:
        parent = q.parent
        while parent >= 0 and parent not in emitted:
            parent = parents.get(parent, -1)
        fixed.append(RawQuote(q.start, q.end, q.kind, q.ident, parent, q.paragraphs))
    fixed.sort(key=lambda q: q.start)
    problems.sort(key=lambda p: p.start)
    return fixed, problems
