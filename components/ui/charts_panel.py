"""The charts beside the text: who is quoted, which countries, which labels; clicking one marks the text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd
import streamlit as st

from components.annotations.schema import KIND_ENTITY, STATUS_REJECTED
from components.config import PROJECT_ROOT
from components.nlp.countries import country_name, iso3_to_numeric
from components.ui import state
from components.ui.markdown import plain
from components.views import charts

MAP_FILE = PROJECT_ROOT / "assets" / "map" / "countries-110m.json"
SPEAKERS_CHART, COUNTRIES_CHART, MAP_CHART, LABELS_CHART = (
    "chart_speakers",
    "chart_countries",
    "chart_map",
    "chart_labels",
)


@cache
def _topology() -> dict[str, Any]:
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


def _chart_key(name: str) -> str:
    # A new key after "clear" gives fresh charts with nothing selected.
    return f"{name}_{st.session_state[state.CHART_GENERATION]}"


def _picked(name: str, selection: str, field: str) -> str | None:
    event = st.session_state.get(_chart_key(name))
    if not event:
        return None
    points = (event.get("selection") or {}).get(selection) or []
    values = [point.get(field) for point in points if isinstance(point, dict) and point.get(field)]
    return str(values[0]) if values else None


@dataclass(frozen=True)
class ChartPick:
    """What the reader clicked in the charts: a speaker, a country, a label (each None if nothing)."""

    speaker: str | None = None
    country: str | None = None
    label: str | None = None

    def marked_span_ids(self, table: pd.DataFrame) -> list[str]:
        """Return the ids of the spans this pick points at in the text."""
        active = table[table["status"] != STATUS_REJECTED]
        marked = pd.Series(False, index=active.index)
        if self.country:
            marked |= (active["kind"] == KIND_ENTITY) & (active["country"] == self.country)
        if self.label:
            marked |= (active["kind"] == KIND_ENTITY) & (active["label"] == self.label)
        if self.speaker:
            marked |= active["speaker"] == self.speaker
        return list(active.loc[marked, "span_id"])

    def __bool__(self) -> bool:
        return bool(self.speaker or self.country or self.label)


def current_pick() -> ChartPick:
    """Return what is selected in the charts now (their state is kept from the last click)."""
    return ChartPick(
        speaker=_picked(SPEAKERS_CHART, charts.SPEAKER_SELECTION, "speaker"),
        country=_picked(COUNTRIES_CHART, charts.COUNTRY_SELECTION, "iso3")
        or _picked(MAP_CHART, f"{charts.COUNTRY_SELECTION}_map", "iso3"),
        label=_picked(LABELS_CHART, charts.LABEL_SELECTION, "label"),
    )


def _clear() -> None:
    st.session_state[state.CHART_GENERATION] += 1


def draw_pick_notice(pick: ChartPick) -> None:
    """Say what the charts' selection marks in the text, with a button that clears it."""
    parts = []
    if pick.speaker:
        parts.append(f"quotes by **{plain(pick.speaker)}**")
    if pick.country:
        parts.append(f"mentions of **{plain(country_name(pick.country) or pick.country)}**")
    if pick.label:
        parts.append(f"**{plain(pick.label)}** spans")
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.info("Marked in the text: " + ", ".join(parts), icon=":material/filter_alt:")
    right.button("Clear", key="clear_chart_pick", on_click=_clear, width="stretch")


def draw_charts(table: pd.DataFrame) -> None:
    """Draw the charts of the article's annotation table, each clickable."""
    speakers = charts.speaker_data(table)
    st.markdown("##### Who is quoted")
    if speakers.empty:
        st.caption("No quotes with a speaker in this article.")
    else:
        st.altair_chart(charts.speakers_chart(speakers), key=_chart_key(SPEAKERS_CHART), on_select="rerun")
    countries = charts.country_data(table, country_name)
    st.markdown("##### Which countries")
    if countries.empty:
        st.caption("No country is mentioned.")
    else:
        st.altair_chart(charts.countries_chart(countries), key=_chart_key(COUNTRIES_CHART), on_select="rerun")
        st.altair_chart(
            charts.world_map(countries, _topology(), iso3_to_numeric),
            key=_chart_key(MAP_CHART),
            on_select="rerun",
        )
    labels = charts.label_data(table)
    st.markdown("##### Entity labels")
    if not labels.empty:
        st.altair_chart(charts.labels_chart(labels), key=_chart_key(LABELS_CHART), on_select="rerun")
