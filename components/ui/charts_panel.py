"""The charts beside the text: who is quoted, which countries, which labels; clicking one marks the text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
from streamlit import dataframe_util

from components.annotations.table import table_fingerprint
from components.nlp.countries import country_name, iso3_to_numeric
from components.ui import state
from components.views import charts
from components.views.chart_picks import ChartPick
from components.views.labels import label_name
from components.views.render import render_pick_notice

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


def _picked(name: str, selection: str, field: str) -> tuple[str, ...]:
    """Return every value of ``field`` selected in the chart (a shift-click selects several)."""
    event = st.session_state.get(_chart_key(name))
    if not event:
        return ()
    points = (event.get("selection") or {}).get(selection) or []
    return tuple(str(point[field]) for point in points if isinstance(point, dict) and point.get(field))


def current_pick() -> ChartPick:
    """Return what is selected in the charts now (their state is kept from the last click).

    The map and the countries' bars pick countries alike: a click on either adds, neither hides the other.
    """
    return ChartPick.of(
        speakers=_picked(SPEAKERS_CHART, charts.SPEAKER_SELECTION, "speaker"),
        bar_countries=_picked(COUNTRIES_CHART, charts.COUNTRY_SELECTION, "iso3"),
        map_countries=_picked(MAP_CHART, f"{charts.COUNTRY_SELECTION}_map", "iso3"),
        labels=_picked(LABELS_CHART, charts.LABEL_SELECTION, "label"),
    )


def _clear() -> None:
    st.session_state[state.CHART_GENERATION] += 1


def draw_pick_notice(pick: ChartPick, table: pd.DataFrame) -> None:
    """Say what the charts' picks mark in the text, each beside a sample of its mark, with Clear for all."""
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.html(render_pick_notice(pick.items(table, country_name, label_name)))
    right.button("Clear", key="clear_chart_pick", on_click=_clear, width="stretch")


@st.cache_data(max_entries=32, show_spinner=False)
def chart_specs(table_key: str, _table: pd.DataFrame) -> dict[str, dict[str, Any] | None]:
    """Return the Vega-Lite spec of each chart (None where it has nothing to show), made once per
    table: ``table_key`` names its contents (``ArticleSession.table_key``).

    A rerun that did not change the table (a click, a filter, a reload) reuses them: building and
    validating the Altair charts was most of a run's time. Keyed by name, not by the frame: Streamlit
    hashing the frame cost 3.6 ms per call.
    """
    data = {
        "speakers": charts.speaker_data(_table),
        "countries": charts.country_data(_table, country_name),
        "labels": charts.label_data(_table),
    }
    return {
        name: None if data[source].empty else _chart_spec(name, table_fingerprint(data[source]), data[source])
        for name, (source, _) in _CHARTS.items()
    }


# What each chart is drawn from, and how: the countries' bars and the map share their data.
_CHARTS: dict[str, tuple[str, Callable[[pd.DataFrame], alt.TopLevelMixin]]] = {
    SPEAKERS_CHART: ("speakers", charts.speakers_chart),
    COUNTRIES_CHART: ("countries", charts.countries_chart),
    MAP_CHART: ("countries", lambda data: charts.world_map(data, MAP_URL, iso3_to_numeric)),
    LABELS_CHART: ("labels", charts.labels_chart),
}


@st.cache_data(max_entries=64, show_spinner=False)
def _chart_spec(name: str, data_key: str, _data: pd.DataFrame) -> dict[str, Any]:
    """Return one chart's spec, made again only when its own data changed (``data_key`` names it):
    a correction that changes a label leaves the speakers, the countries and the map as they were."""
    _, make = _CHARTS[name]
    return _with_arrow_datasets(charts.vega_lite_spec(make(_data), validate=False))


def _with_arrow_datasets(spec: dict[str, Any]) -> dict[str, Any]:
    """Return the spec with its datasets (rows of our frames; the map's shapes come by URL) as the
    Arrow bytes Streamlit sends them as, so they are converted once per table and not on every run
    (2 ms a chart); Streamlit passes bytes on as they are."""
    datasets = spec.get("datasets", {})
    for name, rows in datasets.items():
        datasets[name] = dataframe_util.convert_anything_to_arrow_bytes(rows)
    return spec


def _draw_chart(name: str, spec: dict[str, Any]) -> None:
    st.vega_lite_chart(spec, key=_chart_key(name), on_select="rerun")


def draw_charts(table: pd.DataFrame, table_key: str) -> None:
    """Draw the overview's charts of the article's annotation table (who is quoted, which countries),
    each clickable; ``table_key`` names the table's contents (``ArticleSession.table_key``)."""
    specs = chart_specs(table_key, table)
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


def draw_label_chart(table: pd.DataFrame, table_key: str) -> None:
    """Draw spans per entity label, clickable, above the table of every span.

    Not in the overview: the label pills over the text already give each label's count, and a view
    fewer to draw makes the page quicker to load.
    """
    spec = chart_specs(table_key, table)[LABELS_CHART]
    if spec is not None:
        st.markdown("##### Entity labels")
        _draw_chart(LABELS_CHART, spec)
