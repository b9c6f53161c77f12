"""Resolve an article's entity mentions to countries (ISO 3166-1 alpha-3): a spaCy component.

Add it after the NER with ``nlp.add_pipe("article_countries")`` (importing this module registers
the factory). Then each entity it resolves has ``span._.country`` ("SYR") and
``span._.country_reason``, and ``doc._.countries`` lists them as ``CountryMention`` values.

Reasons (the vocabulary the table and the charts use):

- ``name``: the country's own name or a variant ("US", "Britain", "DR Congo", "northern Syria");
- ``demonym``: its people or adjective ("Syrian", "Congolese", "North Korean");
- ``capital``: its capital ("Moscow", "Washington");
- ``city``: a town or city in it ("Aleppo", "Birmingham" with "Alabama" in the article);
- ``subdivision``: a state, province, region or county in it, or their abbreviation ("Florida",
  "Fla.", "N.S.W.", "Broward County");
- ``seat of government``: a building that stands for its government ("the White House", "the
  Kremlin", "Downing Street"), whatever label the model gave it;
- ``landmark``: a landmark in it ("Buckingham Palace", "the Eiffel Tower");
- ``ambiguous``: a town the article leaves undecided between countries; such a span has **no**
  country (``span._.country`` is None).

Which labels are read: GPE, LOC, NORP and FAC spans are places unless the article shows a person
(a title before, a speaker, a name the article gives a person: "President Obama", "Obama said").
ORG and PERSON spans, which the small model often gives to towns ("in Darwin and Adelaide"), are
places only with evidence: a seat of government or landmark, "<country> government" ("Russian
Defence Ministry"), a locative preposition, a dateline, a "<place>, <state>" layout, or the same
name called a place elsewhere in the article. The evidence is read in ``place_evidence``, the
decision between same-named places made in ``country_choice``, the tables built in
``country_data``.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from spacy.language import Language
from spacy.tokens import Doc, Span

from components.nlp import place_evidence as evidence
from components.nlp.country_choice import AMBIGUOUS, ArticleContext, choose, placed_by
from components.nlp.country_data import load_tables
from components.nlp.lexicon import COMPASS_WORDS, GOVERNMENT_WORDS, SUBDIVISION_WORDS
from components.nlp.place_records import (
    REASON_AMBIGUOUS,
    REASON_CITY,
    REASON_DEMONYM,
    REASON_NAME,
    REASONS,
    TIER_CITY,
    TIER_COUNTRY,
    TIER_SEAT,
    Candidate,
    Entry,
    normalize_key,
)

__all__ = [
    "FACTORY_NAME",
    "GOVERNMENT_LABELS",
    "REASONS",
    "RESOLVABLE_LABELS",
    "ArticleContext",
    "ArticleCountries",
    "CountryMention",
    "CountryResolution",
    "count_countries",
    "country_codes",
    "country_name",
    "doc_countries",
    "iso3_to_numeric",
    "register_extensions",
    "resolve_country",
    "resolve_doc",
]

FACTORY_NAME: Final = "article_countries"

# Labels whose spans name a place or a people. FAC is here for places the model calls facilities.
RESOLVABLE_LABELS: Final = frozenset({"GPE", "LOC", "NORP", "FAC"})
# Labels resolved only with evidence (see module docstring).
GOVERNMENT_LABELS: Final = frozenset({"ORG"})
EVIDENCE_LABELS: Final = frozenset({"ORG", "PERSON"})


@dataclass(frozen=True, slots=True)
class CountryResolution:
    """The country a mention refers to, why we think so, and the country's short English name."""

    iso3: str
    reason: str
    name: str


@dataclass(frozen=True, slots=True)
class CountryMention:
    """One resolved mention in a doc: character offsets (end exclusive), its text and its country."""

    start: int
    end: int
    text: str
    iso3: str
    reason: str
    name: str


def register_extensions() -> None:
    """Register ``Span._.country``, ``Span._.country_reason`` and ``Doc._.countries`` if missing."""
    if not Span.has_extension("country"):
        Span.set_extension("country", default=None)
    if not Span.has_extension("country_reason"):
        Span.set_extension("country_reason", default=None)
    if not Doc.has_extension("countries"):
        # A getter over the entities rather than a stored list: the doc's user_data then holds
        # only strings, so ``doc.to_bytes()`` and DocBin keep working.
        Doc.set_extension("countries", getter=doc_countries)


