"""The annotation table's schema: one source of truth for the CSV columns and their values.

Every span the app knows about (a model's entity, a quote, a reader's correction) is one row
with these columns. Offsets are Python ``str`` indexes into the article text, end exclusive,
so ``text == article[start:end]`` holds for every row.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

COLUMNS: Final[tuple[str, ...]] = (
    "article_id",
    "span_id",
    "kind",
    "start",
    "end",
    "text",
    "label",
    "speaker",
    "country",
    "source",
    "status",
    "updated_at",
    # What the Doc knows about a quote's speaker and an entity's country, so nothing downstream
    # guesses it again. Added after the first twelve: a file written before them still loads.
    "speaker_kind",
    "speaker_mention",
    "cue",
    "attribution",
    "confidence",
    "country_reason",
)
# The columns of the first version of the format; the later ones may be missing from a file (read as "").
REQUIRED_COLUMNS: Final[tuple[str, ...]] = COLUMNS[:12]

KIND_ENTITY: Final = "entity"
KIND_QUOTE: Final = "quote"
KINDS: Final = (KIND_ENTITY, KIND_QUOTE)

SOURCE_MODEL: Final = "model"
SOURCE_HUMAN: Final = "human"
# A span set by a pattern learned from readers' corrections (``components.learning``): shown and
# downloaded like the model's rows, told apart by this source; never stored as a correction.
SOURCE_PATTERN: Final = "pattern"
SOURCES: Final = (SOURCE_MODEL, SOURCE_HUMAN, SOURCE_PATTERN)

STATUS_ACTIVE: Final = "active"
STATUS_REJECTED: Final = "rejected"
STATUSES: Final = (STATUS_ACTIVE, STATUS_REJECTED)

QUOTE_LABEL: Final = "QUOTE"

# A quote's speaker: a named person, a named organisation, or an unnamed source ("an official").
SPEAKER_PERSON: Final = "person"
SPEAKER_ORGANISATION: Final = "organisation"
SPEAKER_UNNAMED: Final = "unnamed"
SPEAKER_KINDS: Final = (SPEAKER_PERSON, SPEAKER_ORGANISATION, SPEAKER_UNNAMED)

CONFIDENCE_HIGH: Final = "high"
CONFIDENCE_MEDIUM: Final = "medium"
CONFIDENCE_LOW: Final = "low"
CONFIDENCES: Final = (CONFIDENCE_HIGH, CONFIDENCE_MEDIUM, CONFIDENCE_LOW)

# ``attribution`` and ``country_reason`` of a value a reader set by hand.
BY_READER: Final = "reader"

INT_COLUMNS: Final = ("start", "end")


def model_span_id(kind: str, start: int, end: int) -> str:
    """Return the stable id of a model span: the same text parsed again gives the same id.

    Stable ids are what let a reader's correction (a row with the same ``span_id``) sit on top of
    the model's row after a reload or a server restart.
    """
    prefix = "q" if kind == KIND_QUOTE else "e"
    return f"{prefix}-{start}-{end}"


def utc_now() -> str:
    """Return the current time as ISO 8601 UTC with seconds, e.g. ``2026-11-25T12:00:00Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
