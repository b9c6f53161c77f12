"""Mentions of speakers: a token of the text made into who it names (a person, an organisation, or
an unnamed source such as "an official").

A proper name becomes the article's fullest form of it (``components.nlp.names``). A common noun
is a speaker only if it denotes someone who can speak: a person ("a witness", "one of the
victims", "the head of the investigators"), an organisation ("the ministry", "police"), a noun
the article used for a named person or organisation, or an agent noun (-er, -or, -ist, -ian);
"the element", "the news" or "the conference" never speak. A spokesperson, representative or
document speaks for its owner ("a Hampshire Police spokesman", "a spokesman for the Foreign
Ministry", "the report, published by the Ocean Trust"). A place (LOC, FAC, GPE) names a speaker
only as the subject or agent of a speech verb, where it stands for its government or its owner
("the Kremlin said", "Washington warned"); the caller decides that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from spacy.tokens import Span, Token

from components.nlp.doc_index import DocIndex
from components.nlp.lexicon import (
    COMPANY_NOUNS,
    DOCUMENT_NOUNS,
    ORG_HEAD_WORDS,
    PERSON_NOUNS,
    POST_NOMINALS,
    SPOKES_NOUNS,
    TITLE_WORDS,
)
from components.nlp.names import (
    NAME_LABELS,
    NARRATION,
    ORGANISATION,
    PERSON,
    QUOTED,
    UNNAMED,
    WEAK,
    NameIndex,
    clean_name_tokens,
    looks_like_person,
    norm,
)

# How a mention reached its name.
NAME: Final = "name"
PRONOUN: Final = "pronoun"
ROLE: Final = "role"
DESCRIPTION: Final = "description"
AGENT_SUFFIXES: Final = ("er", "or", "ist", "ian")
ORGANISATION_NOUNS: Final = ORG_HEAD_WORDS | COMPANY_NOUNS
# End organisation names ("Sky News") but, alone, are not anyone: "the news said" quotes nobody.
PUBLICATION_WORDS: Final = frozenset({"news", "times", "post"})


@dataclass(frozen=True, slots=True)
class Mention:
    """Who a mention in the text refers to: the canonical name and the mention's character span."""

    name: str | None
    kind: str | None  # PERSON | ORGANISATION | UNNAMED
    start: int
    end: int
    via: str = NAME  # NAME | PRONOUN | ROLE | DESCRIPTION
    sure: bool = True  # False: a pronoun with rival referents, a role the article never gave a name


