"""Chart picks stay legible: each chart's pick its own mark, the map and the bars together, a notice in words."""

from __future__ import annotations

import pandas as pd

from components.views.chart_picks import ChartPick, PickedItem
from components.views.render import render_article, render_pick_notice, view_spans
from tests.test_charts import entity, quote

TABLE = pd.DataFrame(
    [
        entity("e-1", "Turkey", "GPE", country="TUR"),
        entity("e-2", "Turkish", "NORP", country="TUR"),
        entity("e-3", "Syria", "GPE", country="SYR"),
        entity("e-4", "Lavrov", "PERSON"),
        entity("e-5", "Ankara", "GPE", country="TUR", status="rejected"),
        quote("q-1", "“No.”", "Sergei Lavrov"),
        quote("q-2", "“Never.”", "Sergei Lavrov"),
        quote("q-3", "“Yes.”", "John Kerry"),
    ]
)
NAMES = {"TUR": "Turkey", "SYR": "Syria"}


def test_a_country_picked_on_the_map_adds_to_the_bars_pick() -> None:
    pick = ChartPick.of(bar_countries=("TUR",), map_countries=("SYR", "TUR"))
    assert pick.countries == ("TUR", "SYR")
    assert set(pick.marks(TABLE)) == {"e-1", "e-2", "e-3"}  # the rejected Ankara is not in the text


def test_each_chart_marks_with_its_own_style_and_a_span_may_carry_two() -> None:
    pick = ChartPick.of(speakers=("Sergei Lavrov",), bar_countries=("TUR",), labels=("GPE",))
    marks = pick.marks(TABLE)
    assert marks["q-1"] == marks["q-2"] == {"speaker"}
    assert marks["e-1"] == {"country", "label"} and marks["e-2"] == {"country"} and marks["e-3"] == {"label"}
    text = "Turkey Turkish Syria"
    spans = view_spans(
        pd.DataFrame([entity("e-1", "Turkey", "GPE", country="TUR") | {"start": 0, "end": 6}]),
        pick_marks=marks,
    )
    html = render_article(text, spans)
    assert 'class="ent pick-country pick-label"' in html


def test_the_notice_says_what_is_marked_with_a_sample_of_each_mark() -> None:
    pick = ChartPick.of(speakers=("Sergei Lavrov",), bar_countries=("TUR",), labels=("PERSON",))
    items = pick.items(TABLE, NAMES.get, lambda label: f"<{label}>")
    assert [item.words() for item in items] == [
        "Sergei Lavrov: 2 quotes",
        "Turkey: 2 mentions",
        "<PERSON>: 1 span",
    ]
    html = render_pick_notice(items)
    assert "Marked in the text: " in html and " · " in html
    assert '<span class="pick-sample pick-country">' in html and "&lt;PERSON&gt;: 1 span" in html


def test_one_speaker_narrows_the_quotes_several_do_not() -> None:
    assert ChartPick.of(speakers=("John Kerry",)).speaker == "John Kerry"
    assert ChartPick.of(speakers=("John Kerry", "Sergei Lavrov")).speaker is None
    assert not ChartPick.of() and ChartPick.of(labels=("GPE",))


def test_a_hostile_name_is_escaped_in_the_notice() -> None:
    html = render_pick_notice([PickedItem("speaker", "<img src=x onerror=alert(1)>", 1, "quote")])
    assert "<img" not in html and "&lt;img" in html
