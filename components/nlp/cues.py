"""Cues: the speech verbs (and "according to") that attribute a quotation, in the order they are tried.

For one quote, candidates come in this order:

1. ``after``: a cue right after the quote (``"…," Lavrov said`` / ``"…," said Lavrov`` / ``"…,"
   according to …``); a name in apposition after the quote does not use up the reach
   (``"…," Jane Roe, the editor of the Courier, wrote``);
2. ``before``: a cue right before it (``Lavrov said: "…"`` / ``He tweeted, "…"`` / ``wrote "…"``);
3. ``dependency``: the parse's path from the quote up to a speech verb (partial quotes inside
   reported speech: ``X accused the board of "…"``, ``Russia seeks "…", Lavrov said``);
4. ``window``: the nearest speech verb or ``according to`` elsewhere in the quote's sentence.

Positions are counted in words: white space, line breaks of wrapped text included, is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Final

from spacy.tokens import Token

from components.nlp.doc_index import DocIndex
from components.nlp.lexicon import IRREGULAR_FORMS, SPEECH_VERBS

# How far (words) a cue may sit from a quote mark and still count as "right beside" it.
AFTER_REACH: Final = 8
AFTER_REACH_LOWER: Final = 2  # `"…" he said` with no comma: only the very next words
BEFORE_REACH_PUNCT: Final = 12
BEFORE_REACH_BARE: Final = 3
MAX_HEAD_STEPS: Final = 12
SENTENCE_END: Final = frozenset({".", "!", "?"})
AFTER_QUOTE_PUNCT: Final = ",?!—–-…"


def _forms(lemmas: Iterable[str]) -> dict[str, str]:
    forms: dict[str, str] = dict(IRREGULAR_FORMS)
    for lemma in lemmas:
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        for form in (lemma, lemma + "s", stem + "ed", stem + "ing", lemma + "ed"):
            forms.setdefault(form, lemma)
    return forms


SPEECH_VERB_FORMS: Final[dict[str, str]] = _forms(SPEECH_VERBS)


def cue_lemma(index: DocIndex, tok: Token) -> str | None:
    """Return the speech verb's lemma ("according to" for that phrase), or None for other words."""
    low = tok.lower_
    if low == "according":
        nxt = tok.i + 1
        return "according to" if nxt < index.n and index.doc[nxt].lower_ == "to" else None
    lemma = tok.lemma_.lower() if index.has_lemma else SPEECH_VERB_FORMS.get(low)
    if lemma not in SPEECH_VERBS:
        return None
    if index.has_pos and tok.pos_ not in ("VERB", "AUX"):
        return None
    return lemma


def cue_candidates(
    index: DocIndex, qi: int, lo: int, hi: int, start: int, end: int
) -> Iterator[tuple[str, Token]]:
    """Yield (rule, cue token) for quote ``qi`` (tokens ``lo:hi``, characters ``start:end``), best first."""
    doc, parent = index.doc, index.quote_parent[qi]
    region = index.region(parent)
    after = _after(index, parent, region, hi, start, end)
    if after is not None:
        yield "after", after
    before = _before(index, parent, region, lo, start)
    if before is not None:
        yield "before", before
    if index.has_dep:
        seen: set[int] = set()
        for i in range(lo, hi):
            head = doc[i].head
            if lo <= head.i < hi or head.i == i or doc[i].is_punct:
                continue
            cue = _walk_up(index, head, parent, region, seen)
            if cue is not None:
                yield "dependency", cue
                break
    window = _window(index, parent, region, lo, hi)
    if window is not None:
        yield "window", window


def _after(
    index: DocIndex, parent: int, region: tuple[int, int], hi: int, start: int, end: int
) -> Token | None:
    text = index.text
    inside_last = text[max(start, end - 2) : end - 1]
    following = text[end : end + 40].lstrip()
    # A lower-case word after the closing mark is only a cue position if it is the cue or its
    # pronoun (`"…" he said`); otherwise the sentence simply goes on.
    if inside_last in AFTER_QUOTE_PUNCT or following[:1] in (",", "—", "–"):
        reach = AFTER_REACH
    else:
        reach = AFTER_REACH_LOWER if following[:1].islower() else 0
    if hi >= index.n or not reach:
        return None
    para = index.para[hi - 1]
    words = 0
    j = hi
    while j < min(index.sent_hi[hi], region[1]) and words < reach:
        if not index.same_level(j, parent, para, region):
            return None
        tok = index.doc[j]
        if cue_lemma(index, tok):
            return tok
        if tok.text == "," and _apposition_ends(index, j):
            j = _apposition_ends(index, j)
            continue
        words += not tok.is_space
        j += 1
    return None


def _apposition_ends(index: DocIndex, comma: int) -> int:
    """After ``Name ,`` opening an apposition ("Jane Roe, the editor of the Courier,"): the index of
    the comma closing it, so the cue after it is still "right after" the quote (0 otherwise)."""
    doc = index.doc
    before = index.previous_word(comma)
    if before < 0 or doc[before].pos_ != "PROPN" or not index.has_dep:
        return 0
    for child in doc[before].children:
        if child.dep_ == "appos" and child.i > comma:
            close = child.right_edge.i + 1
            if close < index.n and doc[close].text == ",":
                return close + 1
    return 0


def _before(index: DocIndex, parent: int, region: tuple[int, int], lo: int, start: int) -> Token | None:
    if lo <= 0:
        return None
    before = index.text[max(0, start - 3) : start].rstrip()
    reach = BEFORE_REACH_PUNCT if before[-1:] in (":", ",") else BEFORE_REACH_BARE
    para = index.para[lo]
    words = 0
    j = lo - 1
    stop = max(region[0] - 1, index.sent_lo[lo - 1] - 1)
    while j > stop and words < reach:
        tok = index.doc[j]
        if not index.same_level(j, parent, para, region) or tok.text in SENTENCE_END:
            return None
        if cue_lemma(index, tok):
            return tok
        words += not tok.is_space
        j -= 1
    return None


def _window(index: DocIndex, parent: int, region: tuple[int, int], lo: int, hi: int) -> Token | None:
    """The nearest speech verb in the quote's sentence; the parser's sentences are unreliable
    around quotes, so a full stop outside quotes also ends the search."""
    doc = index.doc
    para = index.para[lo]
    best: tuple[int, Token] | None = None
    for j, step, stop in (
        (lo - 1, -1, max(region[0], index.sent_lo[lo]) - 1),
        (hi, 1, min(region[1], index.sent_hi[hi - 1])),
    ):
        while j != stop and region[0] <= j < region[1] and index.para[j] == para:
            if index.quote_of[j] != parent:
                j += step  # a sibling quote of the same sentence: look past it
                continue
            if doc[j].text in SENTENCE_END:
                break
            if cue_lemma(index, doc[j]):
                dist = lo - j if j < lo else j - hi
                if best is None or dist < best[0]:
                    best = (dist, doc[j])
                break
            j += step
    return best[1] if best is not None else None


def _walk_up(
    index: DocIndex, tok: Token, parent: int, region: tuple[int, int], seen: set[int]
) -> Token | None:
    for _ in range(MAX_HEAD_STEPS):
        if tok.i in seen or not (region[0] <= tok.i < region[1]):
            return None
        seen.add(tok.i)
        if index.quote_of[tok.i] == parent and cue_lemma(index, tok):
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None
