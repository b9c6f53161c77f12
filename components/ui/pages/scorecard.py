"""The scorecard: the model measured against the readers' corrections, per article and for the corpus."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.annotations.store import StoreError
from components.corpus import scorecard
from components.corpus.learning import apply_patterns
from components.corpus.listing import NOT_STARTED, REVIEWED, list_corpus
from components.corpus.model_cache import corpus_model_tables
from components.ui.context import app_context
from components.ui.desk_view import model_cache
from components.ui.downloads import DownloadFile, download_button
from components.ui.learning_panel import learned_patterns
from components.ui.markdown import plain
from components.views import charts
from components.views.labels import label_name

context = app_context()
st.title("Scorecard")
st.caption(
    "How much can the model be trusted on this kind of news? Its output is compared with the readers' "
    "corrections. An article marked reviewed counts in full; an article in progress counts only on the "
    "spans a reader corrected; an article nobody checked says nothing about the model, and is left out."
)
listing = list_corpus(context.library, context.store)
checked = listing[listing["state"] != NOT_STARTED]
if checked.empty:
    st.info("No article has corrections yet: correct or review one, and its scores appear here.")
    st.stop()

cache = model_cache(context)
texts = {article_id: context.library.get(article_id).text for article_id in checked["article_id"]}
models = corpus_model_tables(texts.items(), context.nlp, cache)
reviewed = set(checked.loc[checked["state"] == REVIEWED, "article_id"])
articles: dict[str, scorecard.CheckedArticle] = {}
for article_id, text in texts.items():
    try:
        saved = context.store.load(article_id, text).rows
    except StoreError as error:
        st.warning(plain(str(error)))
        continue
    articles[article_id] = scorecard.CheckedArticle(models[article_id], saved, article_id in reviewed)
cards = {article_id: scorecard.score_checked(article) for article_id, article in articles.items()}

choice = st.selectbox("Scores for", ["The whole corpus", *cards], key="scorecard_scope")
card = scorecard.combine(cards.values()) if choice == "The whole corpus" else cards[choice]
st.caption(scorecard.counting_note(card))
frame = scorecard.scorecard_frame(card)
st.dataframe(
    scorecard.reader_frame(frame, label_name),
    hide_index=True,
    column_config={
        **{
            name: st.column_config.NumberColumn(name, format="%.2f") for name in ("precision", "recall", "f1")
        },
        **{
            name: st.column_config.NumberColumn(name, help=meaning)
            for name, meaning in scorecard.COUNT_MEANINGS.items()
        },
    },
)
download_button(
    st.container(),
    "Download scorecard (CSV)",
    DownloadFile.of(frame.to_csv(index=False).encode("utf-8-sig"), "scorecard.csv", "text/csv"),
    "download_scorecard",
)
# Labels by the names the rest of the page uses ("Place (GPE)"), in the chart and the table alike.
confusions = card.confusions.assign(
    model_label=card.confusions["model_label"].map(label_name),
    human_label=card.confusions["human_label"].map(label_name),
)
left, right = st.columns(2, gap="large")
with left:
    st.markdown("##### Where the model was corrected")
    if confusions.empty:
        st.caption("No label was changed.")
    else:
        st.altair_chart(charts.confusion_chart(confusions))
with right:
    st.markdown("##### Confusions")
    if confusions.empty:
        st.caption("None: every label the readers checked was the model's.")
    else:
        st.dataframe(
            confusions.rename(
                columns={"model_label": "the model said", "human_label": "the reader said", "count": "spans"}
            ),
            hide_index=True,
        )

st.subheader("Learned patterns")
patterns = learned_patterns(context.store)
if not patterns:
    st.caption(
        "No pattern yet: a correction applied to every identical mention (or the same correction in two "
        "places) becomes one. Switch on “Learn from my corrections” on the reading page to apply them."
    )
else:
    learned = pd.DataFrame(patterns)[["pattern", "label", "action", "support"]]
    st.dataframe(learned.assign(label=learned["label"].map(label_name)), hide_index=True)
    with_learning = [
        scorecard.score_checked(
            article,
            apply_patterns(article.model_table, texts[article_id], patterns, context.nlp),
        )
        for article_id, article in articles.items()
    ]
    before, after = scorecard.combine(cards.values()).overall, scorecard.combine(with_learning).overall
    st.markdown(
        f"On the corrected articles, the patterns would take entity F1 from **{before.f1:.2f}** to "
        f"**{after.f1:.2f}** (precision {before.precision:.2f} → {after.precision:.2f}, recall "
        f"{before.recall:.2f} → {after.recall:.2f}). They were learned from these same corrections, so "
        "this shows what they change, not how well they generalise."
    )
