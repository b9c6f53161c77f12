"""What an article says about one place-like span, read from the parse: the evidence for its country.

Each function states a general fact of news English and reads it off spaCy's tokens, so the rules
work on any article:

- a place is qualified by what follows it after a comma ("Geneva, Switzerland", "Pueblo, Colo.",
  a dateline "TALLAHASSEE, Fla. —"), or by a demonym before "city of" ("the Polish city of Gdańsk");
- "the state of", "province", "the country of" say which kind of place a name is;
- a name is a person's where a title stands before it ("President Obama"), where the article names
  a person by it ("Barack Obama" … "Obama"), where it is the subject of a verb of speech, or where
  it qualifies a person's noun ("the Obama administration", "Obama's aides");
- a name the model called a person or an organisation is a place where a locative preposition
  governs it ("in Darwin", "from Hamilton, Ont."), where it opens a dateline, or where the article
  calls it a place elsewhere;
- a town named like an English word ("Split", "Most") at the start of a sentence is a place only
  with such evidence: the capital letter there says nothing.

Works on a doc without a parser or tagger too: the rules that need one then say nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.attrs import IS_SPACE, IS_UPPER
from spacy.tokens import Doc, Span, Token

from components.nlp.lexicon import (
    COMPASS_WORDS,
    COUNTRY_WORDS,
    LOCATIVE_PREPOSITIONS,
    PERSON_ERA_NOUNS,
    PERSON_KIN_NOUNS,
    SETTLEMENT_WORDS,
    SPEECH_VERBS,
    SUBDIVISION_WORDS,
    TITLE_WORDS,
    TITLES_BEFORE_PLACES,
)
from components.nlp.place_records import TIER_COUNTRY, Candidate, CountryTables, Entry

PERSON_TITLES = frozenset(TITLE_WORDS - TITLES_BEFORE_PLACES)
CUE_SUBDIVISION = "subdivision"
CUE_COUNTRY = "country"
_DATELINE_MARKS = frozenset({",", "(", "—", "–", "-", "--"})
_QUOTES = frozenset({'"', "“", "‘", "'", "(", "["})


@dataclass(frozen=True)
class PeopleInArticle:
    """The names the article gives people: its multi-word PERSON entities and their last words.

    A one-word PERSON entity is left out: the model's label is the very thing in doubt there
    ("in Darwin" tagged PERSON).
    """

    names: frozenset[str]

    @classmethod
    def of(cls, ents: Iterable[Span]) -> PeopleInArticle:
        """Return the people named by the entities ``ents`` (lower-cased)."""
        names: set[str] = set()
        for ent in ents:
            if ent.label_ == "PERSON":
                words = [t.lower_ for t in ent if t.is_alpha]
                if len(words) > 1:
                    names.update((" ".join(words), words[-1]))
        return cls(frozenset(names))

    def has(self, span: Span) -> bool:
        """Return True if the article also names a person as ``span`` is written ("Obama")."""
        return " ".join(t.lower_ for t in span if t.is_alpha) in self.names


def _qualifier_at(doc: Doc, start: int, tables: CountryTables) -> Candidate | None:
    """Return the country or subdivision named by the tokens from ``start`` (up to three), or None."""
    for length in (3, 2, 1):
        end = start + length
        if end > len(doc):
            continue
        words = doc[start:end]
        if not all(t.is_alpha or t.text in {".", "&"} or t.text.endswith(".") for t in words):
            continue
        if not (words[0].is_title or words[0].is_upper):
            continue
        text = words.text
        # "Pa." is one token or two ("Pa", "."), depending on the tokenizer's exceptions.
        dotted = text + "." if end < len(doc) and doc[end].text == "." and not words[-1].whitespace_ else text
        if (abbreviation := tables.abbreviation(dotted)) is not None:
            return abbreviation
        entry = tables.lookup(text)
        if entry is None:
            continue
        best = entry.default
        if (best.tier == TIER_COUNTRY and best.reason == "name") or best.reason == "subdivision":
            return best
    return None


def _place_before_comma(span: Span, tables: CountryTables) -> Entry | None:
    doc = span.doc
    if span.start < 2 or doc[span.start - 1].text != ",":
        return None
    before = doc[span.start - 2]
    return tables.lookup(before.text) if before.is_title or before.is_upper else None


def anchor(span: Span, tables: CountryTables) -> frozenset[str]:
    """Return the subdivisions the place right before "<place>, ``span``" may be in ("Atlanta, Georgia")."""
    entry = _place_before_comma(span, tables)
    return frozenset(c.region for c in entry.candidates if c.region) if entry else frozenset()


def qualifier(span: Span, tables: CountryTables) -> Candidate | None:
    """Return the country or subdivision the article pins ``span`` to, or None.

    "Pueblo, Colo." and "Geneva, Switzerland" (after a comma), "the Polish city of Gdańsk"
    (a demonym before "city of").
    """
    doc = span.doc
    after_comma = span.end + 1 < len(doc) and doc[span.end].text == ","
    if after_comma and (found := _qualifier_at(doc, span.end + 1, tables)):
        return found
    start = span.start
    if start >= 3 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in SETTLEMENT_WORDS:
        entry = tables.lookup(doc[start - 3].text)
        if entry is not None and entry.default.tier == TIER_COUNTRY:
            return entry.default
    return None


def cue(span: Span) -> str | None:
    """Return ``"subdivision"`` after "the state of" or before "state", ``"country"`` after "the country of"."""
    doc = span.doc
    if span.start >= 2 and doc[span.start - 1].lower_ == "of":
        word = doc[span.start - 2].lower_
        if word in SUBDIVISION_WORDS:
            return CUE_SUBDIVISION
        if word in COUNTRY_WORDS:
            return CUE_COUNTRY
    if span.end < len(doc) and doc[span.end].lower_ in SUBDIVISION_WORDS:
        return CUE_SUBDIVISION
    return None


def _bare(token: Token) -> str:
    return token.lower_.rstrip(".")


def has_title(span: Span) -> bool:
    """Return True if a person's title stands right before ``span`` ("President Obama", "Sen. Nelson")."""
    doc = span.doc
    index = span.start - 1
    if index >= 1 and doc[index].text == ".":
        index -= 1
    return index >= 0 and doc[index].is_alpha and _bare(doc[index]) in PERSON_TITLES