@functools.lru_cache(maxsize=32768)
def _entry_for_text(text: str) -> tuple[Entry | None, str | None, Candidate | None]:
    """Return the places ``text`` may mean, the kind it names, and a qualifier inside it.

    Besides the name itself: "northern Syria" (a compass word before a country), "Guangdong
    province" / "the state of Goa" (a kind of place), "Winchester, Hampshire" (a qualifier).
    """
    tables = load_tables()
    if tables.is_blocked(text):
        return None, None, None
    # "Pa." is Pennsylvania before it is Pa, Burkina Faso: written with its dot, an abbreviation.
    if text.endswith(".") and (abbreviation := tables.abbreviation(text)) is not None:
        return Entry((abbreviation,)), None, None
    if (entry := tables.lookup(text)) is not None:
        return entry, None, None
    words = text.split()
    if len(words) > 1 and words[0].casefold() in COMPASS_WORDS:
        rest = tables.lookup(" ".join(words[1:]))
        if rest is not None and rest.default.tier == TIER_COUNTRY and rest.default.reason == REASON_NAME:
            return Entry((rest.default,)), None, None
    key = normalize_key(text).split()
    if len(key) > 1 and key[-1] in SUBDIVISION_WORDS:
        return tables.lookup(" ".join(key[:-1])), "subdivision", None
    if len(key) > 2 and key[0] in SUBDIVISION_WORDS and key[1] == "of":
        return tables.lookup(" ".join(key[2:])), "subdivision", None
    if ", " in text:
        head, _, tail = text.partition(", ")
        place, qualifier = tables.lookup(head), tables.lookup(tail) or _abbreviation_entry(tail)
        if place is not None:
            return place, None, qualifier.default if qualifier else None
    return None, None, None


def _abbreviation_entry(text: str) -> Entry | None:
    abbreviation = load_tables().abbreviation(text)
    return Entry((abbreviation,)) if abbreviation else None


@functools.lru_cache(maxsize=32768)
def _government_entry(text: str) -> Entry | None:
    """Return the entry for "<country or demonym> <government words>", or None."""
    words = text.split()  # as written: "US Army" keeps the capitals that make "US" an acronym
    head = len(words)
    while head > 0 and normalize_key(words[head - 1]) in GOVERNMENT_WORDS:
        head -= 1
    if head in (0, len(words)):
        return None
    entry = load_tables().lookup(" ".join(words[:head]))
    # Only a country's name or demonym: "Washington Post" and "Aleppo Media Centre" stay ORGs.
    if entry is None or entry.default.reason not in (REASON_NAME, REASON_DEMONYM):
        return None
    return Entry((entry.default,))


def _is_seat_or_landmark(entry: Entry, text: str, label: str) -> bool:
    # A landmark is named whatever label the model gave it; a one-word PERSON is a person.
    return entry.default.tier == TIER_SEAT and (label != "PERSON" or len(text.split()) > 1)


def country_name(iso3: str) -> str | None:
    """Return the short English name of an alpha-3 code ("SYR" → "Syria"), or None if unknown."""
    return load_tables().names.get(iso3.upper())


def country_codes() -> list[str]:
    """Return every ISO 3166-1 alpha-3 code the tables know, sorted by the country's name."""
    names = load_tables().names
    return sorted(names, key=lambda code: names[code])


def iso3_to_numeric(iso3: str) -> str | None:
    """Return the ISO 3166-1 numeric code as world-atlas map ids write it ("AFG" → "004"), or None.

    Kosovo ("XKX") has no numeric code, and the map draws it without an id.
    """
    return load_tables().numeric.get(iso3.upper())


def _resolution(candidate: Candidate) -> CountryResolution | None:
    if candidate is AMBIGUOUS or not candidate.iso3:
        return None
    return CountryResolution(candidate.iso3, candidate.reason, country_name(candidate.iso3) or candidate.iso3)


def resolve_country(
    text: str, label: str, context: Counter[str] | ArticleContext | None = None
) -> CountryResolution | None:
    """Return the country that an entity ``text`` with NER ``label`` refers to, or None.

    Without an article around it, a PERSON or ORG is a country only as a seat of government or
    landmark, or as "<country> government". ``context`` counts the article's other country
    mentions by alpha-3 code (``count_countries(doc._.countries)``) or is an ``ArticleContext``;
    it decides between same-named places ("Birmingham" with ``Counter({"USA": 3})`` is
    Birmingham, Alabama). A town left ambiguous gives None.
    """
    label = label.upper()
    entry, cue, qualifier = _entry_for_text(text)
    if label in EVIDENCE_LABELS:
        if label in GOVERNMENT_LABELS and (government := _government_entry(text)) is not None:
            return _resolution(government.default)
        if entry is None or not _is_seat_or_landmark(entry, text, label):
            return None
    elif label not in RESOLVABLE_LABELS:
        return None
    if entry is None:
        return None
    return _resolution(choose(entry, context, qualifier, cue=cue))


