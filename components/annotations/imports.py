"""Bringing annotations back in: a file's spans checked against an article, as one change to preview.

``plan_import`` compares each span a file states (``import_formats``) with the article and its
merged table and sorts it:

* **refused**, with the reason: offsets outside the article, a span whose text is not the article's
  text there (the file is for another version of the article), an entity without a label, another
  article's span;
* **conflicting**: the file states the same span twice with different values (neither is used);
* **added**: no span of that kind at those offsets yet;
* **relabelled** (an entity's label, a quote's speaker, or a country changed), **rejected**,
  **restored**; **unchanged** spans are left alone.

A span at exactly the offsets and kind of one in the table takes that span's id, so the reader's row
supersedes the model's whatever id the file gave it. The plan's rows are human rows for
``AnnotationStore.save``: applied as one change in the edit log, undone as one. Refused and
conflicting spans are never applied, so nothing is half-applied: every span is applied whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

import pandas as pd

from components.annotations.import_formats import ImportedSpan
from components.annotations.schema import (
    BY_READER,
    COLUMNS,
    CONFIDENCE_HIGH,
    KIND_ENTITY,
    KIND_QUOTE,
    SOURCE_HUMAN,
    STATUS_ACTIVE,
    STATUS_REJECTED,
    STATUSES,
    model_span_id,
    utc_now,
)
from components.annotations.speakers import speaker_kind_in

ADDED, RELABELLED, REJECTED, RESTORED = "added", "relabelled", "rejected", "restored"
UNCHANGED, CONFLICTING, REFUSED = "unchanged", "conflicting", "refused"
OUTCOMES: Final = (ADDED, RELABELLED, REJECTED, RESTORED, UNCHANGED, CONFLICTING, REFUSED)
PREVIEW_COLUMNS: Final = ("outcome", "where", "kind", "start", "end", "text", "before", "after", "reason")


@dataclass
class ImportPlan:
    """What an import would do to one article: the human rows to save and a line per span of the file."""

    article_id: str
    rows: pd.DataFrame
    preview: list[dict[str, object]] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        """Return how many spans of the file have this outcome."""
        return sum(1 for line in self.preview if line["outcome"] == outcome)

    def summary(self) -> str:
        """Return the counts in words, e.g. ``3 added, 1 relabelled, 2 refused``."""
        return ", ".join(f"{self.count(o)} {o}" for o in OUTCOMES if self.count(o)) or "nothing in the file"

    def preview_frame(self) -> pd.DataFrame:
        """Return the preview as a table (``PREVIEW_COLUMNS``), in the file's order."""
        return pd.DataFrame(self.preview, columns=list(PREVIEW_COLUMNS))


def _describe(kind: str, label: str, speaker: str, country: str, status: str) -> str:
    value = (speaker or "no speaker") if kind == KIND_QUOTE else label
    return " · ".join(part for part in (value, country, "" if status == STATUS_ACTIVE else status) if part)


def _refusal(span: ImportedSpan, article_id: str, article_text: str) -> str:
    """Return why the span cannot be applied to this article, ``""`` if it can."""
    if span.article_id not in (None, article_id):
        return f"it is a span of article {span.article_id!r}"
    if span.document is not None and span.document != article_text:
        return "the file's text is not this article's text (another article, or another version of it)"
    if not 0 <= span.start < span.end <= len(article_text):
        return f"offsets {span.start}–{span.end} are outside the article (0–{len(article_text)})"
    if span.text is not None and span.text != article_text[span.start : span.end]:
        return f"its text {span.text[:40]!r} is not the article's text there ({article_text[span.start : span.end][:40]!r})"
    if span.status not in STATUSES:
        return f"unknown status {span.status!r}"
    if span.kind == KIND_ENTITY and not span.label:
        return "an entity needs a label"
    return ""


