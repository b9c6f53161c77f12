"""How good the model was, measured against the reader's corrections. Pure functions, no I/O.

The reader's view of an article is the gold standard: the merged table (the model's rows with the
reader's human rows on top, ``annotations.merge_corrections``), its active rows only. The model's
rows are the predictions. So an article nobody corrected scores perfectly: the reader's silence is
read as agreement, which is why a corpus score should be taken over articles marked reviewed.

Matching
--------
* Entities: a prediction is a true positive for its label when the gold has an active entity with
  the same ``start``, ``end`` and ``label``; otherwise a false positive for its label. A gold entity
  no prediction matches is a false negative for its (gold) label. A relabel NORP → GPE is therefore
  one false positive for NORP and one false negative for GPE; a boundary fix is a false positive and
  a false negative of the same label.
* Speakers: the same rule on quotes, keyed by ``start``, ``end`` and ``speaker``: a model quote the
  reader kept with the same speaker is a true positive; one whose speaker was changed, or that was
  rejected, is a false positive; a quote the reader added, or whose speaker was changed, is a false
  negative.

Precision, recall and F1 are 0.0 when undefined (no predictions, no gold, or both zero): a label
with nothing to measure earns nothing, and a corpus figure is never NaN.

Confusions
----------
What the reader did to each model entity, paired by ``span_id`` (a correction keeps the span_id of
the span it corrects). Only changes are counted (agreement is each label's ``tp``):

==========================  ================  ===================
what the reader did         ``model_label``   ``human_label``
==========================  ================  ===================
changed the label           the model's       the reader's label (boundaries may have moved too)
rejected the span           the model's       ``(rejected)``
moved its boundaries only   the model's       ``(boundary)``
added a span                ``(missed)``      the reader's label
==========================  ================  ===================
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

import pandas as pd

from components.schema import KIND_ENTITY, KIND_QUOTE, STATUS_REJECTED

OVERALL_LABEL: Final = "ALL"
SPEAKER_LABEL: Final = "SPEAKER"
REJECTED: Final = "(rejected)"
MISSED: Final = "(missed)"
BOUNDARY: Final = "(boundary)"
CONFUSION_COLUMNS: Final = ("model_label", "human_label", "count")
FRAME_COLUMNS: Final = ("label", "precision", "recall", "f1", "tp", "fp", "fn")


@dataclass(frozen=True)
class LabelScore:
    """True positives, false positives and false negatives of one label, with P/R/F1 (0.0 when undefined)."""

    label: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """Return tp / (tp + fp), or 0.0 when there were no predictions."""
        predicted = self.tp + self.fp
        return self.tp / predicted if predicted else 0.0

    @property
    def recall(self) -> float:
        """Return tp / (tp + fn), or 0.0 when there was nothing to find."""
        gold = self.tp + self.fn
        return self.tp / gold if gold else 0.0

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall, 2tp / (2tp + fp + fn), or 0.0 when undefined."""
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 0.0

    def __add__(self, other: LabelScore) -> LabelScore:
        """Return the counts of both summed, under this score's label (micro-averaging)."""
        return LabelScore(self.label, self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


# eq=False: the confusions DataFrame has no truth value, so a generated __eq__ would raise.
@dataclass(frozen=True, eq=False)
class Scorecard:
    """Scores of the model against the reader for one article or, combined, a corpus."""

    labels: tuple[LabelScore, ...]  # one per entity label seen in predictions or gold, sorted by label
    overall: LabelScore  # micro over entities, label "ALL"
    speakers: LabelScore  # quote speakers, label "SPEAKER"
    confusions: pd.DataFrame  # model_label, human_label, count: what the reader changed
    articles: int


def _empty_confusions() -> pd.DataFrame:
    return pd.DataFrame(
        {"model_label": pd.Series(dtype=str), "human_label": pd.Series(dtype=str), "count": pd.Series(dtype="int64")}
    )


def _confusion_frame(pairs: Counter[tuple[str, str]]) -> pd.DataFrame:
    """Return the pair counts as a confusions frame, most frequent first."""
    if not pairs:
        return _empty_confusions()
    frame = pd.DataFrame(
        [(model, human, count) for (model, human), count in pairs.items()], columns=list(CONFUSION_COLUMNS)
    ).astype({"count": "int64"})
    return frame.sort_values(
        ["count", "model_label", "human_label"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)


def _active(table: pd.DataFrame, kind: str) -> pd.DataFrame:
    return table[(table["kind"] == kind) & (table["status"] != STATUS_REJECTED)]


def _keys(rows: pd.DataFrame, field: str) -> Counter[tuple[int, int, str]]:
    """Return the rows' (start, end, field) keys as a multiset (a table could repeat a span)."""
    return Counter(zip(rows["start"].astype(int), rows["end"].astype(int), rows[field].astype(str), strict=True))


def _match(predicted: Counter[tuple[int, int, str]], gold: Counter[tuple[int, int, str]]) -> tuple[
    Counter[str], Counter[str], Counter[str]
]:
    """Return tp, fp and fn per third key element (the label) for exact (start, end, label) matching."""
    tp, fp, fn = Counter[str](), Counter[str](), Counter[str]()
    for key, count in predicted.items():
        hits = min(count, gold.get(key, 0))
        tp[key[2]] += hits
        fp[key[2]] += count - hits
    for key, count in gold.items():
        fn[key[2]] += count - min(count, predicted.get(key, 0))
    return tp, fp, fn


def _confusions(model_entities: pd.DataFrame, merged: pd.DataFrame) -> Counter[tuple[str, str]]:
    """Return (model_label, human_label) counts of what the reader changed, pairing rows by span_id."""
    merged_entities = merged[merged["kind"] == KIND_ENTITY]
    gold_by_id = {
        span_id: (int(start), int(end), str(label), str(status))
        for span_id, start, end, label, status in zip(
            merged_entities["span_id"], merged_entities["start"], merged_entities["end"],
            merged_entities["label"], merged_entities["status"], strict=True,
        )
    }
    pairs: Counter[tuple[str, str]] = Counter()
    model_ids = set()
    for span_id, start, end, label in zip(
        model_entities["span_id"], model_entities["start"], model_entities["end"], model_entities["label"], strict=True
    ):
        model_ids.add(span_id)
        gold = gold_by_id.get(span_id)
        if gold is None:
            continue  # not in the merged table at all: nothing the reader did to it
        gold_start, gold_end, gold_label, gold_status = gold
        if gold_status == STATUS_REJECTED:
            pairs[(str(label), REJECTED)] += 1
        elif gold_label != label:
            pairs[(str(label), gold_label)] += 1
        elif (gold_start, gold_end) != (int(start), int(end)):
            pairs[(str(label), BOUNDARY)] += 1
    for span_id, (_, _, label, status) in gold_by_id.items():
        if span_id not in model_ids and status != STATUS_REJECTED:
            pairs[(MISSED, label)] += 1
    return pairs


def _card(
    label_counts: tuple[Counter[str], Counter[str], Counter[str]],
    speakers: LabelScore,
    confusions: pd.DataFrame,
    articles: int,
) -> Scorecard:
    tp, fp, fn = label_counts
    names = sorted(set(tp) | set(fp) | set(fn))
    labels = tuple(LabelScore(name, tp[name], fp[name], fn[name]) for name in names)
    overall = LabelScore(OVERALL_LABEL, sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return Scorecard(labels, overall, speakers, confusions, articles)


def score_article(model_table: pd.DataFrame, merged_table: pd.DataFrame) -> Scorecard:
    """Return the scorecard of one article: the model's rows against the reader's merged table.

    Predictions are ``model_table``'s active entity and quote rows (the model's own rows are all
    active; a table with learned patterns applied may have rejected some); gold is
    ``merged_table``'s active rows. See the module docstring for the matching rules.
    """
    model_entities = _active(model_table, KIND_ENTITY)
    tp, fp, fn = _match(_keys(model_entities, "label"), _keys(_active(merged_table, KIND_ENTITY), "label"))
    quote_tp, quote_fp, quote_fn = _match(
        _keys(_active(model_table, KIND_QUOTE), "speaker"), _keys(_active(merged_table, KIND_QUOTE), "speaker")
    )
    speakers = LabelScore(
        SPEAKER_LABEL, sum(quote_tp.values()), sum(quote_fp.values()), sum(quote_fn.values())
    )
    confusions = _confusion_frame(_confusions(model_entities, merged_table))
    return _card((tp, fp, fn), speakers, confusions, 1)


def combine(cards: Iterable[Scorecard]) -> Scorecard:
    """Return one scorecard summing the counts and confusions of ``cards`` (micro-averaged); empty: all zero."""
    tp, fp, fn = Counter[str](), Counter[str](), Counter[str]()
    speakers = LabelScore(SPEAKER_LABEL, 0, 0, 0)
    pairs: Counter[tuple[str, str]] = Counter()
    articles = 0
    for card in cards:
        for score in card.labels:
            # Counter.update adds, and keeps a label even when its count is 0 (it was seen).
            tp.update({score.label: score.tp})
            fp.update({score.label: score.fp})
            fn.update({score.label: score.fn})
        speakers = speakers + card.speakers
        for model, human, count in card.confusions[list(CONFUSION_COLUMNS)].itertuples(index=False):
            pairs[(model, human)] += int(count)
        articles += card.articles
    return _card((tp, fp, fn), speakers, _confusion_frame(pairs), articles)


def corpus_scorecard(
    model_tables: Mapping[str, pd.DataFrame], merged_table: pd.DataFrame, article_ids: Iterable[str] | None = None
) -> Scorecard:
    """Return the combined scorecard of the articles in ``article_ids`` (default: every model table).

    ``merged_table`` is the whole corpus's merged table (``corpus.corpus_table``), split here by
    ``article_id``. Pass the reviewed articles only: an article nobody checked scores perfectly.
    """
    wanted = list(model_tables) if article_ids is None else [i for i in article_ids if i in model_tables]
    merged_by_article = {article_id: rows for article_id, rows in merged_table.groupby("article_id", sort=False)}
    cards = []
    for article_id in wanted:
        model = model_tables[article_id]
        cards.append(score_article(model, merged_by_article.get(article_id, model.iloc[0:0])))
    return combine(cards)


def scorecard_frame(card: Scorecard) -> pd.DataFrame:
    """Return one row per entity label, then ALL and SPEAKER: label, precision, recall, f1, tp, fp, fn."""
    scores = [*card.labels, card.overall, card.speakers]
    frame = pd.DataFrame(
        [(s.label, s.precision, s.recall, s.f1, s.tp, s.fp, s.fn) for s in scores], columns=list(FRAME_COLUMNS)
    )
    return frame.astype({"precision": "float64", "recall": "float64", "f1": "float64",
                         "tp": "int64", "fp": "int64", "fn": "int64"})