def is_speaker(span: Span) -> bool:
    """Return True if ``span`` is the subject of a verb of speech ("Obama said")."""
    root = span.root
    if root.dep_ not in {"nsubj", "nsubjpass"}:
        return False
    head = root.head
    return (head.lemma_ or head.lower_) in SPEECH_VERBS


def names_an_attribute_of_a_person(span: Span) -> bool:
    """Return True if ``span`` qualifies a person's noun ("the Obama administration", "Obama's aides")."""
    root = span.root
    head = root.head
    if head is root:
        return False
    if root.dep_ == "compound":
        return head.lower_ in PERSON_ERA_NOUNS
    return root.dep_ == "poss" and head.lower_ in PERSON_KIN_NOUNS


def is_possessive(span: Span) -> bool:
    """Return True if ``span`` is followed by a possessive ending ("Obama's")."""
    doc = span.doc
    if span.text.endswith(("'s", "’s")):
        return True
    return span.end < len(doc) and doc[span.end].lower_ in {"'s", "’s"}


def _is_place_object(token: Token) -> bool:
    """Return True if ``token`` is governed by a locative preposition or joined to a named place.

    Coordinations are climbed ("in Darwin and Adelaide": Adelaide is a conjunct of Darwin), and a
    conjunct of a GPE or LOC entity is a place too ("hit Caracas, Maracaibo and Valencia").
    """
    seen = 0
    while token.dep_ == "conj" and token.head is not token and seen < 8:
        token, seen = token.head, seen + 1
        if token.ent_type_ in {"GPE", "LOC"}:
            return True
    if token.dep_ != "pobj":
        return False
    preposition = token.head
    # "north of Perth": "of" after a compass word is locative too.
    return preposition.lower_ in LOCATIVE_PREPOSITIONS or (
        preposition.lower_ == "of" and preposition.head.lower_ in COMPASS_WORDS
    )


def is_dateline(span: Span) -> bool:
    """Return True if ``span`` opens a paragraph in capitals before a comma or dash ("GENEVA —")."""
    doc = span.doc
    opens = span.start == 0 or doc[span.start - 1].is_space or doc[span.start - 1].text_with_ws.endswith("\n")
    follows = span.end < len(doc) and doc[span.end].text in _DATELINE_MARKS
    return opens and follows and span.text.isupper()


def follows_a_place(span: Span, tables: CountryTables) -> bool:
    """Return True if ``span`` comes right after "<place>," ("London, Ont.", "Pueblo, Colo.")."""
    return _place_before_comma(span, tables) is not None


def in_place_position(span: Span, tables: CountryTables) -> bool:
    """Return True if the parse or the layout puts ``span`` where places go (see module docstring)."""
    return is_dateline(span) or _is_place_object(span.root) or follows_a_place(span, tables)


def is_sentence_initial(span: Span) -> bool:
    """Return True if ``span`` starts its sentence, or a quotation ("said, \"Corona was quiet\"")."""
    doc = span.doc
    index = span.start
    while index > 0 and doc[index - 1].text in _QUOTES:
        index -= 1
    if index == 0:
        return True
    before = doc[index - 1]
    if index < span.start and before.text in {",", ":", ".", "!", "?"}:
        return True  # a quotation opens: its first word is capitalised whatever it is
    if doc.has_annotation("SENT_START"):
        return doc[index].is_sent_start
    return before.text in {".", "!", "?"} or "\n" in before.text_with_ws


def word_needs_support(span: Span, tables: CountryTables) -> bool:
    """Return True if ``span`` is one word that is also an English word, at a sentence's start."""
    return (
        len(span) == 1 and tables.is_word(span.text) and is_sentence_initial(span) and not span.text.isupper()
    )


def is_proper_noun(span: Span) -> bool:
    """Return True if the tagger calls ``span``'s words proper nouns (True without a tagger)."""
    if not span.doc.has_annotation("TAG"):
        return True
    return all(token.pos_ == "PROPN" for token in span if token.is_alpha)


def add_datelines(doc: Doc, tables: CountryTables) -> None:
    """Add a GPE entity for a dateline the model missed ("GENEVA —" opening a paragraph)."""
    flags = doc.to_array([IS_SPACE, IS_UPPER])  # read in C: no Token objects for the whole doc
    added = []
    for index in range(len(doc)):
        if not flags[index, 1] or (index and not flags[index - 1, 0]):
            continue
        if index and "\n" not in doc[index - 1].text:
            continue
        end = index
        while end < len(doc) and end - index < 3 and doc[end].is_upper and doc[end].is_alpha:
            end += 1
        for stop in range(end, index, -1):  # "NEW DELHI", then "NEW"
            words = doc[index:stop]
            if stop < len(doc) and doc[stop].text in _DATELINE_MARKS and len(words.text) > 2:
                if tables.lookup(words.text) is not None and not any(t.ent_type_ for t in words):
                    added.append(Span(doc, index, stop, label="GPE"))
                break
    if added:
        doc.set_ents(added, default="unmodified")
