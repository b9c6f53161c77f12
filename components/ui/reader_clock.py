"""The reader's time zone, from the browser, for times said on the reader's own clock."""

from __future__ import annotations

import streamlit as st

from components.views.times import ReaderTime, reader_time


def reader_zone_name() -> str:
    """Return the browser's IANA time zone name (``st.context.timezone``), or "UTC" when it is not known."""
    # AppTest and very old browsers send no zone; the reader then reads UTC, which the page says.
    return st.context.timezone or "UTC"


def time_for_reader(timestamp: str) -> ReaderTime:
    """Return ``timestamp`` (ISO 8601, UTC) on the reader's clock, with "2 minutes ago"."""
    return reader_time(timestamp, reader_zone_name())
