"""Role nouns: "the ambassador", "the minister", "the spokesperson", "the company" refer back to whom
the article introduced in that role.

A noun becomes a role of a named person or organisation when the article uses it for them: in
apposition ("Brazil's ambassador to France, Roberto Almeida"; "Acme, the steelmaker"), as a title
before the name ("Trade Minister Ana Duarte", "Pope Francis"), as the head of an organisation's
name ("the Foreign Ministry") or for a spokesperson whose owner was named ("an Interpol
spokesperson"). A later definite "the <role>" (or "Brazil's <role>") refers to the latest holder.
"The company" with no company introduced as such goes to the latest organisation named, unsure; a
title never given to anyone stays the role phrase, unsure and unnamed.
"""

from __future__ import annotations

from typing import Final

from spacy.tokens import Span, Token

from components.nlp.doc_index import DocIndex
from components.nlp.lexicon import COMPANY_NOUNS, ORG_HEAD_WORDS, SPOKES_NOUNS, TITLE_WORDS
from components.nlp.mentions import ROLE, Mention, Mentions
from components.nlp.names import PERSON, UNNAMED, clean_name_tokens, norm

DEFINITE: Final = frozenset({"the", "this", "that"})


class Roles:
    """The article's role nouns and their holders, in text order."""

    def __init__(self, index: DocIndex, mentions: Mentions) -> None:
        self.index = index
        self.mentions = mentions
        self._holders: dict[str, list[tuple[int, Mention]]] = {}
        self._orgs: list[tuple[int, Mention]] = []  # every organisation named, for "the company"

    def add(self, word: str, position: int, mention: Mention) -> None:
        """Record that the article used ``word`` for ``mention`` at token ``position``."""
        self._holders.setdefault(word, []).append((position, mention))

    def add_organisation(self, position: int, mention: Mention) -> None:
        """Record an organisation named at token ``position``."""
        self._orgs.append((position, mention))

    def words_of(self, ent: Span, mention: Mention) -> set[str]:
        """Nouns the article uses for this named person or organisation."""
        index = self.index
        words: set[str] = set()
        if mention.kind == PERSON:
            # Titles inside the entity ("Pope Francis") and the compound right before it ("Actress …").
            kept = [t.i for t in clean_name_tokens(list(ent), person=True)]
            words |= {norm(t.text) for t in ent if kept and t.i < kept[0] and t.is_alpha}
            before = [c for c in ent.root.lefts if c.dep_ == "compound" and c.i < ent.start]
            if before:
                words.add(index.lemma(before[-1]))
        else:
            words |= {norm(t.text) for t in ent if norm(t.text) in ORG_HEAD_WORDS | COMPANY_NOUNS}
        root = ent.root
        described = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
        if root.dep_ == "appos" and root.head.pos_ == "NOUN":
            described.append(root.head)
        words |= {index.lemma(t) for t in described}
        words.discard("the")
        return {w for w in words if w.isalpha()}

    def resolve(self, noun: Token) -> Mention | None:
        """Return whom a definite role noun refers to ("the ambassador", "the company"), the role
        phrase itself (unsure) when the article never named its holder, or None for other nouns."""
        index = self.index
        lemma = index.lemma(noun)
        determiners = [c for c in noun.lefts if c.dep_ in ("det", "poss")]
        if not determiners or any(c.lower_ not in DEFINITE and c.dep_ == "det" for c in determiners):
            return None
        span = (determiners[0].idx, noun.idx + len(noun.text))
        holders = [m for i, m in self._holders.get(lemma, ()) if i < noun.i]
        if holders:
            m = holders[-1]
            return Mention(m.name, m.kind, *span, via=ROLE)
        bare = all(c.dep_ == "det" for c in noun.lefts)
        if bare and (lemma in COMPANY_NOUNS or lemma in ORG_HEAD_WORDS):
            named = [m for i, m in self._orgs if i < noun.i and not _other_head(m.name, lemma)]
            if named:
                m = named[-1]
                return Mention(m.name, m.kind, *span, via=ROLE, sure=False)
        if lemma in COMPANY_NOUNS or lemma in ORG_HEAD_WORDS:
            return None
        if lemma in TITLE_WORDS and lemma not in SPOKES_NOUNS:
            phrase = index.text[span[0] : span[1]]
            return Mention(phrase[:1].lower() + phrase[1:], UNNAMED, *span, via=ROLE, sure=False)
        return None

    def learnt(self) -> set[str]:
        """Return the role nouns the article used for someone it named."""
        return set(self._holders)


def _other_head(name: str | None, lemma: str) -> bool:
    """Whether an organisation's name ends in a head word other than ``lemma`` ("… Ministry")."""
    last = norm((name or "").split()[-1]) if name else ""
    return last in ORG_HEAD_WORDS and last != lemma
