"""Chart data and Altair specs from the annotation table. Pure functions: no Streamlit, no I/O.

Every chart reads the merged table (model and human rows), so a correction changes it at once.
Each ``*_data`` function gives the numbers as a DataFrame (tested against the table's own counts);
each ``*_chart`` function turns them into an Altair spec with a selection the page can listen to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

import altair as alt
import pandas as pd

from components.annotations import speakers
from components.annotations.schema import (
    BY_READER,
    KIND_ENTITY,
    KIND_QUOTE,
    SPEAKER_ORGANISATION,
    SPEAKER_PERSON,
    SPEAKER_UNNAMED,
)
from components.annotations.table import active_spans
from components.nlp.place_records import REASON_AMBIGUOUS, REASONS
from components.views.labels import label_colour, label_name

SPEAKER_SELECTION: Final = "speaker"
COUNTRY_SELECTION: Final = "country"
LABEL_SELECTION: Final = "label"

PERSON, ORGANISATION, UNNAMED = SPEAKER_PERSON, SPEAKER_ORGANISATION, SPEAKER_UNNAMED
UNKNOWN: Final = "unknown"  # a speaker whose kind the table does not say
SPEAKER_KIND_COLOURS: Final = {
    PERSON: "#7c5cdb",
    ORGANISATION: "#1aa5a5",
    UNNAMED: "#d08a2c",
    UNKNOWN: "#9aa0a6",
}
SET_BY_READER: Final = "set by reader"
NOT_RECORDED: Final = "not recorded"  # a country whose reason the table does not say
# Every reason the resolver gives a span with a country (``ambiguous`` gives none), then the readers'.
REASON_ORDER: Final = (*(r for r in REASONS if r != REASON_AMBIGUOUS), SET_BY_READER, NOT_RECORDED)
REASON_COLOURS: Final = dict(
    zip(
        REASON_ORDER,
        ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#bab0ac"),
        strict=True,
    )
)


def whole_legend(shown: list[str], columns: int, title: str | None = None) -> alt.Legend:
    """Return a legend under the chart listing only ``shown``, in ``columns`` columns, never cut short."""
    # Vega cuts labels at 160 px and a one-row legend at the chart's edge ("se…", "unkn…"): no limit,
    # and columns that fit the narrow side panel. Only what the chart shows: no "set by reader" unless one was.
    return alt.Legend(title=title, orient="bottom", columns=columns, labelLimit=0, values=shown)


_WORD = re.compile(r"\w+(?:[’'-]\w+)*")


def speaker_kinds(table: pd.DataFrame) -> dict[str, str]:
    """Return each speaker's kind as the table says it (``annotations.speakers.speaker_kinds``),
    ``unknown`` where it does not."""
    return {speaker: kind or UNKNOWN for speaker, kind in speakers.speaker_kinds(table).items()}


def quoted_words(quote: str) -> int:
    """Return how many words a quote holds (its marks and punctuation not counted)."""
    return len(_WORD.findall(quote))


def speaker_data(table: pd.DataFrame) -> pd.DataFrame:
    """Return one row per speaker: ``speaker, kind, quotes, words``, most quoted first."""
    active = active_spans(table)
    quotes = active[(active["kind"] == KIND_QUOTE) & (active["speaker"] != "")]
    if quotes.empty:
        return pd.DataFrame({"speaker": [], "kind": [], "quotes": [], "words": []}).astype(
            {"quotes": "int64", "words": "int64"}
        )
    kinds = speaker_kinds(table)
    data = (
        quotes.assign(words=quotes["text"].map(quoted_words))
        .groupby("speaker", as_index=False)
        .agg(quotes=("span_id", "size"), words=("words", "sum"))
    )
    data["kind"] = data["speaker"].map(kinds)
    return data.sort_values(["quotes", "words", "speaker"], ascending=[False, False, True]).reset_index(
        drop=True
    )[["speaker", "kind", "quotes", "words"]]


def country_data(table: pd.DataFrame, name_of: Callable[[str], str | None]) -> pd.DataFrame:
    """Return mentions per country and reason: ``iso3, country, reason, mentions``, most mentioned first.

    The reason is the table's ``country_reason``, how the span's text points to its country (name,
    demonym, capital, city…); a country the reader set by hand is ``set by reader``.
    """
    active = active_spans(table)
    mentions = active[(active["kind"] == KIND_ENTITY) & (active["country"] != "")]
    shown = {BY_READER: SET_BY_READER, "": NOT_RECORDED}
    rows = [
        (country, name_of(country) or country, shown.get(reason, _known_reason(reason)))
        for country, reason in zip(
            mentions["country"].tolist(), mentions["country_reason"].tolist(), strict=True
        )
    ]
    frame = pd.DataFrame(rows, columns=["iso3", "country", "reason"])
    if frame.empty:
        return frame.assign(mentions=pd.Series(dtype="int64"))
    data = (
        frame.groupby(["iso3", "country", "reason"], as_index=False)
        .size()
        .rename(columns={"size": "mentions"})
    )
    totals = data.groupby("iso3")["mentions"].transform("sum")
    data = data.assign(total=totals).sort_values(["total", "iso3", "reason"], ascending=[False, True, True])
    return data.drop(columns="total").reset_index(drop=True)


def _known_reason(reason: str) -> str:
    # A file from elsewhere may say anything: a reason the resolver never gives is not recorded.
    return reason if reason in REASON_ORDER else NOT_RECORDED


def label_data(table: pd.DataFrame) -> pd.DataFrame:
    """Return how many active spans each entity label has: ``label, name, spans``, most frequent first."""
    active = active_spans(table)
    counts = active.loc[active["kind"] == KIND_ENTITY, "label"].value_counts()
    labels = counts.index.astype(str)
    return pd.DataFrame(
        {
            "label": labels,
            "name": [label_name(label) for label in labels],
            "spans": counts.to_numpy(dtype="int64"),
        }
    )


# --- Altair specs -----------------------------------------------------------------------------------


# A bar chart grows with its bars: each gets a fixed step, so a long list stays readable.
BAR_STEP: Final = alt.Step(22)
SPEAKERS_SHOWN: Final = 20  # bars in an article's speakers chart


def tooltips(*fields: str) -> list[alt.Tooltip]:
    """Return a tooltip channel per field ("country:N"), as classes (see ``picked_opacity``)."""
    return [alt.Tooltip(field) for field in fields]


def picked_opacity(pick: alt.Parameter, unpicked: float) -> alt.OpacityValue:
    """Return full opacity for what ``pick`` selects, ``unpicked`` for the rest.

    As a channel object, not the dict ``alt.condition`` gives: Altair turns an encoding given as a
    dict or a string into its class by hashing every schema class it has (``from_dict``), about 7 ms
    each time; so the reading page's charts give every encoding as its class (``alt.Tooltip("name:N")``,
    not "name:N"), and a chart after a correction is made in half the time.
    """
    return alt.OpacityValue(**alt.condition(pick, alt.value(1.0), alt.value(unpicked)))


def speakers_chart(data: pd.DataFrame, top: int = SPEAKERS_SHOWN) -> alt.HConcatChart:
    """Return quotes and words quoted per speaker (``speaker_data``, most quoted first), side by side,
    people and organisations coloured apart: the ``top`` most quoted, and a title saying so when
    there are more (a long article quotes hundreds; the speaker filter above the text lists them all).
    """
    pick = alt.selection_point(name=SPEAKER_SELECTION, fields=["speaker"], on="click", clear="dblclick")
    shown = data.head(top)
    order = list(shown["speaker"])
    colour = alt.Color(
        "kind:N",
        scale=alt.Scale(domain=list(SPEAKER_KIND_COLOURS), range=list(SPEAKER_KIND_COLOURS.values())),
        legend=whole_legend([kind for kind in SPEAKER_KIND_COLOURS if kind in set(shown["kind"])], columns=2),
    )
    base = alt.Chart(shown).encode(
        y=alt.Y("speaker:N", sort=order, title=None, axis=alt.Axis(labelLimit=160)),
        color=colour,
        opacity=picked_opacity(pick, 0.35),
        tooltip=tooltips("speaker:N", "kind:N", "quotes:Q", "words:Q"),
    )
    quotes = base.mark_bar().encode(x=alt.X("quotes:Q", title="quotes", axis=alt.Axis(tickMinStep=1)))
    words = base.mark_bar().encode(
        x=alt.X("words:Q", title="words quoted"), y=alt.Y("speaker:N", sort=order, axis=None)
    )
    note = f"The {top} most quoted of {len(data)} speakers"
    more = (
        {}
        if len(data) <= top
        else {"title": alt.Title(note, anchor="start", fontSize=12, fontWeight="normal")}
    )
    return alt.hconcat(
        quotes.add_params(pick).properties(height=BAR_STEP, width=140),
        words.properties(height=BAR_STEP, width=110),
        spacing=6,
        **more,
    )


def countries_chart(data: pd.DataFrame) -> alt.Chart:
    """Return mentions per country as bars split by the kind of mention."""
    pick = alt.selection_point(name=COUNTRY_SELECTION, fields=["iso3"], on="click", clear="dblclick")
    order = list(dict.fromkeys(data["country"]))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("country:N", sort=order, title=None),
            x=alt.X("sum(mentions):Q", title="mentions", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "reason:N",
                sort=list(REASON_ORDER),
                scale=alt.Scale(domain=list(REASON_COLOURS), range=list(REASON_COLOURS.values())),
                legend=whole_legend(
                    [reason for reason in REASON_ORDER if reason in set(data["reason"])], 2, "mentioned by"
                ),
            ),
            order=alt.Order("reason:N"),
            opacity=picked_opacity(pick, 0.35),
            tooltip=tooltips("country:N", "iso3:N", "reason:N", "mentions:Q"),
        )
        .add_params(pick)
        .properties(height=BAR_STEP)
    )


def world_map(data: pd.DataFrame, map_url: str, numeric_of: Callable[[str], str | None]) -> alt.LayerChart:
    """Return a world map coloured by mentions per country, the shapes fetched from the TopoJSON at ``map_url``.

    By address, not inline: 250 KiB of shapes embedded in the spec cost seconds of Altair copying and
    validation and were sent again on every run; the browser fetches and caches the file once.
    """
    totals = data.groupby(["iso3", "country"], as_index=False)["mentions"].sum()
    totals["id"] = totals["iso3"].map(numeric_of)
    totals = totals.dropna(subset=["id"])
    shapes = alt.Data(url=map_url, format=alt.DataFormat(type="topojson", feature="countries"))
    pick = alt.selection_point(name=f"{COUNTRY_SELECTION}_map", fields=["iso3"], on="click", clear="dblclick")
    sphere = alt.Chart(alt.sphere()).mark_geoshape(fill="#eef4f8")
    # Every country in grey, then the mentioned ones on top: a lookup keeps only the rows it matches.
    land = alt.Chart(shapes).mark_geoshape(fill="#c8ced6", stroke="white", strokeWidth=0.4)
    mentioned = (
        alt.Chart(shapes)
        .mark_geoshape(stroke="white", strokeWidth=0.4)
        .transform_lookup(lookup="id", from_=alt.LookupData(totals, "id", ["iso3", "country", "mentions"]))
        .encode(
            color=alt.Color(
                "mentions:Q",
                scale=alt.Scale(scheme="oranges", domainMin=0),
                legend=alt.Legend(title="mentions", orient="bottom"),
            ),
            opacity=picked_opacity(pick, 0.45),
            tooltip=tooltips("country:N", "mentions:Q"),
        )
        .add_params(pick)
    )
    return alt.layer(sphere, land, mentioned).project("equalEarth").properties(height=230)


def labels_chart(data: pd.DataFrame) -> alt.Chart:
    """Return spans per entity label, in each label's colour."""
    pick = alt.selection_point(name=LABEL_SELECTION, fields=["label"], on="click", clear="dblclick")
    labels = list(data["label"])
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            # Shown by the label's plain name; picked by its code, which the text's spans carry.
            y=alt.Y("name:N", sort=list(data["name"]), title=None, axis=alt.Axis(labelLimit=0)),
            x=alt.X("spans:Q", title="spans", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "label:N",
                scale=alt.Scale(domain=labels, range=[label_colour(label) for label in labels]),
                legend=None,
            ),
            opacity=picked_opacity(pick, 0.35),
            tooltip=tooltips("name:N", "label:N", "spans:Q"),
        )
        .add_params(pick)
        .properties(height=BAR_STEP)
    )


