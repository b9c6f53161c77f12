"""Quotes with no cue: the sentence that leads in, or a marked guess.

A quote right after a sentence of its paragraph whose main verb is a speech verb takes that verb's
speaker ("McGurk also criticized the decision via Twitter. "…"": rule ``lead-in``). Otherwise the
person who is the subject of the quote's clause ("Trump defended his decision, "…"", "she was
directing the committees to "…"") or of the sentence before it is only a guess (rule ``guessed``).
"""

from __future__ import annotations

from spacy.tokens import Token

from components.nlp.cues import SENTENCE_END, cue_lemma
from components.nlp.doc_index import DocIndex
from components.nlp.mentions import Mention
from components.nlp.names import PERSON, UNNAMED
from components.nlp.speakers import Attribution, SpeakerFinder


def lead_in(finder: SpeakerFinder, qi: int, lo: int, hi: int) -> Attribution | None:
    """For a quote with no cue: the sentence right before it introducing it with a speech verb
    (rule ``lead-in``), else a guess: the subject of the clause the quote belongs to, or of
    the sentence before it, when that is a person (rule ``guessed``)."""
    index, doc = finder.index, finder.index.doc
    parent = index.quote_parent[qi]
    region = index.region(parent) if parent >= 0 else None
    j = index.previous_word(lo)
    if j < 0 or index.para[j] != index.para[lo] or index.quote_of[j] != parent:
        return None
    if doc[j].text in SENTENCE_END or doc[j].text == ":":
        first = index.sent_lo[j]
        while first < j and index.quote_of[first] != parent:
            first += 1  # the sentence may start with the closing mark of an earlier quote
        if any(index.quote_of[k] != parent for k in range(first, j)):
            return None  # the sentence has its own quote
        tokens = [doc[k] for k in range(first, j)]
        for tok in tokens:
            if cue_lemma(index, tok) and tok.dep_ in ("ROOT", "conj"):
                mention = finder.speaker_of_cue(tok, region)
                if mention is not None and mention.name:
                    return Attribution(mention, tok.text, "lead-in")
        root = next((t for t in tokens if t.dep_ == "ROOT"), None)
        guess = _person_subject(finder, root, region) if root is not None else None
    else:
        guess = _person_subject(finder, _clause_of(index, lo, hi), region)
    return Attribution(guess, None, "guessed") if guess is not None else None


def _clause_of(index: DocIndex, lo: int, hi: int) -> Token | None:
    """The first verb above the quote, outside it, that has a subject."""
    inside = next((t for t in index.doc[lo:hi] if not lo <= t.head.i < hi and not t.is_punct), None)
    node = inside.head if inside is not None else None
    for _ in range(6):
        if node is None or lo <= node.i < hi:
            return None
        if node.pos_ in ("VERB", "AUX") and any(c.dep_ == "nsubj" for c in node.children):
            return node
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _person_subject(
    finder: SpeakerFinder, verb: Token | None, region: tuple[int, int] | None
) -> Mention | None:
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
    if subject is None or finder.index.quote_of[subject.i] != finder.index.quote_of[verb.i]:
        return None
    mention = finder.mention_of(subject, verb, region)
    if mention is not None and mention.name and mention.kind in (PERSON, UNNAMED):
        return mention
    return None