def resolve_doc(doc: Doc) -> list[CountryMention]:
    """Return the doc's country mentions, after setting ``span._.country``/``country_reason`` on its entities."""
    _annotate(doc)
    return doc_countries(doc)


@dataclass
class _Pending:
    span: Span
    entry: Entry
    qualifier: Candidate | None
    anchor: frozenset[str]
    cue: str | None
    needs_support: bool  # a town named like an English word at a sentence's start


def _read_span(span: Span, people: evidence.PeopleInArticle, places_named: Counter[str]) -> _Pending | None:
    """Return what the article says about ``span`` as a place, or None if it is no place here."""
    tables = load_tables()
    label = span.label_
    text = span.text
    if label not in RESOLVABLE_LABELS and label not in EVIDENCE_LABELS:
        return None
    doc = span.doc
    entry, cue, inner_qualifier = _entry_for_text(text)
    if entry is None and span.end < len(doc) and doc[span.end].text == ".":
        entry = _abbreviation_entry(text + ".")  # "Va" "." as two tokens
    if span.end + 1 < len(doc) and doc[span.end].text == "-" and not span[-1].whitespace_:
        # The model split "Congo-Brazzaville" at its hyphen.
        joined, _, _ = _entry_for_text(f"{text}-{doc[span.end + 1].text}")
        entry = joined or entry
    if entry is None and label in {"GPE", "LOC"} and (pinned := evidence.qualifier(span, tables)):
        # A town we do not know is where the article says it is ("Marksville, Louisiana").
        entry = Entry((Candidate(pinned.iso3, REASON_CITY, 0, pinned.region, TIER_CITY),))
    government = _government_entry(text) if label in GOVERNMENT_LABELS else None
    entry = government or entry
    if entry is None:
        return None
    seat = _is_seat_or_landmark(entry, text, label)
    if label in EVIDENCE_LABELS and not seat and government is None:
        placed = evidence.in_place_position(span, tables) or normalize_key(text) in places_named
        if not placed or (label == "PERSON" and people.has(span) and not evidence.is_dateline(span)):
            return None
    qualifier = inner_qualifier or evidence.qualifier(span, tables)
    anchor = evidence.anchor(span, tables)
    unqualified = qualifier is None and not anchor
    if (
        entry.default.tier > TIER_COUNTRY
        and not seat
        and unqualified
        and _reads_as_person(span, entry, people)
    ):
        return None
    needs_support = entry.default.tier >= TIER_CITY and evidence.word_needs_support(span, tables)
    return _Pending(span, entry, qualifier, anchor, cue or evidence.cue(span), needs_support)


def _reads_as_person(span: Span, entry: Entry, people: evidence.PeopleInArticle) -> bool:
    """Return True if the article uses ``span`` as a person's name (see module docstring)."""
    if evidence.has_title(span):
        return True
    capital = any(c.reason == "capital" for c in entry.candidates)
    if not capital and entry.default.tier >= TIER_CITY and evidence.names_an_attribute_of_a_person(span):
        return True
    if not people.has(span):
        return False
    # A capital stands for its government ("Washington said"): only a speaker or possessive that
    # the article also names as a person is that person ("Denzel Washington" … "Washington said").
    if capital:
        return evidence.is_speaker(span) or evidence.is_possessive(span)
    return True


def _supported(item: _Pending, context: ArticleContext, places_named: Counter[str]) -> bool:
    """Return True if a sentence-initial town named like a word has place-like evidence."""
    span = item.span
    if item.qualifier is not None or item.anchor or evidence.is_dateline(span):
        return True
    if not evidence.is_proper_noun(span):
        return False
    return places_named[normalize_key(span.text)] > 0 or any(
        context.countries[c.iso3] > 0 for c in item.entry.candidates
    )


