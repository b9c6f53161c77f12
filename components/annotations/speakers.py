"""What the table says of a quote's speaker: each speaker's kind, and the cells of a speaker a reader set.

The model's quote rows carry ``speaker_kind`` as the quote component found it; a reader's speaker
takes the kind the reader chose, or the one the article gives (``speaker_kind_in``). Nothing
downstream guesses a kind again: the charts and the desk read ``speaker_kinds``.
"""

from __future__ import annotations

import re
from typing import Final

import pandas as pd

from components.annotations.schema import (
    BY_READER,
    CONFIDENCE_HIGH,
    KIND_ENTITY,
    KIND_QUOTE,
    SPEAKER_KINDS,
    SPEAKER_ORGANISATION,
    SPEAKER_PERSON,
    STATUS_REJECTED,
)
from components.nlp.lexicon import DOCUMENT_NOUNS, ORG_HEAD_WORDS

# Entity labels that name an organisation (or a state or a people speaking as one) when they name a speaker.
ORGANISATION_LABELS: Final = frozenset({"ORG", "NORP", "GPE", "FAC"})
# A speaker named by what speaks rather than who ("the Turkish statement", "police").
_ORGANISATION_WORDS: Final = ORG_HEAD_WORDS | DOCUMENT_NOUNS
_RANK: Final = {kind: place for place, kind in enumerate(SPEAKER_KINDS)}


def speaker_kinds(table: pd.DataFrame) -> dict[str, str]:
    """Return each speaker's kind as most of their active quotes say it, ``""`` where none says.

    A tie goes to the earlier of ``schema.SPEAKER_KINDS`` (person, organisation, unnamed). Works on
    one article's table or on a corpus's, where a name means one speaker everywhere.
    """
    quotes = table[
        (table["kind"] == KIND_QUOTE) & (table["status"] != STATUS_REJECTED) & (table["speaker"] != "")
    ]
    votes = quotes[quotes["speaker_kind"] != ""].groupby(["speaker", "speaker_kind"]).size()
    best: dict[str, tuple[int, int, str]] = {}
    for (speaker, kind), count in votes.items():
        candidate = (-int(count), _RANK.get(kind, len(_RANK)), str(kind))
        if speaker not in best or candidate < best[speaker]:
            best[speaker] = candidate
    return {speaker: best[speaker][2] if speaker in best else "" for speaker in quotes["speaker"].unique()}


def speaker_kind_in(table: pd.DataFrame, speaker: str) -> str:
    """Return the kind of ``speaker`` in this article: ``person``, ``organisation``, or ``""`` if unknown.

    As the table says it where quotes of that very name have a kind (``speaker_kinds``); else from
    the article's entities: a PERSON entity naming them (in full or by a part of the name) makes a
    person, an ORG/NORP/GPE/FAC entity or an organisation word in the name ("ministry",
    "statement") an organisation.
    """
    known = speaker_kinds(table[table["speaker"] == speaker]).get(speaker, "")
    if known:
        return known
    entities = table[(table["kind"] == KIND_ENTITY) & (table["status"] != STATUS_REJECTED)]
    words = set(speaker.split())
    labels = set()
    for text, label in zip(entities["text"].tolist(), entities["label"].tolist(), strict=True):
        name = re.sub(r"[’']s?$", "", str(text).strip())  # "Kerry’s" names Kerry
        if name == speaker or (name and set(name.split()) <= words):
            labels.add(label)
    if "PERSON" in labels:
        return SPEAKER_PERSON
    if labels & ORGANISATION_LABELS or set(re.findall(r"\w+", speaker.lower())) & _ORGANISATION_WORDS:
        return SPEAKER_ORGANISATION
    return ""


def reader_speaker(speaker: str, kind: str) -> dict[str, str]:
    """Return the cells of a speaker a reader set: ``attribution=reader``, ``confidence=high``, no mention.

    The cue stays as the model found it: it is a fact of the text whoever the speaker is.
    """
    return {
        "speaker": speaker,
        "speaker_kind": kind,
        "speaker_mention": "",
        "attribution": BY_READER,
        "confidence": CONFIDENCE_HIGH,
    }
