"""Correcting feels like editing text (``AppTest``): words people use, the present state, speakers,
boundaries by words, unsure speakers, keyboard."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from components.ui import state
from tests.test_app_corrections import open_correct_tab, pick


@pytest.fixture()
def app(app_folders) -> AppTest:
    return open_correct_tab(app_folders)


def legend_html(app: AppTest) -> str:
    return next(element.proto.body for element in app.get("html") if 'class="legend"' in element.proto.body)


def test_labels_read_as_plain_names_with_the_code_beside(app: AppTest) -> None:
    assert "Place (GPE) <b>" in legend_html(app) and "Nationality or group (NORP) <b>" in legend_html(app)
    pills = app.button_group(key=state.LABEL_FILTER)
    assert any(option.startswith(r"Place \(GPE\) · ") for option in pills.options), pills.options
    assert "GPE" in pills.value  # the data keeps spaCy's code
    picker = app.selectbox(key=state.SELECTED_SPAN)
    assert any(option.startswith("“Lavrov” · Organisation (ORG) · ") for option in picker.options)
    pick(app, "Lavrov", "ORG")
    label = app.selectbox(key=state.LABEL_CHOICE)
    assert label.value == "ORG" and "Person (PERSON)" in label.options and "Date" in label.options
