"""What the page tells a reader about a save, in the reader's words: spans by their text, times on
the reader's clock ("“Lavrov” was changed by Ana 2 minutes ago, at 10:42"). Pure functions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from components.annotations.store_errors import Clash
from components.views.times import reader_time


def shortened(text: str, limit: int = 48) -> str:
    """Return ``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clash_line(
    clash: Clash, span_texts: Mapping[str, str], zone_name: str | None, now: datetime | None = None
) -> str:
    """Return one clash as a reader reads it: “Lavrov” was changed by Ana 2 minutes ago, at 10:42."""
    known = span_texts.get(clash.span_id)
    what = f"“{shortened(known)}”" if known else "A span"
    who = clash.annotator or "someone without a name"
    when = reader_time(clash.time, zone_name, now)
    at = f"{when.relative}, at {when.clock}" if when.relative else when.clock
    return f"{what} was changed by {who} {at}"


def conflict_message(
    clashes: tuple[Clash, ...],
    span_texts: Mapping[str, str],
    zone_name: str | None,
    now: datetime | None = None,
) -> str:
    """Return why a save was refused: who changed which span when, and what to do."""
    lines = "; ".join(clash_line(clash, span_texts, zone_name, now) for clash in clashes)
    return (
        f"Not saved: {lines}, after you opened this article. Reload the article to see their version, "
        "then redo your correction if it is still needed."
    )
