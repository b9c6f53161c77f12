"""The speakers a reader may pick for a quote: the article's people, then its organisations.

Each person once, by the fullest name the article gives them (“Lavrov” is the “Sergei Lavrov” named
earlier), with how many quotes they have; then organisations. Places, dates and numbers are never
speakers. An entity the model cut in the middle of a name (“Daesh (Islamic State”) is no name to
offer: :func:`badly_cut_entities` lists it so the page can show the text it covers and offer its fix.
A name the reader types that names a person of the article is that person (:func:`typed_speaker`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import pandas as pd

from components.annotations.schema import (
    KIND_ENTITY,
    KIND_QUOTE,
    SPEAKER_ORGANISATION,
    SPEAKER_PERSON,
    STATUS_REJECTED,
)
from components.annotations.speakers import speaker_kinds

_PERSON_LABELS: Final = frozenset({"PERSON"})
_ORGANISATION_LABELS: Final = frozenset({"ORG"})
# Single curly quotes are left out: ’ is also the apostrophe of “Kerry’s”.
_PAIRS: Final = (("(", ")"), ("[", "]"), ("“", "”"))


@dataclass(frozen=True)
class SpeakerChoice:
    """One speaker to offer: the name stored, its kind (person, organisation or as the table says), its quotes."""

    name: str
    kind: str
    quotes: int

    @property
    def caption(self) -> str:
        """Return how the picker shows it: “Sergei Lavrov · person · 8 quotes”."""
        quotes = f"{self.quotes} quote{'s' if self.quotes != 1 else ''}" if self.quotes else "no quotes yet"
        return " · ".join(part for part in (self.name, self.kind, quotes) if part)


def bare_name(text: str) -> str:
    """Return an entity's text as a name: one line, without a possessive (“John Kerry’s” → “John Kerry”)."""
    name = " ".join(str(text).split())
    return re.sub(r"(?:’s|'s|’|')$", "", name)


def is_badly_cut(text: str) -> bool:
    """Return whether a span's text opens a bracket or quotation it does not close (or the reverse)."""
    return any(text.count(opening) != text.count(closing) for opening, closing in _PAIRS)


def _fullest(name: str, people: list[str]) -> str:
    """Return the one fullest person name holding every word of ``name``; ``name`` itself if none or several."""
    words = name.split()
    holders = {person for person in people if person != name and _holds(person.split(), words)}
    fullest = [
        person
        for person in holders
        if not any(other != person and set(person.split()) < set(other.split()) for other in holders)
    ]
    return fullest[0] if len(fullest) == 1 else name


def _holds(words: list[str], part: list[str]) -> bool:
    return len(part) < len(words) and all(word in words for word in part)


def speaker_choices(table: pd.DataFrame) -> list[SpeakerChoice]:
    """Return the speakers to offer for the article's quotes: people first, then organisations, then
    the other speakers quotes already have (“officials”); most quoted first within each."""
    active = table[table["status"] != STATUS_REJECTED]
    entities = active[(active["kind"] == KIND_ENTITY) & ~active["text"].map(is_badly_cut)]
    quotes = active[(active["kind"] == KIND_QUOTE) & (active["speaker"] != "")]
    kinds = speaker_kinds(table)
    spoken = [name for name, kind in kinds.items() if kind == SPEAKER_PERSON]
    named = [bare_name(text) for text in entities.loc[entities["label"].isin(_PERSON_LABELS), "text"]]
    people = list(dict.fromkeys([*spoken, *named]))
    canonical = {name: _fullest(name, people) for name in people}
    organisations = [
        bare_name(text) for text in entities.loc[entities["label"].isin(_ORGANISATION_LABELS), "text"]
    ]
    organisations += [name for name, kind in kinds.items() if kind == SPEAKER_ORGANISATION]
    # An "organisation" that is a person's name (the model read "Lavrov" as ORG) is that person.
    organisations = [
        name for name in organisations if _fullest(name, people) == name and name not in canonical
    ]
    counts = quotes["speaker"].map(lambda speaker: canonical.get(speaker, speaker)).value_counts()
    choices = [
        SpeakerChoice(name, SPEAKER_PERSON, int(counts.get(name, 0)))
        for name in dict.fromkeys(canonical.values())
    ]
    choices += [
        SpeakerChoice(name, SPEAKER_ORGANISATION, int(counts.get(name, 0)))
        for name in dict.fromkeys(organisations)
    ]
    offered = {choice.name for choice in choices}
    others = [
        name for name in dict.fromkeys(quotes["speaker"]) if name not in offered and name not in canonical
    ]
    choices += [SpeakerChoice(name, kinds.get(name, ""), int(counts.get(name, 0))) for name in others]
    rank = {SPEAKER_PERSON: 0, SPEAKER_ORGANISATION: 1}
    return sorted(choices, key=lambda choice: (rank.get(choice.kind, 2), -choice.quotes))


def typed_speaker(typed: str, choices: list[SpeakerChoice]) -> str:
    """Return the speaker a typed name means: a person of the article it names (“lavrov” → “Sergei Lavrov”),
    else an offered name it spells in another case, else the name as typed."""
    name = " ".join(typed.split())
    folded = name.casefold()
    for choice in choices:
        if choice.name.casefold() == folded:
            return choice.name
    words = folded.split()
    people = [
        c.name for c in choices if c.kind == SPEAKER_PERSON and _holds(c.name.casefold().split(), words)
    ]
    return people[0] if len(people) == 1 else name


def badly_cut_entities(table: pd.DataFrame) -> pd.DataFrame:
    """Return the active entities of people and organisations whose text is cut inside a bracket or quotation."""
    active = table[(table["status"] != STATUS_REJECTED) & (table["kind"] == KIND_ENTITY)]
    names = active[active["label"].isin(_PERSON_LABELS | _ORGANISATION_LABELS)]
    return names[names["text"].map(is_badly_cut)]
