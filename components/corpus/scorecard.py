"""How good the model was, measured against the reader's corrections. Pure functions, no I/O.

The reader's view of an article is the gold standard: the merged table (the model's rows with the
reader's human rows on top, ``annotations.merge_corrections``), its active rows only. The model's
rows are the predictions.

What is counted
---------------
A reader's silence is agreement only where the reader has looked. So ``score_checked``:

* counts an article marked **reviewed** in full: every model span the reader left alone is correct;
* counts an article **in progress** (corrected, not marked reviewed) only on the spans the reader
  touched, i.e. the span ids of the reader's rows (relabelled, rejected, restored, moved, given a
  speaker, or added): an unchecked model span says nothing either way.

A scorecard says which it did (``full``, ``partial``, ``touched``; ``counting_note`` in words).
``score_article`` scores two tables as given, in full.

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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Final

import pandas as pd

from components.annotations.schema import KIND_ENTITY, KIND_QUOTE, STATUS_REJECTED
from components.annotations.table import merge_corrections

OVERALL_LABEL: Final = "ALL"
SPEAKER_LABEL: Final = "SPEAKER"
REJECTED: Final = "(rejected)"
MISSED: Final = "(missed)"
BOUNDARY: Final = "(boundary)"
CONFUSION_COLUMNS: Final = ("model_label", "human_label", "count")
# The counts in a journalist's words; the downloaded table keeps the measure's names (tp, fn, fp).
COUNT_WORDS: Final = {"tp": "found", "fn": "missed", "fp": "wrongly labelled"}
COUNT_MEANINGS: Final = {
    "found": "spans the model got right (tp)",
    "missed": "spans of this label the readers have and the model did not give (fn)",
    "wrongly labelled": "spans the model gave this label that the readers changed or rejected (fp)",
}
ROW_NAMES: Final = {OVERALL_LABEL: "All entities", SPEAKER_LABEL: "Quote speakers"}
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
    full: int  # articles counted in full (marked reviewed)
    partial: int = 0  # articles in progress, counted only on the spans the reader touched
    touched: int = 0  # how many spans the readers touched in those articles

    @property
    def articles(self) -> int:
        """Return how many articles this scorecard counts, in full or in part."""
        return self.full + self.partial


@dataclass(frozen=True, eq=False)
class CheckedArticle:
    """An article a reader has worked on: the model's table, the reader's saved rows, and its review mark."""

    model_table: pd.DataFrame  # the model's rows (``doc_to_table``)
    corrections: pd.DataFrame  # the reader's rows as saved (``AnnotationStore.load(...).rows``)
    reviewed: bool  # marked reviewed: counted in full; otherwise only the touched spans count


def _empty_confusions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "model_label": pd.Series(dtype=str),
            "human_label": pd.Series(dtype=str),
            "count": pd.Series(dtype="int64"),
        }
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


# One row as the scorer needs it: (article, span_id, kind, start, end, label, speaker, status).
_Row = tuple[str, str, str, int, int, str, str, str]
_SCORED_COLUMNS: Final = ("span_id", "kind", "start", "end", "label", "speaker", "status")


def _rows(table: pd.DataFrame, article: str) -> list[_Row]:
    """Return the table's rows as plain tuples, keyed by ``article``.

    Plain tuples: counting them is quicker than filtering pandas frames row by row.
    """
    columns = [table[name].tolist() for name in _SCORED_COLUMNS]
    # tolist() gives Python ints and strs already: no per-cell conversion needed.
    return list(zip([article] * len(table), *columns, strict=True))


Key = tuple[str, int, int, str]  # (article, start, end, label or speaker)
Counts = tuple[Counter[str], Counter[str], Counter[str]]


def _match(predicted: Counter[Key], gold: Counter[Key]) -> Counts:
    """Return tp, fp and fn per label (the key's last part) for exact matching of keys (multisets)."""
    tp, fp, fn = Counter[str](), Counter[str](), Counter[str]()
    for key, count in predicted.items():
        hits = min(count, gold.get(key, 0))
        tp[key[-1]] += hits
        fp[key[-1]] += count - hits
    for key, count in gold.items():
        fn[key[-1]] += count - min(count, predicted.get(key, 0))
    return tp, fp, fn


def _tally(
    predicted: Iterable[_Row], gold: Iterable[_Row]
) -> tuple[Counts, LabelScore, Counter[tuple[str, str]]]:
    """Return the entity counts per label, the speaker score and the confusion pairs."""
    predicted_entities, gold_entities = Counter[Key](), Counter[Key]()
    predicted_quotes, gold_quotes = Counter[Key](), Counter[Key]()
    model_entities: list[_Row] = []
    gold_by_id: dict[tuple[str, str], _Row] = {}
    for row in predicted:
        article, _, kind, start, end, label, speaker, status = row
        if status == STATUS_REJECTED:
            continue
        if kind == KIND_ENTITY:
            predicted_entities[(article, start, end, label)] += 1
            model_entities.append(row)
        elif kind == KIND_QUOTE:
            predicted_quotes[(article, start, end, speaker)] += 1
    for row in gold:
        article, span_id, kind, start, end, label, speaker, status = row
        if kind == KIND_ENTITY:
            gold_by_id[(article, span_id)] = row  # rejected ones too: a rejection is a confusion
        if status == STATUS_REJECTED:
            continue
        if kind == KIND_ENTITY:
            gold_entities[(article, start, end, label)] += 1
        elif kind == KIND_QUOTE:
            gold_quotes[(article, start, end, speaker)] += 1
    quote_tp, quote_fp, quote_fn = _match(predicted_quotes, gold_quotes)
    speakers = LabelScore(
        SPEAKER_LABEL, sum(quote_tp.values()), sum(quote_fp.values()), sum(quote_fn.values())
    )
    return _match(predicted_entities, gold_entities), speakers, _confusions(model_entities, gold_by_id)


def _confusions(
    model_entities: list[_Row], gold_by_id: dict[tuple[str, str], _Row]
) -> Counter[tuple[str, str]]:
    """Return (model_label, human_label) counts of what the reader changed, pairing rows by span_id."""
    pairs: Counter[tuple[str, str]] = Counter()
    model_ids = set()
    for article, span_id, _, start, end, label, _, _ in model_entities:
        model_ids.add((article, span_id))
        gold = gold_by_id.get((article, span_id))
        if gold is None:
            continue  # not in the merged table at all: nothing the reader did to it
        _, _, _, gold_start, gold_end, gold_label, _, gold_status = gold
        if gold_status == STATUS_REJECTED:
            pairs[(label, REJECTED)] += 1
        elif gold_label != label:
            pairs[(label, gold_label)] += 1
        elif (gold_start, gold_end) != (start, end):
            pairs[(label, BOUNDARY)] += 1
    for key, (_, _, _, _, _, label, _, status) in gold_by_id.items():
        if key not in model_ids and status != STATUS_REJECTED:
            pairs[(MISSED, label)] += 1
    return pairs


def _card(
    label_counts: tuple[Counter[str], Counter[str], Counter[str]],
    speakers: LabelScore,
    confusions: pd.DataFrame,
    counted: tuple[int, int, int],
) -> Scorecard:
    """Return the scorecard of these counts; ``counted`` is (full, partial, touched) as in ``Scorecard``."""
    tp, fp, fn = label_counts
    names = sorted(set(tp) | set(fp) | set(fn))
    labels = tuple(LabelScore(name, tp[name], fp[name], fn[name]) for name in names)
    overall = LabelScore(OVERALL_LABEL, sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return Scorecard(labels, overall, speakers, confusions, *counted)


def score_article(model_table: pd.DataFrame, merged_table: pd.DataFrame) -> Scorecard:
    """Return the scorecard of one article: the model's rows against the reader's merged table.

    Predictions are ``model_table``'s active entity and quote rows (the model's own rows are all
    active; a table with learned patterns applied may have rejected some); gold is
    ``merged_table``'s active rows. Every row counts (one article counted in full); see the module
    docstring for the matching rules, and ``score_checked`` for an article a reader has not finished.
    """
    counts, speakers, pairs = _tally(_rows(model_table, ""), _rows(merged_table, ""))
    return _card(counts, speakers, _confusion_frame(pairs), (1, 0, 0))


def score_checked(article: CheckedArticle, predicted: pd.DataFrame | None = None) -> Scorecard:
    """Return the scorecard of an article a reader worked on: in full when reviewed, else on the touched spans.

    Gold is the model's table with the reader's rows on top. ``predicted`` defaults to the model's
    table; pass another (e.g. with learned patterns applied) to score it against the same gold.
    """
    predicted = article.model_table if predicted is None else predicted
    gold = merge_corrections(article.model_table, article.corrections)
    if article.reviewed:
        return score_article(predicted, gold)
    # A correction keeps the span_id of the span it corrects, and an added span has its own:
    # the reader's rows name every span the reader looked at.
    touched = set(article.corrections["span_id"].tolist())
    card = score_article(predicted[predicted["span_id"].isin(touched)], gold[gold["span_id"].isin(touched)])
    return replace(card, full=0, partial=1, touched=len(touched))


def combine(cards: Iterable[Scorecard]) -> Scorecard:
    """Return one scorecard summing the counts and confusions of ``cards`` (micro-averaged).

    No cards give an all-zero scorecard of 0 articles.
    """
    tp, fp, fn = Counter[str](), Counter[str](), Counter[str]()
    speakers = LabelScore(SPEAKER_LABEL, 0, 0, 0)
    pairs: Counter[tuple[str, str]] = Counter()
    full = partial = touched = 0
    for card in cards:
        for score in card.labels:
            # Counter.update adds, and keeps a label even when its count is 0 (it was seen).
            tp.update({score.label: score.tp})
            fp.update({score.label: score.fp})
            fn.update({score.label: score.fn})
        speakers = speakers + card.speakers
        for model, human, count in card.confusions[list(CONFUSION_COLUMNS)].itertuples(index=False):
            pairs[(model, human)] += int(count)
        full, partial, touched = full + card.full, partial + card.partial, touched + card.touched
    return _card((tp, fp, fn), speakers, _confusion_frame(pairs), (full, partial, touched))


def counting_note(card: Scorecard) -> str:
    """Return one sentence saying what the scorecard counted: which articles in full, which in part."""
    if not card.articles:
        return "No article counted."

    def articles(count: int) -> str:
        return f"{count} article{'' if count == 1 else 's'}"

    parts = []
    if card.full:
        parts.append(f"{articles(card.full)} marked reviewed, counted in full")
    if card.partial:
        spans = f"{card.touched} span{'' if card.touched == 1 else 's'}"
        parts.append(
            f"{articles(card.partial)} in progress, counted only on the {spans} a reader corrected "
            "(the model's other spans there are not checked yet)"
        )
    return "Counted: " + "; ".join(parts) + "."


def scorecard_frame(card: Scorecard) -> pd.DataFrame:
    """Return one row per entity label, then ALL and SPEAKER: label, precision, recall, f1, tp, fp, fn."""
    scores = [*card.labels, card.overall, card.speakers]
    frame = pd.DataFrame(
        [(s.label, s.precision, s.recall, s.f1, s.tp, s.fp, s.fn) for s in scores],
        columns=list(FRAME_COLUMNS),
    )
    return frame.astype(
        {
            "precision": "float64",
            "recall": "float64",
            "f1": "float64",
            "tp": "int64",
            "fp": "int64",
            "fn": "int64",
        }
    )


def reader_frame(frame: pd.DataFrame, label_name: Callable[[str], str]) -> pd.DataFrame:
    """Return ``scorecard_frame``'s table in the reader's words: labels by name; found, missed, wrongly labelled."""
    shown = frame.rename(columns=COUNT_WORDS)
    shown["label"] = [ROW_NAMES.get(label) or label_name(label) for label in frame["label"]]
    return shown[["label", *COUNT_MEANINGS, "precision", "recall", "f1"]]
