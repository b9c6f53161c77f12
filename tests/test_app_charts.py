"""Chart picks in the real app (``AppTest``): picks from several charts at once, in words and in styles."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from components.ui import charts_panel, state
from components.views import charts
from tests.test_app import APP, article_html


def pick(app: AppTest, chart: str, selection: str, field: str, *values: str) -> None:
    """Select points in a chart as a click in the browser does (the chart's selection state)."""
    key = f"{chart}_{app.session_state[state.CHART_GENERATION]}"
    app.session_state[key] = {"selection": {selection: [{field: value} for value in values]}}


def notice(app: AppTest) -> str:
    found = [element.proto.body for element in app.get("html") if 'class="pick-notice"' in element.proto.body]
    return re.sub(r"<[^>]+>", "", found[0]) if found else ""


def classes_of(html: str, name: str) -> int:
    return len(re.findall(rf'class="[^"]*\b{name}\b', html))


def test_picks_from_the_bars_the_map_and_the_speakers_work_together_and_clear_clears_all(app_folders) -> None:
    app_folders()
    app = AppTest.from_file(APP, default_timeout=120).run()
    assert notice(app) == ""
    pick(app, charts_panel.COUNTRIES_CHART, charts.COUNTRY_SELECTION, "iso3", "TUR")
    pick(app, charts_panel.MAP_CHART, f"{charts.COUNTRY_SELECTION}_map", "iso3", "GRC")
    pick(app, charts_panel.SPEAKERS_CHART, charts.SPEAKER_SELECTION, "speaker", "Sergei Lavrov")
    app.run()
    assert not app.exception
    # The map's Greece is not hidden by the bars' Turkey; each pick is counted in words.
    assert notice(app) == (
        "Marked in the text: AaSergei Lavrov: 8 quotes · AaTurkey: 6 mentions · AaGreece: 1 mention"
    )
    html = article_html(app)
    assert classes_of(html, "pick-country") == 7 and classes_of(html, "pick-speaker") >= 8
    app.button(key="clear_chart_pick").click().run()
    assert notice(app) == ""
    html = article_html(app)
    assert classes_of(html, "pick-country") == classes_of(html, "pick-speaker") == 0
