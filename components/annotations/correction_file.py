"""One article's correction file: its name, its version, and its rows checked against the article.

``<article_id>.csv`` holds the human rows only (``source=human``) in the ``csv_codec`` format,
sorted by start, end, kind, span_id. Its version is the SHA-256 of its bytes (None: no file), so it
changes exactly when the content does. Every row must fit the article: its own id, a human source,
offsets inside the text and ``text == article[start:end]``, one row per span_id.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pandas as pd

from components.annotations.csv_codec import (
    Row,
    TableFormatError,
    count_records,
    decode_text,
    parse_records,
    records_frame,
    row_problems,
    table_records,
)
from components.annotations.schema import INT_COLUMNS, SOURCE_HUMAN
from components.annotations.store_errors import AnnotationFileError, InvalidRowsError

CSV_SUFFIX: Final = ".csv"
LOG_SUFFIX: Final = ".log.jsonl"
LOCK_SUFFIX: Final = ".csv.lock"
MAX_ARTICLE_ID_BYTES: Final = 200  # leaves room for suffixes within the usual 255-byte file-name limit
_FORBIDDEN_ID_CHARS = re.compile(r'[/\\<>:"|?*]')


def check_article_id(article_id: str) -> str:
    """Return ``article_id`` if it is safe as a file name in the store; ValueError saying why if not.

    Refused: empty, path separators or other characters Windows forbids, control characters
    (NUL included), a leading dot (``.``, ``..``, hidden and temp files), or more than 200 UTF-8 bytes.
    """
    if not isinstance(article_id, str) or not article_id:
        reason = "it is empty"
    elif _FORBIDDEN_ID_CHARS.search(article_id):
        reason = 'it contains a path separator or one of < > : " | ? *'
    elif any(unicodedata.category(char) == "Cc" for char in article_id):
        reason = "it contains a control character"
    elif article_id.startswith("."):
        reason = "it starts with a dot"
    elif article_id != article_id.strip():
        reason = "it starts or ends with a space"
    elif len(article_id.encode("utf-8", "surrogatepass")) > MAX_ARTICLE_ID_BYTES:
        reason = f"it is longer than {MAX_ARTICLE_ID_BYTES} bytes"
    else:
        return article_id
    raise ValueError(f"invalid article id {article_id!r}: {reason}")


def article_id_of(file_name: str) -> str | None:
    """Return the article id of a correction file's name, None for any other file."""
    if not file_name.endswith(CSV_SUFFIX):
        return None
    try:
        return check_article_id(file_name[: -len(CSV_SUFFIX)])
    except ValueError:
        return None


def rows_frame(rows: Mapping[str, Row]) -> pd.DataFrame:
    """Return rows by span_id as a table in the file's order (``csv_codec.records_frame``)."""
    return records_frame(sorted_rows(rows.values()))


def sorted_rows(rows: Iterable[Row]) -> list[Row]:
    """Return the rows in the file's order: by start, end, kind, span_id."""
    return sorted(rows, key=lambda row: (int(row["start"]), int(row["end"]), row["kind"], row["span_id"]))


def rows_by_span(rows: Iterable[Row]) -> dict[str, Row]:
    """Return the rows keyed by span_id."""
    return {row["span_id"]: row for row in rows}


def incoming_rows(article_id: str, article_text: str, rows: pd.DataFrame, now: str) -> dict[str, Row]:
    """Return the rows to save by span_id, completed and checked; InvalidRowsError listing every problem."""
    check_article_id(article_id)
    try:
        records = table_records(rows)
    except TableFormatError as error:
        raise InvalidRowsError(error.problems) from None
    for record in records:
        record["article_id"] = record["article_id"] or article_id
        record["source"] = record["source"] or SOURCE_HUMAN
        record["updated_at"] = now
    located = [(f"row {index} (span {record['span_id']!r})", record) for index, record in enumerate(records)]
    problems = [problem for where, record in located for problem in row_problems(record, where)]
    problems += article_problems(located, article_id, article_text)
    if problems:
        raise InvalidRowsError(problems)
    return rows_by_span(records)