class Mentions:
    """Turns tokens into speaker mentions, with the article's names indexed once."""

    def __init__(self, index: DocIndex) -> None:
        self.index = index
        self.names = NameIndex()
        self.roles: set[str] = set()  # nouns the article used for a named person or organisation
        # "the Pope", "the court": set by the speaker finder once the article's roles are known.
        self.resolve_role: Callable[[Token], Mention | None] = lambda tok: None
        self._index_names()

    def _index_names(self) -> None:
        doc, index = self.index.doc, self.index
        for ent in index.ents:
            if ent.label_ not in NAME_LABELS or ent.label_ == "NORP":
                continue
            weak = person_evidence(self.index, ent)
            person = (ent.label_ == "PERSON" and not organisation_evidence(self.index, ent)) or weak
            toks = clean_name_tokens(extended(self.index, ent) if person else list(ent), person)
            if not toks:
                continue
            rank = QUOTED if index.quote_of[ent.start] >= 0 else WEAK if weak else NARRATION
            text = index.span_text(toks[0], toks[-1])
            self.names.add(toks, text, PERSON if person else ORGANISATION, rank)
            if (
                not person
                and ent.end + 2 < index.n
                and doc[ent.end].text == "("
                and doc[ent.end + 2].text == ")"
            ):
                acronym = doc[ent.end + 1].text
                if acronym.isupper() and acronym.isalpha():
                    self.names.add_acronym(acronym, text)

    # -- names ----------------------------------------------------------------------------------

    def for_name(self, tok: Token, person_hint: bool = False) -> Mention | None:
        """Return the mention a proper-name or descriptive token makes (no pronoun resolution).

        ``person_hint``: the token names a person whatever NER says (it follows a person's title).
        """
        doc, index = self.index.doc, self.index
        label = ""
        ent = index.entity(tok)
        if person_hint and index.label(tok) != "PERSON":
            label = "PERSON"
            toks = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
            toks = list(doc[toks[0].i if toks else tok.i : tok.i + 1])
            while (
                len(toks) > 1
                and index.ent_of[toks[0].i] >= 0
                and index.ent_of[toks[0].i] != index.ent_of[tok.i]
            ):
                toks.pop(0)  # "… to the United Nations Nikki Haley": "Nations" is another name's
            if toks[0].i > 0 and doc[toks[0].i - 1].lower_ in ("of", "to", "for", "at") and len(toks) > 2:
                # "President of Ukraine Volodymyr Zelenskyy": the place goes with the title.
                dropped = 0
                while len(toks) > 2 and toks[0].ent_type_ in ("GPE", "LOC", "NORP"):
                    toks.pop(0)
                    dropped += 1
                if not dropped:
                    toks.pop(0)
        elif ent is not None and ent.label_ in NAME_LABELS:
            toks, label = list(ent), ent.label_
            if label == "PERSON" and organisation_evidence(self.index, ent):
                label = "ORG"
            elif label == "PERSON" or person_evidence(self.index, ent):
                toks, label = extended(self.index, ent), "PERSON"
        elif tok.pos_ == "PROPN" or (not index.has_pos and tok.is_title):
            toks = [tok]
            if index.has_dep:  # spaCy can crash walking the tree of an unparsed Doc
                lefts = [
                    c
                    for c in tok.lefts
                    if c.dep_ in ("compound", "flat") and (c.pos_ == "PROPN" or c.is_title)
                ]
                toks = list(doc[lefts[0].i if lefts else tok.i : tok.i + 1])
                toks += [c for c in tok.rights if c.dep_ == "flat"]
        else:
            known = self.names.lookup([tok]) if tok.is_title and index.has_pos else None
            if known is not None:  # a surname the tagger took for a common noun ("Mendes said")
                return Mention(known[0], known[1], tok.idx, tok.idx + len(tok.text))
            return self.describe(tok)
        person_like = label == "PERSON" or (label == "" and norm(toks[-1].text) not in ORG_HEAD_WORDS)
        if label == "ORG" and not person_like:
            # NER calls many people ORG: clean as a person unless it ends like an organisation.
            as_org = clean_name_tokens(toks, person=False)
            toks = (
                as_org
                if as_org and norm(as_org[-1].text) in ORG_HEAD_WORDS
                else clean_name_tokens(toks, True)
            )
        else:
            toks = clean_name_tokens(toks, person=person_like)
        if not toks:
            return None
        found = self.names.lookup(toks, quoted=index.quote_of[tok.i] >= 0)
        if found is not None:
            name, kind = found
        else:
            if label == "NORP":
                return None
            name = index.span_text(toks[0], toks[-1])
            kind = PERSON if person_like else ORGANISATION
            self.names.add(toks, name, kind)
        return Mention(name, kind, toks[0].idx, toks[-1].idx + len(toks[-1].text))

    # -- descriptions ---------------------------------------------------------------------------

    def is_agent_noun(self, lemma: str) -> bool:
        """Whether a common noun can denote someone who speaks."""
        return (
            lemma in PERSON_NOUNS
            or lemma in SPOKES_NOUNS
            or lemma in TITLE_WORDS
            or (lemma in ORGANISATION_NOUNS and lemma not in PUBLICATION_WORDS)
            or lemma in self.roles
            or (len(lemma) >= 5 and lemma.endswith(AGENT_SUFFIXES))
        )

    def describe(self, tok: Token) -> Mention | None:
        """A common-noun speaker: "the Turkish military", "one of the victims", "police"."""
        index = self.index
        if (tok.pos_ not in ("NOUN", "NUM", "PROPN") and index.has_pos) or not index.has_dep:
            return None
        lemma = index.lemma(tok)
        for child in tok.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                named = self.for_name(child)
                if named is not None:
                    return named
        if lemma in SPOKES_NOUNS or lemma in DOCUMENT_NOUNS:
            owner = self.owner(tok)
            if owner is not None:
                return owner
        if lemma in DOCUMENT_NOUNS:
            return None  # resolved by the caller from context
        if tok.pos_ == "NUM" or lemma == "one":
            of = next((c for c in tok.children if c.lower_ == "of"), None)
            pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if pobj is None or not self.is_agent_noun(index.lemma(pobj)):
                return None
            return self._phrase(tok, pobj, UNNAMED)
        if not self.is_agent_noun(lemma):
            return None
        if lemma in ORGANISATION_NOUNS:
            lefts = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod")]
            first = lefts[0] if lefts else tok
            span = (first.idx, tok.idx + len(tok.text))
            return Mention(index.span_text(first, tok), ORGANISATION, *span, via=DESCRIPTION)
        # "the head of the police's internal investigators", "a user registered from Ireland"
        last = tok
        for child in tok.rights:
            if child.dep_ not in ("prep", "acl") or "," in self.index.text[tok.idx : child.idx]:
                break
            last = child.right_edge
        return self._phrase(tok, last, UNNAMED)

    def _phrase(self, head: Token, last: Token, kind: str) -> Mention:
        """The description from its first word to ``last``, its first word lower-cased."""
        first = head.left_edge
        while first.i < head.i and (first.is_punct or first.dep_ == "case"):
            first = self.index.doc[first.i + 1]
        text = self.index.span_text(first, last)
        if first.pos_ != "PROPN":
            text = text[:1].lower() + text[1:]
        return Mention(text, kind, first.idx, last.idx + len(last.text), via=DESCRIPTION)

    def owner(self, noun: Token) -> Mention | None:
        """Whom a spokesperson or statement speaks for: "Hampshire Police spokesman", "…from Iran",
        "the decree signed by the Pope"."""
        if not self.index.has_dep:
            return None
        for child in noun.children:
            if child.dep_ == "poss" and child.pos_ != "PRON":
                return self._holder(child)
            if child.dep_ == "prep" and child.lower_ in ("by", "from", "for", "of", "at"):
                pobj = pobj_of(child)
                if pobj is not None and (pobj.pos_ == "PROPN" or self.index.ent_of[pobj.i] >= 0):
                    return self._holder(pobj)
            if child.dep_ == "acl":  # "the report, published by the Ocean Trust"
                pobj = pobj_of(next((c for c in child.children if c.dep_ == "agent"), None))
                if pobj is not None:
                    return self._holder(pobj)
        compounds = [c for c in noun.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
        if compounds:
            return self.for_name(compounds[-1])
        return None

    def _holder(self, tok: Token) -> Mention | None:
        role = self.resolve_role(tok) if self.index.label(tok) == "" else None
        return role if role is not None and role.sure else self.for_name(tok)


def extended(index: DocIndex, ent: Span) -> list[Token]:
    """An entity's tokens with the capitalised words right before it that the recogniser left
    out ("Ana" of "Ana Costa" when only "Costa" was tagged)."""
    doc = index.doc
    first = ent.start
    while first > 0 and index.ent_of[first - 1] < 0 and doc[first - 1].pos_ == "PROPN":
        if not doc[first - 1].is_title or doc[first - 1].head.i not in range(ent.start, ent.end):
            break
        first -= 1
    return list(doc[first : ent.end])


def person_evidence(index: DocIndex, ent: Span) -> bool:
    """Whether a name tagged as an organisation or a place is a person: "Prosecutor Kama Melly
    QC", "Tomasz Kubiak, a fire service spokesman", "Ana Costa, the head of the union"."""
    if ent.label_ not in ("ORG", "GPE", "LOC", "FAC"):
        return False
    if not looks_like_person(clean_name_tokens(extended(index, ent), True)):
        return False
    words = PERSON_NOUNS | SPOKES_NOUNS | TITLE_WORDS
    doc = index.doc
    if ent.start > 0 and norm(doc[ent.start - 1].text) in words:
        return True
    if ent.end < index.n and norm(doc[ent.end].text) in POST_NOMINALS:
        return True
    if not index.has_dep:
        return False
    root = ent.root
    if root.dep_ == "appos" and norm(root.head.lemma_) in words:
        return True
    return any(c.dep_ == "appos" and norm(c.lemma_) in words for c in root.children)


def organisation_evidence(index: DocIndex, ent: Span) -> bool:
    """Whether a PERSON-tagged name is an organisation: "Acme Steel, Brazil's largest exporter"."""
    if not index.has_dep:
        return False
    root = ent.root
    described = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        described.append(root.head)
    return any(index.lemma(t) in ORGANISATION_NOUNS for t in described)


def pobj_of(prep: Token | None) -> Token | None:
    """Return the object of a preposition (None for no preposition)."""
    return next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
