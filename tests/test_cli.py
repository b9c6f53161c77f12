"""The command line, run as users run it: a real process, real files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from components.config import PROJECT_ROOT
from components.csv_codec import decode_table
from components.schema import COLUMNS
from tests.conftest import BUNDLED_ARTICLE


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "components.cli", *args],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
    )


def test_annotate_writes_every_articles_spans_in_the_schema(tmp_path: Path) -> None:
    second = tmp_path / "Short story.txt"
    second.write_text("Angela Merkel flew to Warsaw.\r\n“We agree,” she said.", encoding="utf-8")
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    out = tmp_path / "out" / "annotations.csv"
    result = run_cli("annotate", str(BUNDLED_ARTICLE), str(second), str(broken), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "skipped" in result.stderr and "broken.txt" in result.stderr and "binary" in result.stderr
    table = decode_table(out.read_bytes())
    assert tuple(table.columns) == COLUMNS
    assert set(table["article_id"]) == {BUNDLED_ARTICLE.stem, "Short-story"}
    texts = {BUNDLED_ARTICLE.stem: BUNDLED_ARTICLE.read_text(encoding="utf-8"),
             "Short-story": "Angela Merkel flew to Warsaw.\n“We agree,” she said."}
    for row in table.itertuples(index=False):
        assert texts[row.article_id][row.start : row.end] == row.text
    assert {"Angela Merkel", "Warsaw"} <= set(table.loc[table["article_id"] == "Short-story", "text"])
    assert table.loc[table["text"] == "Warsaw", "country"].tolist() == ["POL"]
    assert set(table["source"]) == {"model"}


def test_annotate_without_readable_files_fails_plainly(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   ", encoding="utf-8")
    result = run_cli("annotate", str(empty), "--out", str(tmp_path / "out.csv"))
    assert result.returncode == 1
    assert "empty" in result.stderr and "Traceback" not in result.stderr
