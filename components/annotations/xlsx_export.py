"""The table as an Excel workbook whose every cell is text: the file to open in a spreadsheet.

A CSV opened in a spreadsheet runs a cell starting with ``=`` as a formula (OWASP's "CSV
injection") and, without a byte-order mark, shows curly quotes as mojibake. This workbook avoids
both while keeping the text exactly: every string cell is written with the string type, never as a
formula, and the file is Unicode throughout (curly quotes, accents, right-to-left text).

openpyxl (the library pandas uses for .xlsx) takes any string starting with ``=`` as a formula, so
each cell's type is set back to string after the value is assigned; and XML 1.0 cannot hold most
control characters, which openpyxl refuses, so they are written in the Office Open XML escape
``_xHHHH_`` that Excel turns back into the character (``xlsx_text`` undoes it on import).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Final

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.worksheet.worksheet import Worksheet

from components.annotations.csv_codec import cell_text
from components.annotations.schema import COLUMNS, INT_COLUMNS

ANNOTATIONS_SHEET: Final = "annotations"
EDITS_SHEET: Final = "edits"
# Characters XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE) and the carriage return, which
# an XML reader turns into a line feed; and text that already looks like an escape, whose underscore
# is escaped (as Excel does) so it reads back as written.
_NOT_IN_XML: Final = re.compile(r"[\x00-\x08\x0b-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED: Final = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Excel's limit on one cell; a longer quote would be cut by Excel, so it is refused instead.
MAX_CELL_CHARS: Final = 32_767


def escape_xlsx_text(text: str) -> str:
    """Return ``text`` with the characters XML cannot hold written as ``_xHHHH_``."""
    return _NOT_IN_XML.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def xlsx_text(value: str) -> str:
    """Return the text of a cell as written by ``escape_xlsx_text`` (or by Excel)."""
    return _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), value)


def _write_sheet(sheet: Worksheet, header: Sequence[str], rows: list[list[object]]) -> None:
    sheet.append(list(header))
    # The row number is counted, not asked: ``sheet.max_row`` scans every cell written so far, which
    # made a 50,000-word article's workbook (180,000 cells) take minutes instead of seconds.
    for row, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column)
            if isinstance(value, int):
                cell.value = value
                continue
            text = cell_text(value)
            if len(text) > MAX_CELL_CHARS:
                raise ValueError(
                    f"a cell of {len(text)} characters is longer than Excel allows ({MAX_CELL_CHARS})"
                )
            cell.value = escape_xlsx_text(text)
            cell.data_type = TYPE_STRING  # never a formula, whatever the text starts with
    sheet.freeze_panes = "A2"


def to_xlsx_bytes(table: pd.DataFrame, history: pd.DataFrame | None = None) -> bytes:
    """Return the table (``schema.COLUMNS``; offsets as numbers, every other cell as text) as .xlsx bytes.

    With ``history`` (``AnnotationStore.history``), a second sheet ``edits`` holds the edit log.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ANNOTATIONS_SHEET
    frame = table.reindex(columns=list(COLUMNS), fill_value="")
    rows = [
        [int(value) if name in INT_COLUMNS else value for name, value in zip(COLUMNS, values, strict=True)]
        for values in frame.itertuples(index=False, name=None)
    ]
    _write_sheet(sheet, COLUMNS, rows)
    if history is not None:
        edits = workbook.create_sheet(EDITS_SHEET)
        _write_sheet(
            edits,
            [str(c) for c in history.columns],
            [list(v) for v in history.itertuples(index=False, name=None)],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