def article_problems(located: list[tuple[str, Row]], article_id: str, article_text: str) -> list[str]:
    """Return the problems of rows against their article: id, source, offsets, text, duplicate span_ids."""
    problems = []
    first_seen: dict[str, str] = {}
    for where, row in located:
        if row["article_id"] != article_id:
            problems.append(
                f"{where}: article_id {row['article_id']!r} is not this file's article {article_id!r}"
            )
        if row["source"] != SOURCE_HUMAN:
            problems.append(f"{where}: source {row['source']!r}, but only human corrections are stored")
        problems += _offset_problems(where, row, article_text)
        span_id = row["span_id"]
        if span_id in first_seen:
            problems.append(f"{where}: span_id {span_id!r} repeats {first_seen[span_id]}")
        first_seen.setdefault(span_id, where)
    return problems


def _offset_problems(where: str, row: Row, article_text: str) -> list[str]:
    """Return why ``row`` does not fit the article text (nothing if its offsets are not integers)."""
    if not all(row[name].isascii() and row[name].isdigit() for name in INT_COLUMNS):
        return []
    start, end = int(row["start"]), int(row["end"])
    if end > len(article_text):
        return [
            (
                f"{where}: span {row['span_id']!r} ends at {end}, past the end of the article "
                f"({len(article_text)} characters); was the article changed?"
            )
        ]
    if start <= end and article_text[start:end] != row["text"]:
        return [
            (
                f"{where}: span {row['span_id']!r} text {_short(row['text'])} does not match the article "
                f"at {start}:{end} ({_short(article_text[start:end])}); was the article changed?"
            )
        ]
    return []


def _short(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def version_of(data: bytes) -> str:
    """Return the version of a correction file's bytes: their SHA-256."""
    return hashlib.sha256(data).hexdigest()


def version_of_file(path: Path) -> str | None:
    """Return the version of the file at ``path``, None if there is no file."""
    try:
        return version_of(path.read_bytes())
    except FileNotFoundError:
        return None


def read_corrections(path: Path, article_id: str, article_text: str) -> tuple[dict[str, Row], str | None]:
    """Return the validated human rows by span_id and the file's version ({} and None: no file).

    Raises ``AnnotationFileError`` listing every problem if the file is not a valid correction file
    for this article text.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}, None
    try:
        records, problems = parse_records(decode_text(data))
    except TableFormatError as error:
        raise AnnotationFileError(path, error.problems) from None
    problems += article_problems([(f"line {line}", row) for line, row in records], article_id, article_text)
    if problems:
        raise AnnotationFileError(path, problems)
    return rows_by_span(row for _, row in records), version_of(data)


@dataclass
class RowCounts:
    """How many rows correction files hold, each recounted (a plain CSV read, no validation) only
    when the file's mtime, size or inode changed."""

    _counts: dict[str, tuple[tuple[int, int, int], int | None]] = field(default_factory=dict)

    def count(self, path: str, stat: os.stat_result) -> int | None:
        """Return the row count of the CSV at ``path`` (None if unreadable), reading it only if it changed."""
        key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        cached = self._counts.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
        try:
            count = count_records(Path(path).read_bytes())
        except OSError:
            count = None
        self._counts[path] = (key, count)
        return count

    def forget(self, path: str) -> None:
        """Drop the count of ``path`` (its file was just written)."""
        self._counts.pop(path, None)


@dataclass(frozen=True)
class ArticleSummary:
    """One article that has a correction file: how many rows (None if unreadable), size and mtime."""

    article_id: str
    corrections: int | None
    size: int
    modified_ns: int


def list_correction_files(directory: Path, row_counts: RowCounts | None) -> list[ArticleSummary]:
    """Return one summary per correction file in ``directory``, sorted by article id.

    One ``scandir``; rows are counted through ``row_counts`` (None: not counted).
    """
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return []
    summaries = []
    for entry in entries:
        article_id = article_id_of(entry.name)
        if article_id is None or not entry.is_file():
            continue
        stat = entry.stat()
        corrections = row_counts.count(entry.path, stat) if row_counts is not None else None
        summaries.append(ArticleSummary(article_id, corrections, stat.st_size, stat.st_mtime_ns))
    return sorted(summaries, key=lambda summary: summary.article_id)
