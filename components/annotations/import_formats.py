"""Annotation files from a spreadsheet or another tool, read into spans: what each file says, unchecked.

Formats (told apart by the file's name and content):

* **our CSV** (``.csv``), as downloaded and perhaps edited in a spreadsheet: the ``csv_codec`` format;
  the later columns may be missing, other columns are refused by name.
* **our .xlsx** (``.xlsx``): the sheet ``annotations`` (else the first), with the CSV's header.
* **JSONL** (``.jsonl``), one task per line:
  - ours and Prodigy's / spaCy's span format: ``{"text", "spans": [{"start", "end", "label",
    "speaker"?}], "meta": {"article_id", "rejected": [...]}}``;
  - doccano's sequence-labelling export: ``{"text", "label": [[start, end, "LABEL"], ...]}`` (or
    ``"labels"``, or ``"entities": [{"start_offset", "end_offset", "label"}]``).
* **Label Studio's JSON export** (``.json``): ``[{"data": {"text", "article_id"?}, "annotations":
  [{"result": [{"type": "labels", "value": {"start", "end", "text", "labels": [...]}}]}]}]``; the
  latest annotation of a task is read, a ``"was_cancelled"`` one skipped.

A span labelled ``QUOTE`` is a quote (its ``speaker`` where the format has one); any other label an
entity. Checking the spans against the article is ``imports.plan_import``'s work.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any, Final

from openpyxl import load_workbook

from components.annotations.csv_codec import (
    TableFormatError,
    decode_text,
    header_problems,
    parse_records,
)
from components.annotations.schema import (
    COLUMNS,
    KIND_ENTITY,
    KIND_QUOTE,
    QUOTE_LABEL,
    STATUS_ACTIVE,
    STATUS_REJECTED,
)
from components.annotations.xlsx_export import ANNOTATIONS_SHEET, xlsx_text

FORMAT_CSV: Final = "our CSV"
FORMAT_XLSX: Final = "our .xlsx"
FORMAT_SPANS_JSONL: Final = "span JSONL (ours, Prodigy, spaCy)"
FORMAT_DOCCANO: Final = "doccano JSONL"
FORMAT_LABEL_STUDIO: Final = "Label Studio JSON"


class ImportFormatError(ValueError):
    """The file cannot be read as any of the formats; ``problems`` says why, each in a sentence."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class ImportedSpan:
    """One span as a file states it. None means the format does not say: ``text`` (the span's text),
    ``speaker`` and ``country`` (the article's stay as they are), ``document`` (the whole text annotated)."""

    where: str
    article_id: str | None
    kind: str
    start: int
    end: int
    label: str
    text: str | None = None
    speaker: str | None = None
    country: str | None = None
    status: str = STATUS_ACTIVE
    document: str | None = None


@dataclass(frozen=True)
class ImportedFile:
    """What a file holds: its format, its spans, and the entries that could not be read (with why)."""

    format: str
    spans: list[ImportedSpan]
    unreadable: list[str]


