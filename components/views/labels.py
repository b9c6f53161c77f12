"""Names, colours and descriptions of span labels: one source of truth for every place a label is shown.

A reader sees a label's plain name first with spaCy's code beside it (“Place (GPE)”), in the legend,
the filter, the picker, the table and the charts: :func:`label_name`. The data (CSV, downloads) keeps
the code.
"""

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


# What a journalist calls each of spaCy's English labels (and our QUOTE).
LABEL_PLAIN_NAMES: Final[dict[str, str]] = {
    "PERSON": "Person",
    "NORP": "Nationality or group",
    "FAC": "Building or landmark",
    "ORG": "Organisation",
    "GPE": "Place",
    "LOC": "Other location",
    "PRODUCT": "Product",
    "EVENT": "Event",
    "WORK_OF_ART": "Title of a work",
    "LAW": "Law",
    "LANGUAGE": "Language",
    "DATE": "Date",
    "TIME": "Time",
    "PERCENT": "Percentage",
    "MONEY": "Money",
    "QUANTITY": "Quantity",
    "ORDINAL": "Ordinal (first, second)",
    "CARDINAL": "Number",
    QUOTE_LABEL: "Quote",
}

# Labels whose code is the plain word itself: “Date” says all that “Date (DATE)” would. PERSON keeps
# its code beside it, since speakers and the scorecard name people by it.
_CODE_IS_THE_NAME: Final = frozenset(
    {"DATE", "TIME", "MONEY", "EVENT", "LAW", "LANGUAGE", "PRODUCT", "QUANTITY", QUOTE_LABEL}
)


# The labels the number keys 1–9 give a picked entity, most used in news first.
KEY_LABELS: Final = ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "DATE", "EVENT", "CARDINAL")


def label_name(label: str) -> str:
    """Return how a label is shown to a reader: “Place (GPE)”, “Date”; a reader's own label as typed."""
    plain = LABEL_PLAIN_NAMES.get(label)
    if plain is None:
        return label
    return plain if label in _CODE_IS_THE_NAME else f"{plain} ({label})"


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


def label_code(typed: str) -> str:
    """Return the label a reader means: a plain name typed or picked (“place”, “Place (GPE)”) is its code;
    anything else is the reader's own label, as typed."""
    wanted = " ".join(typed.split()).casefold()
    for code, plain in LABEL_PLAIN_NAMES.items():
        if wanted in (code.casefold(), plain.casefold(), label_name(code).casefold()):
            return code
    return " ".join(typed.split())
