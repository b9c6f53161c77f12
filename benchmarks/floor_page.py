"""The floor: the least a Streamlit page can do to show our content, timed beside ours by ``page``.

The same articles (``ARTICLES_DIR``, ``?article=<id>``) and the same spaCy model, loaded with
``st.cache_resource`` and parsed with ``st.cache_data``; displaCy's entity HTML in ``st.html``; three
small Altair bar charts (speakers: PERSON entities, places: GPE and LOC entities, labels). Nothing
else: no quotes, no corrections, no session. Run by ``benchmarks.browser.floor_server``, never by the app.
"""

from __future__ import annotations

import os
from pathlib import Path

import altair as alt
import pandas as pd
import spacy
import streamlit as st
from spacy import displacy

from components.nlp.pipeline import resolve_model_name

DEFAULT_ARTICLE = "aleppo-rebels-reject-russian-demands"


@st.cache_resource
def model() -> spacy.language.Language:
    """Return the plain spaCy model our pipeline is built on, loaded once per process."""
    return spacy.load(resolve_model_name())


@st.cache_data
def parse(text: str) -> tuple[str, pd.DataFrame]:
    """Return displaCy's entity HTML and the entities (``text, label``), parsed once per text."""
    doc = model()(text)
    entities = pd.DataFrame([(ent.text, ent.label_) for ent in doc.ents], columns=["text", "label"])
    return displacy.render(doc, style="ent"), entities


def bar_chart(entities: pd.DataFrame, field: str, title: str) -> alt.Chart:
    """Return a small bar chart of how often each value of ``field`` occurs."""
    counts = entities[field].value_counts().rename_axis("value").reset_index(name="count")
    return (
        alt.Chart(counts, title=title)
        .mark_bar()
        .encode(y=alt.Y("value:N", sort="-x", title=None), x="count:Q")
    )


article_id = st.query_params.get("article", DEFAULT_ARTICLE)
text = (Path(os.environ["ARTICLES_DIR"]) / f"{article_id}.txt").read_text(encoding="utf-8")
html, entities = parse(text)
st.title(article_id)
reading, side = st.columns([3, 2])
reading.html(f'<div class="article">{html}</div>')
side.altair_chart(bar_chart(entities[entities["label"] == "PERSON"], "text", "Speakers"))
side.altair_chart(bar_chart(entities[entities["label"].isin(["GPE", "LOC"])], "text", "Places"))
side.altair_chart(bar_chart(entities, "label", "Labels"))
