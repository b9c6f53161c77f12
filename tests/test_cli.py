"""The command line, run as users run it: a real process, real files."""

from __future__ import annotations

import functools
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from spacy.language import Language

import components.cli
from components.annotations.csv_codec import decode_table
from components.annotations.schema import COLUMNS
from components.cli import expand_inputs, main
from components.config import PROJECT_ROOT
from tests.conftest import BUNDLED_ARTICLE

STAMP = "2026-11-25T12:00:00Z"
# Short articles written for these tests: entities, places that resolve to countries, quotes.
SHORT_ARTICLES = {
    "ports": "Harbour workers in Gdańsk stopped work on Monday.\n“We want the contract we were promised,” "
    "said Marta Nowak, who leads the union. Officials in Warsaw said talks would resume.",
    "summit": "Foreign Minister Sergei Lavrov met his Turkish counterpart in Ankara on Tuesday. "
    "“The sooner the better,” he said of a ceasefire in Syria.",
    "grain": "Ships carrying 40,000 tonnes of grain left Odesa for Egypt, the United Nations said.",
    "rates": "The Bank of England held rates at 5 percent. “Inflation is still too high,” Governor "
    "Andrew Bailey told reporters in London.",
    "floods": "Heavy rain flooded parts of Valencia. Spain’s prime minister flew to the city on Thursday.",
}