def vega_lite_spec(chart: alt.TopLevelMixin, validate: bool = True) -> dict[str, Any]:
    """Return the chart's Vega-Lite spec (data inline), as Streamlit's ``altair_chart`` would send it.

    Made once per table version by the page and kept (Altair's conversion and validation are the
    cost of a chart, not its drawing). Streamlit converts without Altair's default theme, whose view
    size would override Streamlit's; so is this. ``validate=False`` skips checking the whole spec
    against the Vega-Lite schema (22 ms of the 36 the conversion takes for the page's four charts):
    for charts whose code the tests convert with the check, the spec is the same either way.
    """
    spec = chart.to_dict(validate=validate)
    view = spec.get("config", {}).get("view", {})
    for name, value in ALTAIR_DEFAULT_VIEW.items():
        if view.get(name) == value:
            del view[name]
    if "config" in spec and not spec["config"].get("view", True):
        del spec["config"]["view"]
    if spec.get("config") == {}:
        del spec["config"]
    return spec


ALTAIR_DEFAULT_VIEW: Final = {"continuousWidth": 300, "continuousHeight": 300}


# --- the corpus -------------------------------------------------------------------------------------


def corpus_speakers_chart(data: pd.DataFrame, top: int = 25) -> alt.Chart:
    """Return the most quoted speakers across the corpus (``speaker, kind, quotes, articles``), clickable."""
    shown = data.head(top)
    pick = alt.selection_point(name=SPEAKER_SELECTION, fields=["speaker"], on="click", clear="dblclick")
    return (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            y=alt.Y("speaker:N", sort=list(shown["speaker"]), title=None, axis=alt.Axis(labelLimit=180)),
            x=alt.X("quotes:Q", title="quotes", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=list(SPEAKER_KIND_COLOURS), range=list(SPEAKER_KIND_COLOURS.values())),
                legend=whole_legend([kind for kind in SPEAKER_KIND_COLOURS if kind in set(shown["kind"])], 4),
            ),
            opacity=picked_opacity(pick, 0.35),
            tooltip=["speaker:N", "kind:N", "quotes:Q", "words:Q", "articles:Q"],
        )
        .add_params(pick)
        .properties(height=BAR_STEP)
    )


