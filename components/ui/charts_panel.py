"""The charts beside the text: who is quoted, which countries, which labels; clicking one marks the text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from components.annotations.schema import KIND_ENTITY, STATUS_REJECTED
from components.nlp.countries import country_name, iso3_to_numeric
from components.ui import state
from components.ui.markdown import plain
from components.views import charts

# static/map/ served by Streamlit (server.enableStaticServing); relative, so it holds under any base path.
MAP_URL = "app/static/map/countries-110m.json"
SPEAKERS_CHART, COUNTRIES_CHART, MAP_CHART, LABELS_CHART = (
    "chart_speakers",
    "chart_countries",
    "chart_map",
    "chart_labels",
)


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


@st.cache_data(max_entries=32, show_spinner=False)
def chart_specs(table: pd.DataFrame) -> dict[str, dict[str, Any] | None]:
    """Return the Vega-Lite spec of each chart (None where it has nothing to show), made once per table.

    A rerun that did not change the table (a click, a filter, a reload) reuses them: building and
    validating the Altair charts was most of a run's time.
    """
    speakers = charts.speaker_data(table)
    countries = charts.country_data(table, country_name)
    labels = charts.label_data(table)
    return {
        SPEAKERS_CHART: None if speakers.empty else charts.vega_lite_spec(charts.speakers_chart(speakers)),
        COUNTRIES_CHART: None
        if countries.empty
        else charts.vega_lite_spec(charts.countries_chart(countries)),
        MAP_CHART: None
        if countries.empty
        else charts.vega_lite_spec(charts.world_map(countries, MAP_URL, iso3_to_numeric)),
        LABELS_CHART: None if labels.empty else charts.vega_lite_spec(charts.labels_chart(labels)),
    }


def _draw_chart(name: str, spec: dict[str, Any]) -> None:
    st.vega_lite_chart(spec, key=_chart_key(name), on_select="rerun")


def draw_charts(table: pd.DataFrame) -> None:
    """Draw the charts of the article's annotation table, each clickable."""
    specs = chart_specs(table)
    st.markdown("##### Who is quoted")
    if specs[SPEAKERS_CHART] is None:
        st.caption("No quotes with a speaker in this article.")
    else:
        _draw_chart(SPEAKERS_CHART, specs[SPEAKERS_CHART])
    st.markdown("##### Which countries")
    if specs[COUNTRIES_CHART] is None:
        st.caption("No country is mentioned.")
    else:
        _draw_chart(COUNTRIES_CHART, specs[COUNTRIES_CHART])
        _draw_chart(MAP_CHART, specs[MAP_CHART])
    st.markdown("##### Entity labels")
    if specs[LABELS_CHART] is not None:
        _draw_chart(LABELS_CHART, specs[LABELS_CHART])
