"""The one reader and writer of the annotation CSV format, used by the store and the downloads.

Format
------
* UTF-8 (a leading byte-order mark, as Excel writes one, is accepted on read), a header row with
  exactly ``schema.COLUMNS`` in that order when written, ``\\r\\n`` between records (RFC 4180).
  On read, columns may come in any order, and the ones added after ``schema.REQUIRED_COLUMNS`` may
  be missing (a file written by an older version): their cells are read as ``""``.
* Every cell is double-quoted (``csv.QUOTE_ALL``), and holds the text exactly: ``text ==
  article[start:end]`` for every row, read by Python's ``csv`` module or pandas with no help from
  us. Nothing is neutralised for spreadsheets: a cell may start with ``=``; the file to open in a
  spreadsheet is the ``.xlsx`` download (``xlsx_export``), whose cells are text, never formulas.
* A file written before the columns after ``schema.REQUIRED_COLUMNS`` existed was spreadsheet-safe
  the old way (a cell starting with ``=``, ``+``, ``-``, ``@``, tab, carriage return or ``'`` had one
  more ``'`` in front); reading such a file (its header has none of the later columns) removes it.

Reading validates the format and the schema's value rules (kinds, sources, statuses, integer
offsets, labels); rules that need the article text live in ``store``.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Final

import pandas as pd

from components.annotations.schema import (
    COLUMNS,
    INT_COLUMNS,
    KIND_ENTITY,
    KINDS,
    REQUIRED_COLUMNS,
    SOURCES,
    STATUS_ACTIVE,
    STATUSES,
)

ENCODING: Final = "utf-8"
BOM: Final = "\ufeff"
# Characters a spreadsheet treats as the start of a formula (OWASP), plus the escape quote itself:
# what files written before the later columns escaped with a leading "'".
FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")
_LEGACY_ESCAPE: Final = "'"
_LEGACY_ESCAPED: Final = (*FORMULA_PREFIXES, _LEGACY_ESCAPE)
_OPTIONAL: Final = COLUMNS[len(REQUIRED_COLUMNS) :]
_NON_NEGATIVE_INT = re.compile(r"[0-9]{1,18}")  # fits int64

# A quote can be a long passage; the csv module's default cap (128 KiB per field) would reject it.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))

Row = dict[str, str]


class TableFormatError(ValueError):
    """The bytes are not a valid annotation table; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


# --- cells -----------------------------------------------------------------------------------------


def unescape_legacy_cell(value: str) -> str:
    """Return the text of a cell of a file written before the later columns (drops the one added ``'``)."""
    if value.startswith(_LEGACY_ESCAPE) and value[1:].startswith(_LEGACY_ESCAPED):
        return value[1:]
    # A lone ' before anything else was not added (only the prefixes above were escaped).
    return value