def read_annotation_file(name: str, data: bytes) -> ImportedFile:
    """Return the spans of an annotation file; ``ImportFormatError`` if it is none of the formats."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return _from_records(FORMAT_XLSX, *_xlsx_records(data))
    if lower.endswith(".csv"):
        try:
            text = decode_text(data)
        except TableFormatError as error:
            raise ImportFormatError(error.problems) from None
        return _from_records(FORMAT_CSV, *_csv_records(text))
    try:
        text = decode_text(data)
    except TableFormatError as error:
        raise ImportFormatError(error.problems) from None
    if lower.endswith(".json"):
        try:
            tasks = json.loads(text)
        except ValueError as error:
            raise ImportFormatError([f"not valid JSON ({error})"]) from None
        if not isinstance(tasks, list):
            raise ImportFormatError(
                ["a Label Studio export is a JSON list of tasks; this file is not a list"]
            )
        return _label_studio(tasks)
    if lower.endswith(".jsonl"):
        return _jsonl(text)
    raise ImportFormatError([f"{name}: not a .csv, .xlsx, .jsonl or .json file"])


# --- our table: CSV and xlsx ------------------------------------------------------------------------


def _csv_records(text: str) -> tuple[list[tuple[str, dict[str, str]]], list[str]]:
    # The rows are checked as an import's: a row typed in a spreadsheet has no span_id yet.
    records, problems = parse_records(text, check_rows=False)
    if problems and not records:
        raise ImportFormatError(problems)
    return [(f"line {line}", row) for line, row in records], problems


def _xlsx_records(data: bytes) -> tuple[list[tuple[str, dict[str, str]]], list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFormatError([f"not an .xlsx workbook ({error})"]) from None
    sheet = (
        workbook[ANNOTATIONS_SHEET] if ANNOTATIONS_SHEET in workbook.sheetnames else workbook.worksheets[0]
    )
    rows = [
        ["" if value is None else xlsx_text(str(value)) for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    rows = [row for row in rows if any(row)]
    if not rows:
        raise ImportFormatError(["the workbook's sheet is empty"])
    header = [name.strip() for name in rows[0]]
    while header and not header[-1]:
        header.pop()  # a spreadsheet may keep empty columns after the table
    problems = header_problems(header)
    if problems:
        raise ImportFormatError(problems)
    records = []
    for number, row in enumerate(rows[1:], start=2):
        record = dict.fromkeys(COLUMNS, "")
        record.update(zip(header, row[: len(header)], strict=False))
        records.append((f"row {number}", record))
    return records, []


def _from_records(fmt: str, records: list[tuple[str, dict[str, str]]], problems: list[str]) -> ImportedFile:
    spans, unreadable = [], list(problems)
    for where, row in records:
        try:
            start, end = int(float(row["start"])), int(float(row["end"]))
        except ValueError:
            unreadable.append(f"{where}: offsets {row['start']!r}–{row['end']!r} are not numbers")
            continue
        kind = row["kind"] if row["kind"] in (KIND_ENTITY, KIND_QUOTE) else ""
        if not kind:
            unreadable.append(f"{where}: unknown kind {row['kind']!r}")
            continue
        spans.append(
            ImportedSpan(
                where,
                row["article_id"] or None,
                kind,
                start,
                end,
                QUOTE_LABEL if kind == KIND_QUOTE else row["label"].strip(),
                row["text"],
                " ".join(row["speaker"].split()),
                row["country"].strip().upper(),
                row["status"] or STATUS_ACTIVE,
            )
        )
    return ImportedFile(fmt, spans, unreadable)


# --- JSONL: span tasks and doccano --------------------------------------------------------------------


def _jsonl(text: str) -> ImportedFile:
    spans: list[ImportedSpan] = []
    unreadable: list[str] = []
    formats = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            task = json.loads(line)
        except ValueError as error:
            unreadable.append(f"line {number}: not valid JSON ({error})")
            continue
        if not isinstance(task, dict) or not isinstance(task.get("text"), str):
            unreadable.append(f'line {number}: a task needs a "text"')
            continue
        if task.get("answer") in ("reject", "ignore"):  # Prodigy: the annotator turned the task down
            unreadable.append(f"line {number}: answered {task['answer']!r} in Prodigy, so not an annotation")
            continue
        if "spans" in task:
            formats.add(FORMAT_SPANS_JSONL)
            spans += _span_task(task, f"line {number}", unreadable)
        else:
            formats.add(FORMAT_DOCCANO)
            spans += _doccano_task(task, f"line {number}", unreadable)
    if not formats:
        raise ImportFormatError(['the file holds no task (one JSON object with a "text" per line)'])
    return ImportedFile(" and ".join(sorted(formats)), spans, unreadable)


def _article_id(task: dict[str, Any]) -> str | None:
    meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
    value = task.get("article_id") or meta.get("article_id")
    return str(value) if value else None


def _span(
    where: str, task: dict[str, Any], item: Any, unreadable: list[str], status: str
) -> ImportedSpan | None:
    try:
        start, end, label = int(item["start"]), int(item["end"]), str(item["label"])
    except (KeyError, TypeError, ValueError):
        unreadable.append(f'{where}: a span needs integer "start", "end" and a "label": {item!r}')
        return None
    kind = KIND_QUOTE if label == QUOTE_LABEL or item.get("kind") == KIND_QUOTE else KIND_ENTITY
    speaker = " ".join(str(item["speaker"] or "").split()) if "speaker" in item else None
    return ImportedSpan(
        where,
        _article_id(task),
        kind,
        start,
        end,
        label if kind == KIND_ENTITY else QUOTE_LABEL,
        item.get("text"),
        speaker,
        None,
        status,
        task["text"],
    )


def _span_task(task: dict[str, Any], where: str, unreadable: list[str]) -> list[ImportedSpan]:
    found = []
    for index, item in enumerate(task.get("spans") or []):
        found.append(_span(f"{where}, span {index + 1}", task, item, unreadable, STATUS_ACTIVE))
    rejected = (task.get("meta") or {}).get("rejected") if isinstance(task.get("meta"), dict) else None
    for index, item in enumerate(rejected or []):
        found.append(_span(f"{where}, rejected {index + 1}", task, item, unreadable, STATUS_REJECTED))
    return [span for span in found if span is not None]


def _doccano_task(task: dict[str, Any], where: str, unreadable: list[str]) -> list[ImportedSpan]:
    items: list[dict[str, Any]] = []
    for triple in task.get("label") or task.get("labels") or []:
        if isinstance(triple, list | tuple) and len(triple) == 3:
            items.append({"start": triple[0], "end": triple[1], "label": triple[2]})
        else:
            unreadable.append(f'{where}: a doccano label is [start, end, "LABEL"]: {triple!r}')
    for entity in task.get("entities") or []:
        if isinstance(entity, dict):
            entity = {
                "start": entity.get("start_offset"),
                "end": entity.get("end_offset"),
                "label": entity.get("label"),
            }
        items.append(entity)
    found = [
        _span(f"{where}, label {i + 1}", task, item, unreadable, STATUS_ACTIVE)
        for i, item in enumerate(items)
    ]
    return [span for span in found if span is not None]


# --- Label Studio ---------------------------------------------------------------------------------------


def _label_studio(tasks: list[Any]) -> ImportedFile:
    spans: list[ImportedSpan] = []
    unreadable: list[str] = []
    for number, task in enumerate(tasks, start=1):
        where = f"task {task.get('id', number) if isinstance(task, dict) else number}"
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            unreadable.append(f'{where}: a task needs "data": {{"text": …}}')
            continue
        annotations = [
            a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")
        ]
        if not annotations:
            continue
        flat = {
            "text": data["text"],
            "article_id": data.get("article_id") or (task.get("meta") or {}).get("article_id"),
        }
        for index, result in enumerate(annotations[-1].get("result") or []):
            value = result.get("value") if isinstance(result, dict) else None
            labels = (value or {}).get("labels") or []
            if not isinstance(value, dict) or len(labels) != 1:
                unreadable.append(f'{where}, result {index + 1}: a labelled span has one label in "value"')
                continue
            item = {
                "start": value.get("start"),
                "end": value.get("end"),
                "label": labels[0],
                "text": value.get("text"),
            }
            span = _span(f"{where}, result {index + 1}", flat, item, unreadable, STATUS_ACTIVE)
            if span is not None:
                spans.append(span)
    return ImportedFile(FORMAT_LABEL_STUDIO, spans, unreadable)
