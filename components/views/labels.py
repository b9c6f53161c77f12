"""Colours and descriptions of span labels: one source of truth for the legend and the renderer."""

from __future__ import annotations

import hashlib
from typing import Final

from components.annotations.schema import QUOTE_LABEL

# displaCy's palette for spaCy's English labels, so the view looks familiar to spaCy users.
LABEL_COLOURS: Final[dict[str, str]] = {
    "PERSON": "#aa9cfc",
    "NORP": "#c887fb",
    "FAC": "#9cc9cc",
    "ORG": "#7aecec",
    "GPE": "#feca74",
    "LOC": "#ff9561",
    "PRODUCT": "#bfeeb7",
    "EVENT": "#ffeb80",
    "WORK_OF_ART": "#f0d0ff",
    "LAW": "#ff8197",
    "LANGUAGE": "#ff8197",
    "DATE": "#bfe1d9",
    "TIME": "#bfe1d9",
    "PERCENT": "#e4e7d2",
    "MONEY": "#e4e7d2",
    "QUANTITY": "#e4e7d2",
    "ORDINAL": "#e4e7d2",
    "CARDINAL": "#e4e7d2",
    QUOTE_LABEL: "#fff3b0",
}

LABEL_DESCRIPTIONS: Final[dict[str, str]] = {
    "PERSON": "People, including fictional",
    "NORP": "Nationalities, religious or political groups",
    "FAC": "Buildings, airports, highways, bridges",
    "ORG": "Companies, agencies, institutions",
    "GPE": "Countries, cities, states",
    "LOC": "Non-GPE locations, mountain ranges, bodies of water",
    "PRODUCT": "Objects, vehicles, foods (not services)",
    "EVENT": "Named hurricanes, battles, wars, sports events",
    "WORK_OF_ART": "Titles of books, songs",
    "LAW": "Named documents made into laws",
    "LANGUAGE": "Any named language",
    "DATE": "Absolute or relative dates or periods",
    "TIME": "Times smaller than a day",
    "PERCENT": "Percentage",
    "MONEY": "Monetary values",
    "QUANTITY": "Measurements, as of weight or distance",
    "ORDINAL": "first, second, etc.",
    "CARDINAL": "Numerals that do not fall under another type",
    QUOTE_LABEL: "A direct quotation",
}


def label_colour(label: str) -> str:
    """Return the label's colour as ``#rrggbb``: spaCy's for its labels, a stable pastel for custom ones."""
    known = LABEL_COLOURS.get(label)
    if known:
        return known
    # A custom label typed by a reader gets a colour derived from its name, so it is the same in
    # every session, and the string is ours (hex digits only), never the reader's text.
    digest = hashlib.blake2b(label.encode("utf-8"), digest_size=3).digest()
    red, green, blue = (160 + byte % 80 for byte in digest)
    return f"#{red:02x}{green:02x}{blue:02x}"