def cell_text(value: object) -> str:
    """Return a table value as the text stored in its CSV cell (missing values become ``""``)."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float):
        if math.isnan(value):  # pandas' missing value in an object column
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value)


# --- writing ---------------------------------------------------------------------------------------


def table_records(table: pd.DataFrame) -> list[Row]:
    """Return the rows of ``table`` as dicts of cell text, in ``COLUMNS`` order.

    Raises ``TableFormatError`` if columns are missing or extra (a typo would otherwise be dropped
    silently); the optional columns (after ``REQUIRED_COLUMNS``) may be missing and read as ``""``.
    """
    problems = header_problems(list(table.columns))
    if problems:
        raise TableFormatError(problems)
    blank = [""] * len(table)
    columns = [table[name].tolist() if name in table.columns else blank for name in COLUMNS]
    return [
        {name: cell_text(value) for name, value in zip(COLUMNS, values, strict=True)}
        for values in zip(*columns, strict=True)
    ]


def encode_records(records: Iterable[Mapping[str, str]], *, bom: bool = False) -> bytes:
    """Return the CSV bytes (header plus one quoted record per row) of ``records``.

    A record may lack the optional columns (after ``REQUIRED_COLUMNS``): they are written empty.
    """
    rows = (
        [record[name] for name in REQUIRED_COLUMNS] + [record.get(name, "") for name in _OPTIONAL]
        for record in records
    )
    return encode_rows(COLUMNS, rows, bom=bom)


def encode_rows(header: Sequence[str], rows: Iterable[Sequence[str]], *, bom: bool = False) -> bytes:
    """Return CSV bytes for any header and rows of text (e.g. the edit history), every cell as it is."""
    buffer = io.StringIO(newline="")
    if bom:
        buffer.write(BOM)
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(ENCODING)


def encode_frame(frame: pd.DataFrame, *, bom: bool = False) -> bytes:
    """Return any DataFrame (its own columns, missing values as ``""``) as CSV bytes."""
    columns = [frame[name].tolist() for name in frame.columns]
    rows = ([cell_text(value) for value in values] for values in zip(*columns, strict=True))
    return encode_rows([str(name) for name in frame.columns], rows, bom=bom)


def encode_table(table: pd.DataFrame, *, bom: bool = False) -> bytes:
    """Return ``table`` (columns ``COLUMNS``) as CSV bytes, every cell as it is.

    ``bom=True`` prepends a UTF-8 byte-order mark, which makes Excel read the file as UTF-8.
    """
    return encode_records(table_records(table), bom=bom)


# --- reading ---------------------------------------------------------------------------------------


def header_problems(header: list[str]) -> list[str]:
    """Return what is wrong with a header (missing, extra or repeated columns); empty if it is fine.

    The columns after ``REQUIRED_COLUMNS`` may be missing (a file written before they existed).
    """
    problems = []
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    extra = [name for name in header if name not in COLUMNS]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    if extra:
        problems.append(
            f"unexpected column(s): {', '.join(repr(n) for n in extra)} "
            f"(expected exactly: {', '.join(COLUMNS)}; is this a file from another tool?)"
        )
    if repeated:
        problems.append(f"repeated column(s): {', '.join(repeated)}")
    return problems


def row_problems(row: Mapping[str, str], where: str) -> list[str]:
    """Return the schema rule violations of one row of cell text, each prefixed with ``where``."""
    problems = []
    for name in INT_COLUMNS:
        if not _NON_NEGATIVE_INT.fullmatch(row[name]):
            problems.append(f"{where}: {name} {row[name]!r} is not a non-negative integer")
    if not problems and int(row["start"]) > int(row["end"]):
        problems.append(f"{where}: start {row['start']} is after end {row['end']}")
    for name, allowed in (("kind", KINDS), ("source", SOURCES), ("status", STATUSES)):
        if row[name] not in allowed:
            problems.append(f"{where}: unknown {name} {row[name]!r} (expected one of: {', '.join(allowed)})")
    if not row["span_id"]:
        problems.append(f"{where}: empty span_id")
    if row["kind"] == KIND_ENTITY and row["status"] == STATUS_ACTIVE and not row["label"].strip():
        problems.append(f"{where}: active entity {row['span_id']!r} has an empty label")
    return problems


def decode_text(data: bytes) -> str:
    """Return ``data`` decoded as UTF-8 without a byte-order mark; ``TableFormatError`` if it is not UTF-8."""
    try:
        text = data.decode(ENCODING)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        bad = data[error.start : error.start + 1].hex()
        raise TableFormatError(
            [f"line {line}: not UTF-8 text (byte 0x{bad} at offset {error.start}); save the file as UTF-8"]
        ) from None
    return text.removeprefix(BOM)


def parse_records(text: str, *, check_rows: bool = True) -> tuple[list[tuple[int, Row]], list[str]]:
    """Return ``(records, problems)``: ``(line number, row)`` per record of CSV ``text``.

    Every problem found (format and, with ``check_rows``, the schema's value rules) is listed, with
    line numbers; a record whose field count is wrong is left out of ``records``. The caller decides
    whether problems are fatal.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[str] = []
    records: list[tuple[int, Row]] = []
    header: list[str] | None = None
    cell: Callable[[str], str] = str
    line = 1  # the line the next record starts on (a quoted cell may span several lines)
    try:
        for fields in reader:
            start_line, line = line, reader.line_num + 1
            if not fields:  # a blank line, e.g. left by a text editor at the end of the file
                continue
            if header is None:
                header = fields
                problems += header_problems(header)
                if problems:
                    break  # the rows cannot be read by name
                legacy = not set(header) & set(COLUMNS[len(REQUIRED_COLUMNS) :])
                cell = unescape_legacy_cell if legacy else str
                continue
            if len(fields) != len(header):
                problems.append(
                    f"line {start_line}: {len(fields)} field(s) instead of {len(header)} "
                    "(a truncated or hand-edited line?)"
                )
                continue
            row = dict.fromkeys(COLUMNS, "")  # columns an older file lacks are empty
            row.update((name, cell(value)) for name, value in zip(header, fields, strict=True))
            if check_rows:
                problems += row_problems(row, f"line {start_line}")
            records.append((start_line, row))
    except csv.Error as error:
        problems.append(f"line {line}: not valid CSV ({error}; is the last line truncated?)")
    if header is None and not problems:
        problems.append("the file is empty (no header row)")
    return records, problems


def records_frame(rows: Iterable[Mapping[str, str]]) -> pd.DataFrame:
    """Return checked rows of cell text as a DataFrame with ``COLUMNS``, start/end as int64."""
    rows = list(rows)
    if not rows:
        return pd.DataFrame(
            {name: pd.Series([], dtype="int64" if name in INT_COLUMNS else "str") for name in COLUMNS}
        )
    # Plain lists (ints and str) let pandas infer int64 and str: several times faster than typed Series.
    return pd.DataFrame(
        {
            name: [int(row[name]) for row in rows] if name in INT_COLUMNS else [row[name] for row in rows]
            for name in COLUMNS
        }
    )


def decode_table(data: bytes) -> pd.DataFrame:
    """Return the table stored in CSV ``data``: ``COLUMNS``, text cells as ``str``, start/end as int64.

    Raises ``TableFormatError`` listing every problem (with line numbers) if the bytes are not a
    valid annotation table. Never guesses types: ``"NA"`` or ``""`` stay strings.
    """
    records, problems = parse_records(decode_text(data))
    if problems:
        raise TableFormatError(problems)
    return records_frame(row for _, row in records)


def count_records(data: bytes) -> int | None:
    """Return how many data rows CSV ``data`` holds (no validation); None if it cannot be parsed."""
    try:
        reader = csv.reader(io.StringIO(decode_text(data), newline=""), strict=True)
        return max(sum(1 for fields in reader if fields) - 1, 0)
    except (TableFormatError, csv.Error):
        return None