def plan_import(
    spans: Iterable[ImportedSpan],
    article_id: str,
    article_text: str,
    table: pd.DataFrame,
    *,
    complete: bool = False,
) -> ImportPlan:
    """Return what importing ``spans`` into the article (its merged ``table``) would change.

    ``complete``: the file holds every annotation of the article (as a Label Studio or doccano
    export of a finished task does), so an active span of the table that the file leaves out is rejected.
    """
    existing = {
        (row.kind, int(row.start), int(row.end)): row._asdict() for row in table.itertuples(index=False)
    }
    preview: list[dict[str, object]] = []
    groups: dict[tuple[str, int, int], list[tuple[ImportedSpan, dict[str, object]]]] = {}
    for span in spans:
        inside = 0 <= span.start <= span.end <= len(article_text)
        line: dict[str, object] = {
            "outcome": REFUSED,
            "where": span.where,
            "kind": span.kind,
            "start": span.start,
            "end": span.end,
            "text": article_text[span.start : span.end] if inside else (span.text or ""),
            "before": "",
            "after": _describe(span.kind, span.label, span.speaker or "", span.country or "", span.status),
            "reason": _refusal(span, article_id, article_text),
        }
        preview.append(line)
        if not line["reason"]:
            groups.setdefault((span.kind, span.start, span.end), []).append((span, line))
    rows = []
    for key, stated in groups.items():
        before = existing.get(key)
        values = {(s.label, s.speaker, s.country, s.status) for s, _ in stated}
        for index, (_span, line) in enumerate(stated):
            line["before"] = _describe(**{k: before[k] for k in _DESCRIBED}) if before else ""
            if len(values) > 1:
                line.update(
                    outcome=CONFLICTING, reason="the file states this span more than once, differently"
                )
            elif index:
                line.update(outcome=UNCHANGED, reason="the file states this span again")
        if len(values) > 1:
            continue
        outcome, row = _outcome(stated[0][0], before, article_id, article_text, table)
        stated[0][1].update(outcome=outcome, reason="")
        if row is not None:
            rows.append(row)
    if complete and not any(line["outcome"] == REFUSED for line in preview):
        rows += _left_out(existing, groups, preview)
    frame = pd.DataFrame(rows, columns=list(COLUMNS)).astype({"start": "int64", "end": "int64"})
    return ImportPlan(article_id, frame, preview)


_DESCRIBED: Final = ("kind", "label", "speaker", "country", "status")


def _left_out(
    existing: dict[tuple[str, int, int], dict[str, object]],
    stated: dict[tuple[str, int, int], object],
    preview: list[dict[str, object]],
) -> list[dict[str, object]]:
    """Return the rows that reject the table's active spans a complete file leaves out, noting each."""
    rows = []
    for key, old in existing.items():
        if key in stated or old["status"] != STATUS_ACTIVE:
            continue
        rows.append(old | {"source": SOURCE_HUMAN, "status": STATUS_REJECTED, "updated_at": utc_now()})
        before = _describe(**{k: old[k] for k in _DESCRIBED})
        preview.append(
            {
                "outcome": REJECTED,
                "where": "(not in the file)",
                "kind": old["kind"],
                "start": old["start"],
                "end": old["end"],
                "text": old["text"],
                "before": before,
                "after": before + " · rejected",
                "reason": "the file holds every annotation, and not this one",
            }
        )
    return rows


def _outcome(
    span: ImportedSpan, old: dict[str, object] | None, article_id: str, text: str, table: pd.DataFrame
) -> tuple[str, dict[str, object] | None]:
    """Return what the span does to the table, and the human row that does it (None: nothing to do)."""
    cells: dict[str, object] = dict.fromkeys(COLUMNS, "") | {
        "article_id": article_id,
        # A span at the offsets and kind of one in the table takes its id: it supersedes that span.
        "span_id": old["span_id"] if old else model_span_id(span.kind, span.start, span.end),
        "kind": span.kind,
        "start": span.start,
        "end": span.end,
        "text": text[span.start : span.end],
        "label": span.label,
        # What the file does not say stays as the article has it.
        "speaker": span.speaker if span.speaker is not None else (old["speaker"] if old else ""),
        "country": span.country if span.country is not None else (old["country"] if old else ""),
        "source": SOURCE_HUMAN,
        "status": span.status,
        "updated_at": utc_now(),
    }
    if old is None:
        return ADDED, _completed(cells, None, table)
    same = all(old[name] == cells[name] for name in ("label", "speaker", "country", "status"))
    if same:
        return UNCHANGED, None
    if old["status"] != span.status:
        outcome = REJECTED if span.status == STATUS_REJECTED else RESTORED
    else:
        outcome = RELABELLED
    return outcome, _completed(cells, old, table)


def _completed(
    cells: dict[str, object], old: dict[str, object] | None, table: pd.DataFrame
) -> dict[str, object]:
    """Return the row with the columns that say how its values were found: kept where the value is
    the table's, the reader's where the file changed it."""
    for name in ("speaker_kind", "speaker_mention", "cue", "attribution", "confidence", "country_reason"):
        cells[name] = old[name] if old is not None else ""
    if (
        cells["kind"] == KIND_QUOTE
        and cells["speaker"]
        and (old is None or old["speaker"] != cells["speaker"])
    ):
        cells |= {
            "speaker_kind": speaker_kind_in(table, str(cells["speaker"])),
            "speaker_mention": "",
            "attribution": BY_READER,
            "confidence": CONFIDENCE_HIGH,
        }
    if cells["country"] and (old is None or old["country"] != cells["country"]):
        cells["country_reason"] = BY_READER
    if not cells["country"]:
        cells["country_reason"] = ""
    return cells