def _annotate(doc: Doc) -> None:
    """Set ``span._.country``/``country_reason`` on the doc's entities.

    Mentions whose country the text alone decides go first; their countries and states are then
    the context for the others, and a town still ambiguous gets one more look with all of them.
    """
    register_extensions()
    evidence.add_datelines(doc, load_tables())
    ents = doc.ents  # built once: each ``doc.ents`` makes new Span objects
    people = evidence.PeopleInArticle.of(ents)
    short_forms = _short_forms(ents)
    # Names the article calls places mid-sentence: a PERSON or ORG span of the same name is that
    # place too ("Goa's government" after "the state of Goa"), unless an organisation is named
    # after it ("Mahan Air" … "Mahan's permit").
    organisations = {normalize_key(s.text).split()[0] for s in ents if s.label_ == "ORG" and len(s) > 1}
    places_named = Counter(
        key
        for span in ents
        if span.label_ in {"GPE", "LOC"}
        and not evidence.is_sentence_initial(span)
        and (key := normalize_key(span.text)) not in organisations
    )
    context = ArticleContext()
    pending: list[_Pending] = []
    # A town the article has placed with a qualifier ("Palm Beach, Florida") is that town when it
    # is named again on its own ("In Palm Beach, he …"), as news writes a place in full once.
    placed: dict[str, Candidate] = {}
    for span in ents:
        if span.label_ not in RESOLVABLE_LABELS and span.label_ not in EVIDENCE_LABELS:
            continue  # never a place: no country to set, none to clear
        span._.country = span._.country_reason = None
        key = normalize_key(span.text)
        if (known := short_forms.get(key)) is not None:
            item: _Pending | None = _Pending(span, Entry((known,)), None, frozenset(), None, False)
        else:
            item = _read_span(span, people, places_named)
        if item is None:
            continue  # a person or organisation stays one, whatever a place of its name was
        if item.qualifier is not None and (found := placed_by(item.entry, item.qualifier)) is not None:
            placed.setdefault(key, found)  # only a place its qualifier decided, not a guess beside it
        elif item.qualifier is None and (found := placed.get(key)) is not None:
            item.entry = Entry((found,))
        if len(item.entry.countries) == 1 and not item.needs_support:
            _settle(item, choose(item.entry, None, item.qualifier, item.anchor, item.cue), context)
        else:
            pending.append(item)
    undecided: list[_Pending] = []
    for item in pending:
        if item.needs_support and not _supported(item, context, places_named):
            continue
        candidate = choose(item.entry, context, item.qualifier, item.anchor, item.cue)
        if candidate is AMBIGUOUS:
            undecided.append(item)
        else:
            _settle(item, candidate, context)
    for item in undecided:
        _settle(item, choose(item.entry, context, item.qualifier, item.anchor, item.cue), context)


def _short_forms(ents: Iterable[Span]) -> dict[str, Candidate]:
    """Return the first words of the article's seats and landmarks ("Blenheim" of "Blenheim Palace").

    An article names a landmark in full, then by its first word: that word is the landmark, not a
    town of that name abroad.
    """
    forms: dict[str, Candidate] = {}
    for span in ents:
        if len(span) < 2 or span.label_ not in RESOLVABLE_LABELS | EVIDENCE_LABELS:
            continue
        entry, _, _ = _entry_for_text(span.text)
        if entry is not None and entry.default.tier == TIER_SEAT and len(entry.countries) == 1:
            words = normalize_key(span.text).split()
            if len(words) > 1:
                forms.setdefault(words[0], entry.default)
    return forms


def _settle(item: _Pending, candidate: Candidate, context: ArticleContext) -> None:
    if candidate is AMBIGUOUS:
        item.span._.country_reason = REASON_AMBIGUOUS
        return
    item.span._.country = candidate.iso3
    item.span._.country_reason = candidate.reason
    context.add(candidate)


def doc_countries(doc: Doc) -> list[CountryMention]:
    """Return the doc's entities that have a country (``span._.country``), in text order."""
    names = load_tables().names
    mentions = []
    for span in doc.ents:
        iso3 = span._.country
        if iso3:
            mentions.append(
                CountryMention(
                    start=span.start_char,
                    end=span.end_char,
                    text=span.text,
                    iso3=iso3,
                    reason=span._.country_reason,
                    name=names.get(iso3, iso3),
                )
            )
    return mentions


def count_countries(mentions: Iterable[CountryMention | CountryResolution]) -> Counter[str]:
    """Return how often each alpha-3 code occurs in ``mentions`` (the ``context`` of resolve_country)."""
    return Counter(mention.iso3 for mention in mentions)


class ArticleCountries:
    """The ``article_countries`` pipeline component: ``resolve_doc`` on every doc."""

    def __init__(self, nlp: Language, name: str = FACTORY_NAME) -> None:
        self.name = name
        register_extensions()
        load_tables()  # build now, so the first article isn't the one that waits

    def __call__(self, doc: Doc) -> Doc:
        """Return ``doc`` with its entities' countries set."""
        _annotate(doc)  # not resolve_doc: nobody reads the mention list here, so don't build it
        return doc


@Language.factory(
    FACTORY_NAME,
    requires=["doc.ents"],
    assigns=["doc.ents", "span._.country", "span._.country_reason", "doc._.countries"],
)
def make_article_countries(nlp: Language, name: str) -> ArticleCountries:
    """Return a new ``article_countries`` component (spaCy calls this from ``nlp.add_pipe``)."""
    return ArticleCountries(nlp, name)
