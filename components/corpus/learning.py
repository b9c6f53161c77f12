"""Learning from corrections (opt-in, off by default): readers' repeated corrections as phrase patterns.

No Streamlit, no I/O. Two steps:

1. ``patterns_from_corrections`` reads readers' human rows (``AnnotationStore.load(...).rows`` of
   each article, or the corpus's merged table: only ``source=human`` rows are read) and learns

   * **label patterns**: a text the readers gave the same label in at least ``min_places`` (2)
     places, in one article or across articles, and never another label. “Apply to every identical
     mention” gives a pattern at once when the text occurs twice; a single relabel does not.
   * **reject rules** (“never this label for this text”): a text the readers rejected with the same
     label in at least two places and never kept with that label.

   The edit history (``AnnotationStore.history``) is not used: it records only the fields a change
   touched, so a relabel's row there has no text to make a pattern of. The human rows have it.

2. ``apply_patterns`` applies them to an article's model table. The rows it changes or adds have
   ``source = "pattern"`` (``schema.SOURCE_PATTERN``) so the reader can tell them apart, and a
   reader's correction (a human row with the same span_id, merged on top as usual) still wins.

Patterns are dicts in spaCy's ``SpanRuler``/``EntityRuler`` phrase form, ``{"label", "pattern",
"id"}``, plus ``action`` (``label`` or ``reject``) and ``support`` (how many corrected places
taught it). ``ruler_patterns`` gives the label patterns alone, ready for ``ruler.add_patterns``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, Final

import pandas as pd
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from components.annotations.corrections import CountryResolver
from components.annotations.schema import (
    COLUMNS,
    KIND_ENTITY,
    SOURCE_HUMAN,
    SOURCE_PATTERN,
    STATUS_ACTIVE,
    STATUS_REJECTED,
    model_span_id,
    utc_now,
)
from components.annotations.table import sort_table
from components.nlp.countries import resolve_country

ACTION_LABEL: Final = "label"
ACTION_REJECT: Final = "reject"
MIN_PLACES: Final = 2

Pattern = dict[str, Any]
# Anything that turns text into a Doc without parsing it: a Language (its make_doc is used) or a tokenizer.
Tokenize = Callable[[str], Doc]


# --- learning ----------------------------------------------------------------------------------------


def _places(rows: pd.DataFrame) -> dict[tuple[str, str], set[tuple[str, int, int]]]:
    """Return the distinct places (article, start, end) of each (text, label) among ``rows``."""
    places: dict[tuple[str, str], set[tuple[str, int, int]]] = defaultdict(set)
    for article_id, start, end, text, label in zip(
        rows["article_id"], rows["start"], rows["end"], rows["text"], rows["label"], strict=True
    ):
        places[(str(text), str(label))].add((str(article_id), int(start), int(end)))
    return places


def patterns_from_corrections(
    corrections: Iterable[pd.DataFrame], *, min_places: int = MIN_PLACES
) -> list[Pattern]:
    """Return the label patterns and reject rules the readers' human rows teach, sorted by text then label.

    ``corrections`` are tables in the CSV schema (one per article or the corpus's merged table).
    A place is one span (article, start, end); the same text corrected in ``min_places`` places,
    within one article or across articles, makes a pattern. Contradictions teach nothing: a text
    readers kept with two labels gives no label pattern (“Jordan” the person and the country), and
    a (text, label) both kept and rejected gives neither a pattern nor a rule.
    """
    frames = [frame for frame in corrections if not frame.empty]
    if not frames:
        return []
    rows = pd.concat(frames, ignore_index=True)
    rows = rows[
        (rows["source"] == SOURCE_HUMAN) & (rows["kind"] == KIND_ENTITY) & (rows["text"].str.strip() != "")
    ]
    kept = _places(rows[rows["status"] == STATUS_ACTIVE])
    rejected = _places(rows[rows["status"] == STATUS_REJECTED])
    labels_of_text: dict[str, set[str]] = defaultdict(set)
    for text, label in kept:
        labels_of_text[text].add(label)

    patterns: list[Pattern] = []
    for (text, label), places in kept.items():
        contradicted = len(labels_of_text[text]) > 1 or len(rejected.get((text, label), ())) >= min_places
        if len(places) >= min_places and not contradicted:
            patterns.append(_pattern(ACTION_LABEL, text, label, len(places)))
    for (text, label), places in rejected.items():
        if len(places) >= min_places and (text, label) not in kept:
            patterns.append(_pattern(ACTION_REJECT, text, label, len(places)))
    return sorted(patterns, key=lambda p: (p["pattern"], p["label"], p["action"]))


def _pattern(action: str, text: str, label: str, support: int) -> Pattern:
    prefix = "learned" if action == ACTION_LABEL else "never"
    return {
        "label": label,
        "pattern": text,
        "id": f"{prefix}:{label}:{text}",
        "action": action,
        "support": support,
    }


def ruler_patterns(patterns: Iterable[Pattern]) -> list[dict[str, str]]:
    """Return the label patterns as plain ``{"label", "pattern", "id"}`` dicts for a spaCy ``SpanRuler``."""
    return [
        {"label": p["label"], "pattern": p["pattern"], "id": p["id"]}
        for p in patterns
        if p.get("action", ACTION_LABEL) == ACTION_LABEL
    ]


# --- applying ----------------------------------------------------------------------------------------


def _country_cells(resolve: CountryResolver, text: str, label: str) -> list[str]:
    """Return the ``country`` and ``country_reason`` of a span's text under ``label``."""
    found = resolve(text, label)
    return [found.iso3, found.reason] if found is not None else ["", ""]


def _tokenizer(nlp_or_tokenizer: Any) -> Tokenize:
    # A Language tokenizes with make_doc (no tagger, parser or our components); a Tokenizer is callable.
    return getattr(nlp_or_tokenizer, "make_doc", nlp_or_tokenizer)


def _occurrences(text: str, patterns: list[Pattern], tokenize: Tokenize) -> list[tuple[int, int, Pattern]]:
    """Return where the patterns' texts occur on token boundaries, overlaps resolved longest first."""
    if not patterns:
        return []
    doc = tokenize(text)
    matcher = PhraseMatcher(doc.vocab, attr="ORTH")
    by_key = {}
    for index, pattern in enumerate(patterns):
        key = f"learned-pattern-{index}"
        by_key[key] = pattern
        matcher.add(key, [tokenize(pattern["pattern"])])
    spans = filter_spans(matcher(doc, as_spans=True))
    return [(span.start_char, span.end_char, by_key[span.label_]) for span in spans]


def apply_patterns(
    model_table: pd.DataFrame,
    text: str,
    patterns: list[Pattern],
    nlp_or_tokenizer: Any,
    *,
    country_of: CountryResolver | None = None,
    article_id: str | None = None,
) -> pd.DataFrame:
    """Return the article's table with the learned patterns applied; changed and added rows are ``pattern``.

    * **label pattern**: an active entity whose text is exactly the pattern's gets its label (span_id
      kept; nothing changes when it already has it); an occurrence of the text on token boundaries
      that overlaps no active entity becomes a new entity (span_id ``e-<start>-<end>``). An
      occurrence inside or across a longer entity (“Aleppo” in “Aleppo Province”) is left alone:
      fixing boundaries is the reader's call.
    * **reject rule**: an active entity with exactly that text and label gets ``status=rejected``
      (kept, like a reader's rejection, so it shows what the rule removed and can be restored).

    Human rows are never changed. Quotes are untouched. Label patterns run before reject rules.
    ``nlp_or_tokenizer`` only tokenizes (``nlp.make_doc``): nothing is parsed. ``country_of``
    resolves the country of a relabelled or added span (default: the country component's resolver).
    ``article_id`` names added rows when the table is empty.
    """
    resolve = country_of or resolve_country
    table = model_table[list(COLUMNS)].reset_index(drop=True).copy()
    if article_id is None:
        article_id = str(table["article_id"].iloc[0]) if not table.empty else ""
    labelling = [
        p for p in patterns if p.get("action", ACTION_LABEL) == ACTION_LABEL and p["pattern"].strip()
    ]
    rejecting = [p for p in patterns if p.get("action") == ACTION_REJECT]
    now = utc_now()

    def changeable() -> pd.Series:
        entities = (table["kind"] == KIND_ENTITY) & (table["status"] == STATUS_ACTIVE)
        return entities & (table["source"] != SOURCE_HUMAN)

    label_of_text = {p["pattern"]: p["label"] for p in labelling}
    relabel = changeable() & table["text"].isin(label_of_text.keys())
    relabel &= table["label"] != table["text"].map(label_of_text)
    for index in table.index[relabel]:
        label = label_of_text[table.at[index, "text"]]
        table.loc[index, ["label", "country", "country_reason", "source", "updated_at"]] = [
            label,
            *_country_cells(resolve, str(table.at[index, "text"]), label),
            SOURCE_PATTERN,
            now,
        ]

    active = table[(table["kind"] == KIND_ENTITY) & (table["status"] == STATUS_ACTIVE)]
    covered = list(zip(active["start"].astype(int), active["end"].astype(int), strict=True))
    taken = set(table["span_id"])
    added = []
    for start, end, pattern in _occurrences(text, labelling, _tokenizer(nlp_or_tokenizer)):
        span_id = model_span_id(KIND_ENTITY, start, end)
        if span_id in taken or any(s < end and start < e for s, e in covered):
            continue  # already an entity there (relabelled above if it needed it), or a reader's span
        country, reason = _country_cells(resolve, text[start:end], pattern["label"])
        added.append(
            dict.fromkeys(COLUMNS, "")
            | {
                "article_id": article_id,
                "span_id": span_id,
                "kind": KIND_ENTITY,
                "start": start,
                "end": end,
                "text": text[start:end],
                "label": pattern["label"],
                "speaker": "",
                "country": country,
                "source": SOURCE_PATTERN,
                "status": STATUS_ACTIVE,
                "updated_at": now,
                "country_reason": reason,
            }
        )

    never = {(p["pattern"], p["label"]) for p in rejecting}
    if never:
        named = [(text_, label) in never for text_, label in zip(table["text"], table["label"], strict=True)]
        hit = changeable() & pd.Series(named, index=table.index, dtype=bool)
        table.loc[hit, ["status", "source", "updated_at"]] = [STATUS_REJECTED, SOURCE_PATTERN, now]
        added = [row for row in added if (row["text"], row["label"]) not in never]

    if added:
        table = pd.concat([table, pd.DataFrame(added, columns=list(COLUMNS))], ignore_index=True)
    return sort_table(table.astype({"start": "int64", "end": "int64"}))
