"""Messages in the reader's words: spans by their text, times on the reader's clock."""

from __future__ import annotations

from datetime import UTC, datetime

from components.annotations.store_errors import Clash
from components.views.messages import conflict_message

NOW = datetime(2026, 12, 2, 10, 44, tzinfo=UTC)


def test_a_conflict_names_the_span_by_its_text_and_says_when_on_the_readers_clock() -> None:
    clash = Clash("e-10-16", "Ana", "2026-12-02T10:42:00Z")
    text = conflict_message((clash,), {"e-10-16": "Lavrov"}, "Europe/Lisbon", NOW)
    assert "“Lavrov” was changed by Ana 2 minutes ago, at 10:42" in text
    sydney = conflict_message((clash,), {"e-10-16": "Lavrov"}, "Australia/Sydney", NOW)
    assert "at 21:42" in sydney  # 10:42 UTC is 21:42 in Sydney in December
    assert "e-10-16" not in text and "UTC" not in text and "Z" not in text.replace("Zone", "")


def test_a_clash_without_a_name_or_a_known_span_still_reads_as_words() -> None:
    text = conflict_message((Clash("e-1-2", "", "2026-12-02T10:00:00Z"),), {}, None, NOW)
    assert "A span was changed by someone without a name 44 minutes ago" in text
