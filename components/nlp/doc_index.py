"""What the speaker rules need to know about one Doc, computed once in a pass over its tokens.

Token offsets, paragraphs (from ``components.nlp.layout``, so a wrapped line is not a paragraph
break), sentences, entities, and which quote each token is in. Everything else in the attribution
modules reads these arrays instead of walking the Doc again.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from components.nlp.layout import paragraph_index, paragraphs


class DocIndex:
    """Arrays over one Doc's tokens: paragraph, sentence bounds, entity and innermost quote."""

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        self.doc = doc
        self.text = doc.text if text is None else text  # Doc.text costs a pass over the tokens
        self.n = len(doc)
        self.has_dep = doc.has_annotation("DEP")
        self.has_ents = doc.has_annotation("ENT_IOB")
        self.has_lemma = doc.has_annotation("LEMMA")
        self.has_pos = doc.has_annotation("POS")
        self.tok_starts = [t.idx for t in doc]
        self.paragraphs = paragraphs(self.text)
        self.para = paragraph_index(self.paragraphs, self.tok_starts) if self.paragraphs else [0] * self.n
        self.sent_lo = [0] * self.n
        self.sent_hi = [self.n] * self.n
        self.sent_no = [0] * self.n
        if self.has_dep or doc.has_annotation("SENT_START"):
            for number, sent in enumerate(doc.sents):
                for i in range(sent.start, sent.end):
                    self.sent_lo[i], self.sent_hi[i], self.sent_no[i] = sent.start, sent.end, number
        else:  # without a parser, a paragraph stands for a sentence
            start = 0
            for i in range(self.n):
                if i == self.n - 1 or self.para[i + 1] != self.para[i]:
                    for j in range(start, i + 1):
                        self.sent_lo[j], self.sent_hi[j], self.sent_no[j] = start, i + 1, self.para[i]
                    start = i + 1
        self.ents: list[Span] = list(doc.ents) if self.has_ents else []
        self.ent_of = [-1] * self.n
        for k, ent in enumerate(self.ents):
            for i in range(ent.start, ent.end):
                self.ent_of[i] = k
        # Innermost quote (index into the caller's list) per token, and each quote's parent and range.
        self.quote_of = [-1] * self.n
        self.quote_parent: list[int] = []
        self.quote_ranges: list[tuple[int, int]] = []

    def set_quotes(self, ranges: list[tuple[int, int]], parents: list[int], order: Sequence[int]) -> None:
        """Record quote token ranges; ``order`` lists outer quotes before the quotes inside them."""
        self.quote_parent = parents
        self.quote_ranges = ranges
        for q in order:
            lo, hi = ranges[q]
            for i in range(lo, hi):
                self.quote_of[i] = q

    def token_at(self, char: int) -> int:
        """Return the index of the token that holds character ``char``."""
        return max(0, bisect_right(self.tok_starts, char) - 1)

    def label(self, tok: Token) -> str:
        """Return the entity label of a token ("" outside entities)."""
        k = self.ent_of[tok.i]
        return self.ents[k].label_ if k >= 0 else ""

    def entity(self, tok: Token) -> Span | None:
        k = self.ent_of[tok.i]
        return self.ents[k] if k >= 0 else None

    def lemma(self, tok: Token) -> str:
        """Return the token's lower-case lemma (its lower-case text without a lemmatizer)."""
        return tok.lemma_.lower() if self.has_lemma else tok.lower_

    def region(self, parent: int) -> tuple[int, int]:
        """Return the token range a quote's speaker is looked for in: its enclosing quote, or the Doc."""
        return (0, self.n) if parent < 0 else self.quote_ranges[parent]

    def same_level(self, j: int, parent: int, para: int, region: tuple[int, int]) -> bool:
        """Whether token ``j`` is in the narration around a quote (not in another quote or paragraph)."""
        return region[0] <= j < region[1] and self.quote_of[j] == parent and self.para[j] == para

    def span_text(self, first: Token, last: Token) -> str:
        """Return the text from ``first`` to ``last`` (inclusive) as written."""
        return self.text[first.idx : last.idx + len(last.text)]

    def previous_word(self, i: int) -> int:
        """Return the index of the last non-space token before ``i`` (-1 when there is none)."""
        j = i - 1
        while j >= 0 and self.doc[j].is_space:
            j -= 1
        return j
