"""Genders of the article's people, learnt from the text, never guessed.

From a title or gendered noun at the name (Mrs, Sir, actress, spokeswoman), from his/her/himself/
herself bound to the person as the subject of its own clause ("Dan Price praised his players"), and
from he/she as the subject of what the person said ("Pelosi announced that she would…"). An object
pronoun never teaches its clause's subject ("Almeida joined her" says nothing of Almeida).
``components.nlp.referents`` adds what a pronoun with one possible referent teaches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from spacy.tokens import Span, Token

from components.nlp.doc_index import DocIndex
from components.nlp.lexicon import GENDERED_WORDS
from components.nlp.mentions import Mentions
from components.nlp.names import PERSON, norm

MALE_PRONOUNS: Final = frozenset({"he", "him"})
FEMALE_PRONOUNS: Final = frozenset({"she", "her"})
SUBJECT_DEPS: Final = frozenset({"nsubj", "nsubjpass", "csubj"})
BOUND_PRONOUNS: Final[dict[str, str]] = {"his": "m", "her": "f", "himself": "m", "herself": "f"}
MAX_HEAD_STEPS: Final = 12


class Genders:
    """Person name -> "m" | "f", as the text showed it."""

    def __init__(self, index: DocIndex, mentions: Mentions, cue_lemma: Callable[[Token], str | None]) -> None:
        self.index = index
        self.mentions = mentions
        self.cue_lemma = cue_lemma
        self.known: dict[str, str] = {}

    def learn(self, name: str | None, gender: str) -> None:
        """Record a person's gender, unless the text already gave one."""
        if name:
            self.known.setdefault(name, gender)

    def from_name(self, ent: Span, name: str) -> None:
        """A title or gendered noun at the name: Mrs, Sir, actress, spokeswoman."""
        doc = self.index.doc
        before = [norm(doc[ent.start - 1].text)] if ent.start > 0 else []
        words = (
            before
            + [norm(t.text) for t in ent]
            + [self.index.lemma(c) for c in ent.root.children if c.dep_ == "appos"]
        )
        for word in words:
            if word in GENDERED_WORDS:
                self.learn(name, GENDERED_WORDS[word])
                return

    def clause_subject(self, tok: Token) -> Token | None:
        """The subject of the clause a token belongs to (the nearest verb up the tree with one)."""
        node = tok
        for _ in range(MAX_HEAD_STEPS):
            if node.pos_ in ("VERB", "AUX") and node.i != tok.i:
                return next((c for c in node.children if c.dep_ in SUBJECT_DEPS), None)
            if node.head.i == node.i:
                return None
            node = node.head
        return None

    def person_name(self, tok: Token | None) -> str | None:
        """The name of the person a subject names, itself or in apposition ("the ambassador, X")."""
        if tok is not None and self.index.label(tok) != "PERSON":
            tok = next(
                (c for c in tok.children if c.dep_ == "appos" and self.index.label(c) == "PERSON"), None
            )
        if tok is None or tok.pos_ == "PRON":
            return None
        mention = self.mentions.for_name(tok)
        return mention.name if mention is not None and mention.kind == PERSON else None

    def from_bound(self, pron: Token) -> None:
        """his/her as a determiner, or himself/herself: bound to the subject of its own clause."""
        if pron.lower_ in ("his", "her") and pron.dep_ != "poss":
            return  # "joined her": an object pronoun is never its clause's subject
        self.learn(self.person_name(self.clause_subject(pron)), BOUND_PRONOUNS[pron.lower_])

    def from_report(self, pron: Token) -> None:
        """he/she as the subject of what a person said: "Pelosi announced that she would…"."""
        if pron.dep_ not in SUBJECT_DEPS or pron.head.dep_ != "ccomp":
            return
        verb = pron.head.head
        if self.cue_lemma(verb) is None:
            return
        subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is None or any(
            self.index.label(self.index.doc[j]) == "PERSON" for j in range(subject.i + 1, pron.i)
        ):
            return
        self.learn(self.person_name(subject), "m" if pron.lower_ in MALE_PRONOUNS else "f")
