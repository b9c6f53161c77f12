"""Times read on the reader's own clock, with a relative wording; odd input never breaks a page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from components.views.times import ReaderTime, reader_time, reader_zone

NOW = datetime(2026, 12, 2, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("timestamp", "zone", "expected"),
    [
        ("2026-12-02T11:58:00Z", "UTC", ReaderTime("11:58", "2 minutes ago")),
        # Lisbon is on UTC in winter, Sydney eleven hours ahead: the same moment, two clocks.
        ("2026-12-02T09:42:00Z", "Europe/Lisbon", ReaderTime("09:42", "2 hours ago")),
        ("2026-12-02T09:42:00Z", "Australia/Sydney", ReaderTime("20:42", "2 hours ago")),
        # Not today on the reader's clock: the date comes with it (and the year, from another year).
        ("2026-12-01T10:42:00Z", "UTC", ReaderTime("1 Dec 10:42", "a day ago")),
        ("2026-12-02T00:30:00Z", "America/New_York", ReaderTime("1 Dec 19:30", "12 hours ago")),
        ("2025-11-25T12:00:00Z", "UTC", ReaderTime("25 Nov 2025 12:00", "1 year, 7 days ago")),
        # A time with no zone is the store's UTC; one with an offset is read as written.
        ("2026-12-02T11:59:30", "UTC", ReaderTime("11:59", "30 seconds ago")),
        ("2026-12-02T13:55:00+02:00", "UTC", ReaderTime("11:55", "5 minutes ago")),
    ],
)
def test_a_utc_time_reads_on_the_readers_clock(timestamp: str, zone: str, expected: ReaderTime) -> None:
    assert reader_time(timestamp, zone, now=NOW) == expected


@pytest.mark.parametrize("zone", [None, "", "Mars/Olympus_Mons", "../../etc/passwd", "UTC"])
def test_a_missing_or_unknown_zone_is_utc(zone: str | None) -> None:
    assert reader_zone(zone).utcoffset(NOW).total_seconds() == 0
    assert reader_time("2026-12-02T10:42:00Z", zone, now=NOW).clock == "10:42"


def test_a_clock_ahead_of_ours_never_reads_from_now() -> None:
    assert reader_time("2026-12-02T12:00:05Z", "UTC", now=NOW) == ReaderTime("12:00", "now")


@pytest.mark.parametrize("timestamp", ["", "yesterday", "2026-13-45T99:00:00Z"])
def test_an_unreadable_time_is_shown_as_written(timestamp: str) -> None:
    assert reader_time(timestamp, "UTC", now=NOW) == ReaderTime(timestamp, "")


def test_without_a_now_the_clock_is_the_real_one() -> None:
    just_now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    relative = reader_time(just_now, "UTC").relative
    assert relative == "now" or relative.endswith(("second ago", "seconds ago")), relative
