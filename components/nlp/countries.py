"""Resolve an article's entity mentions to countries (ISO 3166-1 alpha-3): a spaCy component.

Add it after the NER with ``nlp.add_pipe("article_countries")`` (importing this module registers
the factory). Then each entity it resolves has ``span._.country`` ("SYR") and
``span._.country_reason`` ("name", "demonym", "capital", "city" or "place"), and
``doc._.countries`` lists them as ``CountryMention`` values.

Only places and peoples are resolved: entities labelled GPE, LOC, NORP or FAC. The small model
often calls a city NORP ("Aleppo"), so NORP gets the same lookups; a PERSON "Jordan" or an ORG
"Washington Post" never becomes a country. ORG is resolved only in the "<country> government"
form ("Russian Defence Ministry", "US Army"), where the organisation *is* the state; a news
organisation, a company or an armed group named after a place ("Free Syrian Army") is not.

Ambiguous city names ("Birmingham": GBR or USA) are decided by the article's other, unambiguous
country mentions; the lookup tables and those rules live in ``components.country_data``.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from spacy.language import Language
from spacy.tokens import Doc, Span

from components.nlp.country_data import (
    REASON_DEMONYM,
    REASON_NAME,
    REASONS,
    Candidate,
    Entry,
    load_tables,
    normalize_key,
)
from components.nlp.lexicon import GOVERNMENT_WORDS

__all__ = [
    "FACTORY_NAME",
    "GOVERNMENT_LABELS",
    "REASONS",
    "RESOLVABLE_LABELS",
    "ArticleCountries",
    "CountryMention",
    "CountryResolution",
    "count_countries",
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
# Labels resolved only in the "<country> <government body>" form (see module docstring).
GOVERNMENT_LABELS: Final = frozenset({"ORG"})


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
def _entry_for(text: str, label: str) -> Entry | None:
    # Cached: an article repeats its places ("Aleppo" ×7) and entries are immutable.
    if label in RESOLVABLE_LABELS:
        entry = load_tables().lookup(text)
        if entry is not None:
            return entry
    if label in RESOLVABLE_LABELS or label in GOVERNMENT_LABELS:
        return _government_entry(text)
    return None


def _government_entry(text: str) -> Entry | None:
    """Return the entry for "<country or demonym> <government words>", or None."""
    words = normalize_key(text).split()
    head = len(words)
    while head > 0 and words[head - 1] in GOVERNMENT_WORDS:
        head -= 1
    if head in (0, len(words)):
        return None
    entry = load_tables().lookup(" ".join(words[:head]))
    # Only a country's name or demonym: "Washington Post" and "Aleppo Media Centre" stay ORGs.
    if entry is None or entry.default.reason not in (REASON_NAME, REASON_DEMONYM):
        return None
    return Entry(entry.default)


def _choose(entry: Entry, context: Mapping[str, int] | None) -> Candidate:
    """Return the entry's candidate that the article's other country mentions favour."""
    if not context or not entry.alternatives or context.get(entry.default.iso3, 0) > 0:
        return entry.default
    # max() keeps the first of equals, and alternatives are in order of size.
    favourite = max(entry.alternatives, key=lambda candidate: context.get(candidate.iso3, 0))
    return favourite if context.get(favourite.iso3, 0) > 0 else entry.default


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


def resolve_country(text: str, label: str, context: Counter[str] | None = None) -> CountryResolution | None:
    """Return the country that an entity ``text`` with NER ``label`` refers to, or None.

    ``context`` counts the article's other country mentions by alpha-3 code (for instance
    ``count_countries(doc._.countries)``); it only decides between same-named places
    ("Birmingham" with ``Counter({"USA": 3})`` is Birmingham, Alabama).
    """
    entry = _entry_for(text, label.upper())
    if entry is None:
        return None
    candidate = _choose(entry, context)
    return CountryResolution(candidate.iso3, candidate.reason, country_name(candidate.iso3) or candidate.iso3)


def resolve_doc(doc: Doc) -> list[CountryMention]:
    """Return the doc's country mentions, after setting ``span._.country``/``country_reason`` on its entities.

    Two passes: unambiguous mentions first, whose countries are then the context for the
    ambiguous ones (so an ambiguous name never votes for itself).
    """
    _annotate(doc)
    return doc_countries(doc)


def _annotate(doc: Doc) -> None:
    """Set ``span._.country``/``country_reason`` on the doc's entities (see ``resolve_doc``)."""
    register_extensions()
    context: Counter[str] = Counter()
    pending: list[tuple[Span, Entry]] = []
    for span in doc.ents:
        entry = _entry_for(span.text, span.label_)
        if entry is None:
            continue
        if entry.alternatives:
            pending.append((span, entry))
        else:
            context[entry.default.iso3] += 1
            span._.country = entry.default.iso3
            span._.country_reason = entry.default.reason
    for span, entry in pending:
        candidate = _choose(entry, context)
        span._.country = candidate.iso3
        span._.country_reason = candidate.reason


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
    assigns=["span._.country", "span._.country_reason", "doc._.countries"],
)
def make_article_countries(nlp: Language, name: str) -> ArticleCountries:
    """Return a new ``article_countries`` component (spaCy calls this from ``nlp.add_pipe``)."""
    return ArticleCountries(nlp, name)