def kind_chart(data: pd.DataFrame) -> alt.Chart:
    """Return quotes by people against organisations (``kind, quotes``), one bar each."""
    shown = data[data["quotes"] > 0]
    return (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            y=alt.Y("kind:N", sort=list(SPEAKER_KIND_COLOURS), title=None),
            x=alt.X("quotes:Q", title="quotes", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=list(SPEAKER_KIND_COLOURS), range=list(SPEAKER_KIND_COLOURS.values())),
                legend=None,
            ),
            tooltip=["kind:N", "quotes:Q"],
        )
        .properties(height=BAR_STEP)
    )


def share_chart(data: pd.DataFrame, top_speakers: int = 15) -> alt.Chart:
    """Return each speaker's share of each article's quotes (``article_id, speaker, share``) as a heatmap."""
    leaders = data.groupby("speaker")["quotes"].sum().sort_values(ascending=False).head(top_speakers).index
    shown = data[data["speaker"].isin(leaders)]
    return (
        alt.Chart(shown)
        .mark_rect()
        .encode(
            x=alt.X("article_id:N", title=None, axis=alt.Axis(labelAngle=-40, labelLimit=140)),
            y=alt.Y("speaker:N", sort=list(leaders), title=None),
            color=alt.Color(
                "share:Q",
                scale=alt.Scale(scheme="purples", domain=[0, 1]),
                legend=alt.Legend(format="%", title="share"),
            ),
            tooltip=["article_id:N", "speaker:N", "quotes:Q", alt.Tooltip("share:Q", format=".0%")],
        )
        .properties(height=alt.Step(20))
    )


def confusion_chart(confusions: pd.DataFrame) -> alt.Chart:
    """Return what the model said against what the reader said (``model_label, human_label, count``)."""
    base = alt.Chart(confusions).encode(
        x=alt.X("human_label:N", title="the reader said"),
        y=alt.Y("model_label:N", title="the model said"),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("count:Q", scale=alt.Scale(scheme="reds"), legend=None),
        tooltip=["model_label:N", "human_label:N", "count:Q"],
    )
    numbers = base.mark_text(fontSize=12).encode(text="count:Q")
    return (cells + numbers).properties(height=alt.Step(26), width=alt.Step(60))
