"""Times as a reader says them: the clock in the reader's own time zone, and "2 minutes ago".

The store writes every time as ISO 8601 UTC (``2026-11-25T12:00:00Z``); a reader in Lisbon or
Sydney should not have to convert it. The page passes the browser's zone name
(``st.context.timezone``); a missing or unknown name falls back to UTC, so a time is always shown.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import humanize


class ReaderTime(NamedTuple):
    """One moment as the reader reads it: ``clock`` ("10:42", "1 Dec 10:42") and ``relative`` ("2 minutes ago")."""

    clock: str
    relative: str


def reader_zone(name: str | None) -> tzinfo:
    """Return the time zone called ``name`` (an IANA name such as ``Europe/Lisbon``), else UTC."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # ValueError: a name that is no path at all ("../x"); either way the reader still gets a time.
        return UTC


def parse_utc(timestamp: str) -> datetime | None:
    """Return the moment ``timestamp`` (ISO 8601) names, aware; a time without a zone is UTC; None if unreadable."""
    try:
        moment = datetime.fromisoformat(timestamp.strip())
    except (ValueError, AttributeError):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def clock_time(moment: datetime, zone: tzinfo, now: datetime) -> str:
    """Return ``moment`` on the reader's clock: "10:42" today, "1 Dec 10:42" this year, else with the year."""
    local, today = moment.astimezone(zone), now.astimezone(zone)
    if local.date() == today.date():
        return f"{local:%H:%M}"
    if local.year == today.year:
        return f"{local.day} {local:%b %H:%M}"
    return f"{local.day} {local:%b %Y %H:%M}"


def relative_time(moment: datetime, now: datetime) -> str:
    """Return how long ago ``moment`` was ("2 minutes ago", "now"); a moment ahead of the clock reads "now"."""
    # Another server's clock may run a little ahead: never tell a reader a change is "from now".
    return humanize.naturaltime(max(now - moment, timedelta(0)))


def reader_time(timestamp: str, zone_name: str | None, now: datetime | None = None) -> ReaderTime:
    """Return ``timestamp`` (ISO 8601, UTC) as the reader in ``zone_name`` reads it.

    An unreadable timestamp is shown as it is written, with no relative wording.
    """
    moment = parse_utc(timestamp)
    if moment is None:
        return ReaderTime(str(timestamp), "")
    now = now or datetime.now(UTC)
    return ReaderTime(clock_time(moment, reader_zone(zone_name), now), relative_time(moment, now))