def run_cli(
    *args: str, program: tuple[str, ...] = ("-m", "components.cli")
) -> subprocess.CompletedProcess[str]:
    """Return the finished run of the command line (``program``: how Python is told to start it)."""
    return subprocess.run(
        [sys.executable, *program, *args],
        check=False,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
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
    texts = {
        BUNDLED_ARTICLE.stem: BUNDLED_ARTICLE.read_text(encoding="utf-8"),
        "Short-story": "Angela Merkel flew to Warsaw.\n“We agree,” she said.",
    }
    for row in table.itertuples(index=False):
        assert texts[row.article_id][row.start : row.end] == row.text
    assert {"Angela Merkel", "Warsaw"} <= set(table.loc[table["article_id"] == "Short-story", "text"])
    assert table.loc[table["text"] == "Warsaw", "country"].tolist() == ["POL"]
    assert set(table["source"]) == {"model"}
    assert table["updated_at"].nunique() == 1  # one time for the whole run


def test_annotate_without_readable_files_fails_plainly(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   ", encoding="utf-8")
    result = run_cli("annotate", str(empty), "--out", str(tmp_path / "out.csv"))
    assert result.returncode == 1
    assert "empty" in result.stderr and "Traceback" not in result.stderr


def write_corpus(folder: Path) -> list[Path]:
    """Write the bundled article and the short ones into ``folder``; return their paths in name order."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / BUNDLED_ARTICLE.name).write_bytes(BUNDLED_ARTICLE.read_bytes())
    for name, text in SHORT_ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return sorted(folder.glob("*.txt"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def one_process_csv(corpus: list[Path], tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The CSV of the corpus annotated in one process, files named one by one: the reference output."""
    out = tmp_path_factory.mktemp("reference") / "one.csv"
    # In this process (the command's own main): one fewer Python start-up for the whole file.
    assert main(["annotate", *map(str, corpus), "--out", str(out), "--updated-at", STAMP, "--quiet"]) == 0
    return out.read_bytes()


def test_inputs_are_files_folders_and_globs_each_once_in_order(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    (folder / "2025").mkdir(parents=True)
    for name in ("b.txt", "a.txt", "notes.md", "2025/c.txt", "2025/d.TXT"):
        (folder / name).write_text("Text.", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    errors: list[str] = []
    inputs = [str(folder), f"{folder}/*/*.txt", f"{folder}/a.txt", f"{tmp_path}/none-*.txt"]
    inputs += [str(tmp_path / "empty"), str(tmp_path / "missing.txt")]
    paths = expand_inputs(inputs, errors)
    assert paths == [folder / "a.txt", folder / "b.txt", folder / "2025" / "c.txt", tmp_path / "missing.txt"]
    everywhere = [folder / "2025" / "c.txt", folder / "a.txt", folder / "b.txt"]
    assert expand_inputs([f"{folder}/**/*.txt"], []) == everywhere
    assert expand_inputs([f"{folder}/20*"], []) == [folder / "2025" / "c.txt", folder / "2025" / "d.TXT"]
    assert len(errors) == 2
    assert "none-*.txt: no file matches" in errors[0] and "no .txt files" in errors[1]


def test_annotate_reads_folders_and_globs_like_the_same_files_named(
    corpus: list[Path], one_process_csv: bytes, tmp_path: Path
) -> None:
    folder = corpus[0].parent
    out = tmp_path / "from-folder-and-glob.csv"
    # The folder gives the first file; the quoted glob the rest and the first again (read once).
    inputs = [str(folder), f"{folder}/*.txt", f"{folder}/nothing-*.txt"]
    result = run_cli("annotate", *inputs, "--out", str(out), "--updated-at", STAMP)
    assert result.returncode == 0, result.stderr
    assert "skipped" in result.stderr and "nothing-*.txt: no file matches" in result.stderr
    assert out.read_bytes() == one_process_csv
    table = decode_table(one_process_csv)
    assert list(dict.fromkeys(table["article_id"])) == [path.stem for path in corpus]
    assert set(table["updated_at"]) == {STAMP}
    # Captured stderr is not a terminal: no progress bar in it.
    assert "article/s" not in result.stderr and "%|" not in result.stderr


def test_two_processes_write_the_same_bytes_as_one(
    corpus: list[Path], one_process_csv: bytes, tmp_path: Path
) -> None:
    out = tmp_path / "two.csv"
    # Batches of one article: the two processes take turns, so the order of the rows is put to the test.
    options = ["--updated-at", STAMP, "--processes", "2", "--batch-size", "1"]
    result = run_cli("annotate", str(corpus[0].parent), "--out", str(out), *options)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == one_process_csv


def test_bad_options_fail_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "out.csv")
    for options in (
        ["--updated-at", "yesterday"],
        ["--processes", "0"],
        ["--processes", "2", "--dask", "tcp://x:1"],
    ):
        with pytest.raises(SystemExit) as exit_info:
            main(["annotate", str(BUNDLED_ARTICLE), "--out", out, *options])
        assert exit_info.value.code == 2
        assert "error:" in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


def _count_pipeline_loads() -> None:
    """In a Dask worker: forget its pipelines, and count each pipeline it loads from now on."""
    # The original loader, also when an earlier call already wrapped it.
    load = getattr(components.cli.cli_pipeline, "__wrapped__", components.cli.cli_pipeline)
    components.cli._WORKER_PIPELINES.clear()
    components.cli._pipeline_loads = 0

    @functools.wraps(load)
    def counting(model: str | None = None) -> Language:
        components.cli._pipeline_loads += 1
        return load(model)

    components.cli.cli_pipeline = counting


def _pipeline_loads() -> int:
    """In a Dask worker: how many pipelines it loaded since ``_count_pipeline_loads``."""
    return components.cli._pipeline_loads


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[str]:
    """Yield the address of a local Dask cluster on loopback: two worker processes, one thread each."""
    import distributed  # requirements-scale.txt, which `make test` installs

    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def test_dask_cluster_writes_the_same_bytes_as_one_process(
    dask_cluster: str, corpus: list[Path], one_process_csv: bytes, tmp_path: Path
) -> None:
    from distributed import Client

    with Client(dask_cluster) as client:
        client.run(_count_pipeline_loads)
    out = tmp_path / "dask.csv"
    options = ["--updated-at", STAMP, "--dask", dask_cluster, "--batch-size", "1"]
    result = run_cli("annotate", f"{corpus[0].parent}/*.txt", "--out", str(out), *options)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == one_process_csv
    # Both workers took batches, and each loaded the model once, however many batches it ran.
    with Client(dask_cluster) as client:
        assert sorted(client.run(_pipeline_loads).values()) == [1, 1]


def test_an_unreachable_dask_scheduler_fails_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import dask  # requirements-scale.txt, which `make test` installs

    from tests.servers import refused_port

    # Dask's own setting for how long to keep trying (30 s by default).
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}), refused_port() as port:
        out = str(tmp_path / "out.csv")
        status = main(["annotate", str(BUNDLED_ARTICLE), "--out", out, "--dask", f"tcp://127.0.0.1:{port}"])
    assert status == 2
    assert "cannot be reached" in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


# The command line as it runs where the optional Dask packages are not installed: their import fails
# as for a missing package (ModuleNotFoundError), everything else is the real program.
WITHOUT_DASK = """
import sys


class NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("dask", "distributed"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, NotInstalled())
from components.cli import main

sys.exit(main(sys.argv[1:]))
"""


def test_dask_without_the_optional_packages_says_what_to_install(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    options = ["--out", str(out), "--dask", "tcp://127.0.0.1:8786"]
    result = run_cli("annotate", str(BUNDLED_ARTICLE), *options, program=("-c", WITHOUT_DASK))
    assert result.returncode == 2, result.stderr
    assert "--dask needs Dask, which is not installed (No module named 'distributed')" in result.stderr
    assert "pip install -r requirements-scale.txt" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_two_files_that_would_be_one_article_are_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "t1.txt").write_text("Angela Merkel flew to Warsaw.", encoding="utf-8")
    (tmp_path / "a" / "t2.txt").write_text("Officials in Paris spoke.", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["annotate", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(out), "--quiet"]) == 2
    stderr = capsys.readouterr().err
    assert "2 files would all be article 't1'" in stderr
    assert str(tmp_path / "a" / "t1.txt") in stderr and str(tmp_path / "b" / "t1.txt") in stderr
    assert "Nothing was written" in stderr and not out.exists()


def test_the_summary_counts_files_articles_and_skips_honestly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = {
        "one": "Angela Merkel flew to Warsaw.",
        "two": "Officials in Paris spoke.",
        "three": "Sergei Lavrov met John Kerry in Geneva.",
        "quiet": "nothing here at all.",
    }
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    out = tmp_path / "out.csv"
    assert main(["annotate", str(tmp_path), "--out", str(out), "--quiet", "--updated-at", STAMP]) == 0
    stderr = capsys.readouterr().err
    table = decode_table(out.read_bytes())
    assert set(table["article_id"]) == {"one", "two", "three"}
    assert f"wrote {len(table)} spans of 4 article(s) (1 with no span)" in stderr
    assert "5 file(s) found, 1 skipped" in stderr


def test_import_brings_a_file_into_an_article_and_the_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = PROJECT_ROOT / "tests" / "data" / "interchange"
    articles, annotations = tmp_path / "articles", tmp_path / "annotations"
    articles.mkdir()
    (articles / "talks.txt").write_bytes((data / "article.txt").read_bytes())
    monkeypatch.setenv("ARTICLES_DIR", str(articles))
    monkeypatch.setenv("ANNOTATIONS_DIR", str(annotations))
    monkeypatch.delenv("SPACY_MODEL", raising=False)
    studio = str(data / "label-studio-export.json")

    assert main(["import", studio, "--article", "talks", "--dry-run"]) == 0
    err = capsys.readouterr().err
    assert (
        "Label Studio JSON, 4 span(s)" in err
        and "talks: 1 added, 1 relabelled, 1 unchanged, 1 refused" in err
    )
    assert "refused task 17, result 4: its text 'Genf' is not the article's text there" in err
    assert not (annotations / "talks.csv").exists()  # a dry run saves nothing

    assert main(["import", studio, "--corpus", "--annotator", "cli"]) == 0  # the task names its article
    assert "saved as one change (2 span(s))" in capsys.readouterr().err
    saved = decode_table((annotations / "talks.csv").read_bytes())
    assert sorted(saved["label"]) == ["FAC", "LOC"] and set(saved["source"]) == {"human"}

    assert main(["import", str(data / "doccano.jsonl"), "--corpus"]) == 1  # doccano tasks name no article
    assert "span(s) name no article" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "missing.csv"), "--article", "talks"]) == 2
