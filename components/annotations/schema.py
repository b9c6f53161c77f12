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
)

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
