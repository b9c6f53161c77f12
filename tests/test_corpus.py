"""The desk: the corpus listing, review marks, the model-table cache, the corpus table and its chart data."""

from __future__ import annotations

import builtins
import errno
import os
import shutil
import sys
from collections import Counter
from importlib import metadata
from pathlib import Path

import pandas as pd
import pytest
import spacy

import components.annotations.store as store_module
from components.annotations.corrections import relabel
from components.annotations.csv_codec import encode_records
from components.annotations.schema import COLUMNS
from components.annotations.store import AnnotationStore, StoreWriteError
from components.annotations.table import doc_to_table
from components.config import PROJECT_ROOT
from components.corpus.articles import ArticleLibrary
from components.corpus.desk import (
    corpus_history,
    corpus_speaker_data,
    corpus_table,
    kind_totals,
    mentions_of_country,
    quotes_of,
    speaker_share_by_article,
)
from components.corpus.listing import (
    IN_PROGRESS,
    NOT_STARTED,
    REVIEWED,
    list_corpus,
    mark_reviewed,
    next_unreviewed,
    reviewed_ids,
)
from components.corpus.model_cache import (
    COMPONENTS_VERSION,
    NOT_INSTALLED,
    TABLE_PACKAGES,
    ModelTableCache,
    corpus_model_tables,
    installed_versions,
    pipeline_identity,
    sources_version,
    table_source_files,
)
from components.views import charts
from tests.test_layout import imported_modules

ALEPPO = (
    "Rebels in Aleppo rejected the plan on Monday. “We will not leave,” said Zakaria Malahifji, "
    "a rebel official. Foreign Minister Sergei Lavrov said in Moscow that talks would go on."
)
ANKARA = "The Turkish military said on Tuesday that it had struck targets near Aleppo. “Talks were useful,” Lavrov said."


class CountingNLP:
    """The real pipeline, counting the texts it is asked to parse."""

    def __init__(self, nlp) -> None:
        self.nlp = nlp
        self.parsed: list[str] = []
        self.max_length = nlp.max_length

    def pipe(self, texts, **kwargs):
        def counted():
            for text in texts:
                self.parsed.append(text)
                yield text

        return self.nlp.pipe(counted(), **kwargs)


@pytest.fixture()
def library(tmp_path: Path, annotations_dir: Path) -> ArticleLibrary:
    articles = tmp_path / "articles"
    articles.mkdir()
    return ArticleLibrary(articles, annotations_dir / "uploads")


@pytest.fixture()
def store(annotations_dir: Path) -> AnnotationStore:
    return AnnotationStore(annotations_dir)


def human_row(article_id: str, text: str, start: int, end: int, label: str = "GPE") -> dict[str, str]:
    return dict.fromkeys(COLUMNS, "") | {
        "article_id": article_id,
        "span_id": f"e-{start}-{end}",
        "kind": "entity",
        "start": str(start),
        "end": str(end),
        "text": text[start:end],
        "label": label,
        "speaker": "",
        "country": "",
        "source": "human",
        "status": "active",
        "updated_at": "2026-11-25T12:00:00Z",
    }


# --- listing ---------------------------------------------------------------------------------------


def test_listing_thousands_of_articles_reads_no_article(
    library: ArticleLibrary, store: AnnotationStore, annotations_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(3000):
        (library.articles_dir / f"article-{number:04d}.txt").write_text(
            f"Article {number}.", encoding="utf-8"
        )
    library.uploads_dir.mkdir()
    (library.uploads_dir / "pasted-abc.txt").write_text("Pasted.", encoding="utf-8")
    (library.uploads_dir / "article-0005.txt").write_text(
        "Shadowed by the folder's article.", encoding="utf-8"
    )
    # Correction files as the store writes them (only counted, so any rows will do).
    text = "Aleppo and Moscow."
    (annotations_dir / "article-0001.csv").write_bytes(
        encode_records([human_row("article-0001", text, 0, 6), human_row("article-0001", text, 11, 17)])
    )
    (annotations_dir / "article-0002.csv").write_bytes(
        encode_records([human_row("article-0002", text, 0, 6)])
    )
    (annotations_dir / "gone.csv").write_bytes(encode_records([human_row("gone", text, 0, 6)]))
    mark_reviewed(annotations_dir, "article-0002", True)
    mark_reviewed(annotations_dir, "article-0003", True)
    mark_reviewed(annotations_dir, "pasted-abc", True)

    # Opening any article file fails the test: listing must not read texts.
    def refuse(path: object) -> None:
        if str(path).endswith(".txt"):
            raise AssertionError(f"the listing opened an article: {path}")

    real_open, real_read_bytes, real_read_text = builtins.open, Path.read_bytes, Path.read_text
    monkeypatch.setattr(builtins, "open", lambda file, *a, **k: (refuse(file), real_open(file, *a, **k))[1])
    monkeypatch.setattr(Path, "read_bytes", lambda self: (refuse(self), real_read_bytes(self))[1])
    monkeypatch.setattr(
        Path, "read_text", lambda self, *a, **k: (refuse(self), real_read_text(self, *a, **k))[1]
    )
    real_path_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: (refuse(self), real_path_open(self, *a, **k))[1])

    listing = list_corpus(library, store)

    assert list(listing.columns) == ["article_id", "origin", "state", "corrections"]
    assert len(listing) == 3001
    assert listing["article_id"].tolist() == sorted(listing["article_id"])
    rows = listing.set_index("article_id")
    assert rows.loc["article-0001"].tolist() == ["folder", IN_PROGRESS, 2]
    assert rows.loc["article-0002"].tolist() == ["folder", REVIEWED, 1]
    assert rows.loc["article-0003"].tolist() == ["folder", REVIEWED, 0]
    assert rows.loc["article-0005", "origin"] == "folder"  # the folder wins over an upload of the same id
    assert rows.loc["pasted-abc"].tolist() == ["upload", REVIEWED, 0]
    assert "gone" not in rows.index  # corrections of an article no longer in the library
    assert Counter(listing["state"]) == {NOT_STARTED: 2997, IN_PROGRESS: 1, REVIEWED: 3}
    assert str(listing["corrections"].dtype) == "int64"


def test_review_marks_are_files_created_and_removed(annotations_dir: Path) -> None:
    assert reviewed_ids(annotations_dir) == set()  # no folder yet
    mark_reviewed(annotations_dir, "gdańsk-port", True)
    mark_reviewed(annotations_dir, "gdańsk-port", True)  # twice is fine
    mark_reviewed(annotations_dir, "other", True)
    assert reviewed_ids(annotations_dir) == {"gdańsk-port", "other"}
    assert (annotations_dir / "reviewed" / "other").is_file()
    mark_reviewed(annotations_dir, "other", False)
    mark_reviewed(annotations_dir, "never-marked", False)  # unmarking an unmarked article is fine
    assert reviewed_ids(annotations_dir) == {"gdańsk-port"}
    # No temp file is left behind; stray temp files and folders are not taken for marks.
    assert sorted(os.listdir(annotations_dir / "reviewed")) == ["gdańsk-port"]
    (annotations_dir / "reviewed" / ".0123.tmp").write_bytes(b"")
    (annotations_dir / "reviewed" / "a-folder").mkdir()
    assert reviewed_ids(annotations_dir) == {"gdańsk-port"}
    for bad in ("../escape", ".hidden", "", "a/b"):
        with pytest.raises(ValueError, match="invalid article id"):
            mark_reviewed(annotations_dir, bad, True)
    assert not (annotations_dir / "escape").exists()


def test_a_mark_that_cannot_be_written_is_reported_and_nothing_changes(
    annotations_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mark_reviewed(annotations_dir, "kept", True)

    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", read_only)
        with pytest.raises(
            StoreWriteError, match="'new' could not be marked reviewed: Read-only file system"
        ):
            mark_reviewed(annotations_dir, "new", True)
    assert sorted(os.listdir(annotations_dir / "reviewed")) == ["kept"]  # the temp file was cleaned up
    with monkeypatch.context() as patched:
        patched.setattr(Path, "unlink", read_only)
        with pytest.raises(StoreWriteError, match="'kept' could not be unmarked: Read-only file system"):
            mark_reviewed(annotations_dir, "kept", False)
    assert reviewed_ids(annotations_dir) == {"kept"}
    # A file where the folder should be (a real OSError, whoever runs the tests) is reported too.
    elsewhere = annotations_dir / "other"
    elsewhere.mkdir()
    (elsewhere / "reviewed").write_bytes(b"not a folder")
    with pytest.raises(StoreWriteError, match="could not be marked reviewed"):
        mark_reviewed(elsewhere, "new", True)


def test_next_unreviewed_goes_forward_wraps_and_stops() -> None:
    listing = pd.DataFrame(
        {
            "article_id": ["a", "b", "c", "d"],
            "origin": "folder",
            "state": [REVIEWED, NOT_STARTED, REVIEWED, IN_PROGRESS],
            "corrections": [0, 0, 0, 3],
        }
    )
    assert next_unreviewed(listing, "a") == "b"
    assert next_unreviewed(listing, "b") == "d"  # skips the reviewed c
    assert next_unreviewed(listing, "d") == "b"  # wraps around
    assert next_unreviewed(listing, None) == "b"
    assert next_unreviewed(listing, "not-listed") == "b"
    only_current = listing.assign(state=[REVIEWED, REVIEWED, REVIEWED, IN_PROGRESS])
    assert next_unreviewed(only_current, "d") == "d"
    assert next_unreviewed(listing.assign(state=REVIEWED), "b") is None
    assert next_unreviewed(listing.iloc[0:0], None) is None


# --- model tables, cached --------------------------------------------------------------------------


def test_model_cache_parses_each_text_once(nlp, annotations_dir: Path) -> None:
    counting = CountingNLP(nlp)
    cache = ModelTableCache(annotations_dir / ".model-cache", "en_core_web_sm")
    articles = [("aleppo", ALEPPO), ("ankara", ANKARA)]
    calls: list[tuple[int, int]] = []

    first = corpus_model_tables(articles, counting, cache, lambda done, total: calls.append((done, total)))
    assert counting.parsed == [ALEPPO, ANKARA]
    assert calls == [(0, 2), (1, 2), (2, 2)]
    expected = doc_to_table(nlp(ALEPPO), "aleppo")
    assert first["aleppo"].drop(columns="updated_at").to_dict("records") == expected.drop(
        columns="updated_at"
    ).to_dict("records")

    calls.clear()
    second = corpus_model_tables(articles, counting, cache, lambda done, total: calls.append((done, total)))
    assert counting.parsed == [ALEPPO, ANKARA]  # nothing parsed again
    assert calls == [(2, 2)]
    for article_id in ("aleppo", "ankara"):
        assert second[article_id].to_dict("records") == first[article_id].to_dict("records")

    # An edited article is parsed again and replaces its old table; the other one is still a hit.
    edited = ALEPPO + " Nothing else changed."
    corpus_model_tables([("aleppo", edited), ("ankara", ANKARA)], counting, cache)
    assert counting.parsed[2:] == [edited]
    names = sorted(os.listdir(cache.directory))
    assert len(names) == 2 and sum(name.startswith("aleppo.") for name in names) == 1
    assert cache.path("aleppo", edited).name in names
    assert cache.get("aleppo", ALEPPO) is None


def test_a_cache_that_cannot_be_written_still_gives_the_tables(
    nlp, annotations_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ModelTableCache(annotations_dir / ".model-cache", "en_core_web_sm")

    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "write_bytes", read_only)
    tables = corpus_model_tables([("ankara", ANKARA)], nlp, cache)
    expected = doc_to_table(nlp(ANKARA), "ankara").drop(columns="updated_at")
    assert tables["ankara"].drop(columns="updated_at").to_dict("records") == expected.to_dict("records")
    assert cache.get("ankara", ANKARA) is None


def test_model_cache_misses_on_another_model_or_a_broken_file(nlp, annotations_dir: Path) -> None:
    folder = annotations_dir / ".model-cache"
    table = doc_to_table(nlp(ANKARA), "ankara")
    cache = ModelTableCache(folder, "en_core_web_sm")
    assert cache.get("ankara", ANKARA) is None
    cache.put("ankara", ANKARA, table)
    assert cache.get("ankara", ANKARA).to_dict("records") == table.to_dict("records")
    assert ModelTableCache(folder, "en_core_web_md").get("ankara", ANKARA) is None
    assert not [name for name in os.listdir(folder) if name.endswith(".tmp")]

    # A table handed out cannot change the one kept in memory.
    handed = cache.get("ankara", ANKARA)
    handed.loc[0, "label"] = "CHANGED"
    handed["speaker"] = "x"
    assert cache.get("ankara", ANKARA).to_dict("records") == table.to_dict("records")

    cache.path("ankara", ANKARA).write_bytes(b'"article_id","span_id"\r\n"torn')  # a crash mid-write
    assert cache.get("ankara", ANKARA) is None
    counting = CountingNLP(nlp)
    tables = corpus_model_tables([("ankara", ANKARA)], counting, cache)
    assert counting.parsed == [ANKARA]
    assert cache.get("ankara", ANKARA).to_dict("records") == tables["ankara"].to_dict("records")


# --- the cache key: everything that decides the table but the text ----------------------------------


def cache_key(pipeline: str, packages: dict[str, str] | None = None) -> str:
    return ModelTableCache(Path("unused"), pipeline, packages).key(ANKARA)


def test_the_cache_key_changes_with_the_models_name_or_version() -> None:
    def identity(name: str, version: str) -> str:
        return pipeline_identity(spacy.blank("en", meta={"name": name, "version": version}))

    assert identity("core_web_sm", "3.8.0") == "en_core_web_sm 3.8.0 ()"
    assert cache_key(identity("core_web_sm", "3.8.0")) == cache_key(identity("core_web_sm", "3.8.0"))
    assert cache_key(identity("core_web_sm", "3.8.0")) != cache_key(identity("core_web_sm", "3.8.1"))
    assert cache_key(identity("core_web_sm", "3.8.0")) != cache_key(identity("core_web_md", "3.8.0"))


def test_the_real_pipeline_is_named_by_its_meta_and_its_components(nlp) -> None:
    identity = pipeline_identity(nlp)
    assert identity.startswith(f"en_{nlp.meta['name']} {nlp.meta['version']} (")
    assert "article_quotes" in identity and "article_countries" in identity
    with nlp.select_pipes(disable=["article_quotes"]):  # a pipeline without our quotes makes other tables
        assert pipeline_identity(nlp) != identity
    assert pipeline_identity(nlp) == identity


@pytest.mark.parametrize("package", TABLE_PACKAGES)
def test_the_cache_key_changes_with_an_installed_package_version(
    package: str, annotations_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = installed_versions()
    assert installed[package] == metadata.version(package)
    folder = annotations_dir / ".model-cache"
    before = ModelTableCache(folder, "en_core_web_sm 3.8.0")
    before.put("ankara", ANKARA, doc_to_table(spacy.blank("en")(ANKARA), "ankara"))
    assert before.get("ankara", ANKARA) is not None

    real_version = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "0.0.1" if name == package else real_version(name))
    upgraded = ModelTableCache(folder, "en_core_web_sm 3.8.0")
    assert upgraded.key(ANKARA) != before.key(ANKARA)
    assert upgraded.get("ankara", ANKARA) is None  # the table made under the old version is not read
    assert cache_key("p", {**installed, package: "0.0.1"}) != cache_key("p", installed)


def test_a_package_that_is_not_installed_still_gives_a_key() -> None:
    assert installed_versions(["spacy", "surely-not-an-installed-package"]) == {
        "spacy": spacy.__version__,
        "surely-not-an-installed-package": NOT_INSTALLED,
    }


def test_every_third_party_import_of_the_table_sources_is_in_the_key() -> None:
    imported = (
        {module.split(".")[0] for path in table_source_files() for module in imported_modules(path)}
        - set(sys.stdlib_module_names)
        - {"components"}
    )
    distributions = metadata.packages_distributions()
    missing = {
        module: distributions.get(module, [module])
        for module in imported
        if not set(distributions.get(module, [module])) & set(TABLE_PACKAGES)
    }
    assert not missing, f"add these to TABLE_PACKAGES: {missing}"


def test_an_edit_to_any_source_that_shapes_the_table_changes_the_version(tmp_path: Path) -> None:
    copy = tmp_path / "components"
    shutil.copytree(PROJECT_ROOT / "components", copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert sources_version(copy) == COMPONENTS_VERSION
    relative = {path.relative_to(copy).as_posix() for path in table_source_files(copy)}
    assert {
        "nlp/pipeline.py",
        "annotations/schema.py",
        "annotations/table.py",
        "annotations/csv_codec.py",
    } <= relative
    for name in sorted(relative):
        path = copy / name
        original = path.read_bytes()
        path.write_bytes(original + b"\n# edited\n")
        assert sources_version(copy) != COMPONENTS_VERSION, name
        path.write_bytes(original)
    # A module in a new folder of the language side counts too; the page's modules do not.
    (copy / "nlp" / "speakers").mkdir()
    (copy / "nlp" / "speakers" / "walk.py").write_text("RULE = 1\n", encoding="utf-8")
    nested = sources_version(copy)
    assert nested != COMPONENTS_VERSION
    (copy / "ui" / "editor.py").write_text("# edited\n", encoding="utf-8")
    assert sources_version(copy) == nested


# --- the corpus table ------------------------------------------------------------------------------


def test_corpus_table_merges_corrections_and_reports_bad_files(
    nlp, library: ArticleLibrary, store: AnnotationStore, annotations_dir: Path
) -> None:
    (library.articles_dir / "aleppo.txt").write_text(ALEPPO, encoding="utf-8")
    (library.articles_dir / "ankara.txt").write_text(ANKARA, encoding="utf-8")
    (library.articles_dir / "broken.txt").write_bytes(b"\x00\x01binary\x00")
    library.uploads_dir.mkdir()
    (library.uploads_dir / "moscow.txt").write_text("Lavrov spoke in Moscow on Friday.", encoding="utf-8")

    aleppo_model = doc_to_table(nlp(ALEPPO), "aleppo")
    moscow_span = aleppo_model[aleppo_model["text"] == "Moscow"].iloc[0]["span_id"]
    correction = relabel(aleppo_model, ALEPPO, moscow_span, "LOC")
    store.save("aleppo", ALEPPO, correction, None)
    malformed = b"this is not, a correction file\n"
    (annotations_dir / "ankara.csv").write_bytes(malformed)

    cache = ModelTableCache(annotations_dir / ".model-cache", "en_core_web_sm")
    calls: list[tuple[int, int]] = []
    table, problems = corpus_table(
        library, store, cache, nlp, lambda done, total: calls.append((done, total))
    )

    assert list(table.columns) == list(COLUMNS)
    assert sorted(table["article_id"].unique()) == ["aleppo", "ankara", "moscow"]
    assert calls[-1] == (3, 3)
    aleppo = table[table["article_id"] == "aleppo"].set_index("span_id")
    assert (aleppo.loc[moscow_span, "label"], aleppo.loc[moscow_span, "source"]) == ("LOC", "human")
    assert len(aleppo) == len(aleppo_model)  # the correction replaced its model row
    ankara = table[table["article_id"] == "ankara"]
    assert set(ankara["source"]) == {"model"} and len(ankara) == len(doc_to_table(nlp(ANKARA), "ankara"))
    assert len(problems) == 2
    assert any(p.startswith("broken: left out") and "binary" in p for p in problems)
    assert any(p.startswith("ankara: corrections not used") and "ankara.csv" in p for p in problems)
    assert (annotations_dir / "ankara.csv").read_bytes() == malformed  # left as it was


def test_corpus_table_of_an_empty_library(
    nlp, library: ArticleLibrary, store: AnnotationStore, annotations_dir: Path
) -> None:
    table, problems = corpus_table(library, store, ModelTableCache(annotations_dir / ".mc", "m"), nlp)
    assert (table.empty, list(table.columns), problems) == (True, list(COLUMNS), [])


# --- corpus chart data -----------------------------------------------------------------------------


def row(
    article_id: str,
    span_id: str,
    kind: str,
    text: str,
    label: str,
    speaker: str = "",
    country: str = "",
    status: str = "active",
    start: int = 0,
    speaker_kind: str = "",
) -> dict:
    return dict.fromkeys(COLUMNS, "") | {
        "speaker_kind": speaker_kind,
        "article_id": article_id,
        "span_id": span_id,
        "kind": kind,
        "start": start,
        "end": start + len(text),
        "text": text,
        "label": label,
        "speaker": speaker,
        "country": country,
        "source": "model",
        "status": status,
        "updated_at": "",
    }


@pytest.fixture()
def corpus() -> pd.DataFrame:
    rows = [
        row("a", "e1", "entity", "Sergei Lavrov", "PERSON", start=0),
        row("a", "e2", "entity", "Syria", "GPE", country="SYR", start=20),
        row("a", "e3", "entity", "Aleppo", "GPE", country="SYR", start=30),
        row(
            "a",
            "q1",
            "quote",
            "“We will not leave the city,”",
            "QUOTE",
            "Sergei Lavrov",
            start=40,
            speaker_kind="person",
        ),
        row("a", "q2", "quote", "“Never,”", "QUOTE", "Sergei Lavrov", start=80, speaker_kind="person"),
        row(
            "a",
            "q3",
            "quote",
            "“Talks go on,”",
            "QUOTE",
            "Turkish military",
            start=100,
            speaker_kind="organisation",
        ),
        row(
            "a",
            "q4",
            "quote",
            "“Rejected quote here,”",
            "QUOTE",
            "Turkish military",
            status="rejected",
            start=130,
            speaker_kind="person",
        ),
        row("a", "q5", "quote", "“Nobody said it,”", "QUOTE", "", start=160),
        row("b", "e1", "entity", "Lavrov", "PERSON", start=0),
        row("b", "e2", "entity", "Syrian", "NORP", country="SYR", start=10),
        row("b", "e3", "entity", "Damascus", "GPE", country="SYR", status="rejected", start=20),
        row("b", "e4", "entity", "Moscow", "GPE", country="RUS", start=30),
        row(
            "b", "q1", "quote", "“One more time,”", "QUOTE", "Sergei Lavrov", start=40, speaker_kind="person"
        ),
        row(
            "b",
            "q2",
            "quote",
            "“The ministry agrees,”",
            "QUOTE",
            "Turkish military",
            start=70,
            speaker_kind="organisation",
        ),
        row("c", "q1", "quote", "“Hello there,”", "QUOTE", "Nadia Haddad", start=0),
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def test_corpus_speaker_data_equals_the_tables_counts(corpus: pd.DataFrame) -> None:
    data = corpus_speaker_data(corpus)
    assert list(data.columns) == ["speaker", "kind", "quotes", "words", "articles"]
    counted = corpus[(corpus["kind"] == "quote") & (corpus["status"] == "active") & (corpus["speaker"] != "")]
    for speaker, rows in counted.groupby("speaker"):
        got = data.set_index("speaker").loc[speaker]
        assert got["quotes"] == len(rows)
        assert got["words"] == sum(charts.quoted_words(text) for text in rows["text"])
        assert got["articles"] == rows["article_id"].nunique()
    assert data["speaker"].tolist() == ["Sergei Lavrov", "Turkish military", "Nadia Haddad"]
    assert data.set_index("speaker")["quotes"].to_dict() == {
        "Sergei Lavrov": 3,
        "Turkish military": 2,
        "Nadia Haddad": 1,
    }
    assert data.set_index("speaker")["kind"].to_dict() == {
        "Sergei Lavrov": "person",
        "Turkish military": "organisation",
        "Nadia Haddad": "unknown",
    }


def test_a_one_article_corpus_charts_like_the_article_chart(
    nlp, bundled_text: str, corpus: pd.DataFrame
) -> None:
    table = doc_to_table(nlp(bundled_text), "aleppo")
    article = charts.speaker_data(table)
    assert len(article) >= 3
    assert corpus_speaker_data(table).drop(columns="articles").to_dict("records") == article.to_dict(
        "records"
    )
    assert set(corpus_speaker_data(table)["articles"]) == {1}
    # Per article, the corpus decides kinds exactly as the article chart does.
    for _article_id, rows in corpus.groupby("article_id"):
        assert corpus_speaker_data(rows).set_index("speaker")["kind"].to_dict() == charts.speaker_kinds(rows)


def test_a_speakers_kind_is_the_majority_of_the_quotes_the_corpus_has_of_them() -> None:
    def article(article_id: str, kind: str) -> list[dict]:
        return [row(article_id, "q1", "quote", "“We agree,”", "QUOTE", "Jordan", start=10, speaker_kind=kind)]

    two_to_one = pd.DataFrame(
        article("a", "person") + article("b", "organisation") + article("c", "organisation"),
        columns=list(COLUMNS),
    )
    assert corpus_speaker_data(two_to_one).set_index("speaker").loc[
        "Jordan", ["kind", "articles"]
    ].tolist() == [
        "organisation",
        3,
    ]
    tie = pd.DataFrame(
        article("a", "person") + article("b", "organisation") + article("c", ""), columns=list(COLUMNS)
    )
    assert corpus_speaker_data(tie).set_index("speaker").loc["Jordan", "kind"] == "person"


def test_shares_kinds_and_the_rows_behind_a_bar(corpus: pd.DataFrame) -> None:
    shares = speaker_share_by_article(corpus)
    assert list(shares.columns) == ["article_id", "speaker", "quotes", "share"]
    assert shares.groupby("article_id")["share"].sum().round(12).to_dict() == {"a": 1.0, "b": 1.0, "c": 1.0}
    a = shares[shares["article_id"] == "a"].set_index("speaker")
    assert a["quotes"].to_dict() == {"Sergei Lavrov": 2, "Turkish military": 1}
    assert a.loc["Sergei Lavrov", "share"] == pytest.approx(
        2 / 3
    )  # the rejected and unattributed quotes do not count

    assert kind_totals(corpus).to_dict("records") == [
        {"kind": "person", "quotes": 3},
        {"kind": "organisation", "quotes": 2},
        {"kind": "unnamed", "quotes": 0},
        {"kind": "unknown", "quotes": 1},
    ]
    lavrov = quotes_of(corpus, "Sergei Lavrov")
    assert list(lavrov.columns) == ["article_id", "span_id", "text"]
    assert list(zip(lavrov["article_id"], lavrov["span_id"], strict=False)) == [
        ("a", "q1"),
        ("a", "q2"),
        ("b", "q1"),
    ]
    assert quotes_of(corpus, "Nobody").empty

    syria = mentions_of_country(corpus, "SYR")
    assert list(syria.columns) == ["article_id", "span_id", "text", "label"]
    assert syria.to_dict("records") == [
        {"article_id": "a", "span_id": "e2", "text": "Syria", "label": "GPE"},
        {"article_id": "a", "span_id": "e3", "text": "Aleppo", "label": "GPE"},
        {
            "article_id": "b",
            "span_id": "e2",
            "text": "Syrian",
            "label": "NORP",
        },  # the rejected Damascus is not
    ]


def test_chart_data_of_a_table_without_quotes(corpus: pd.DataFrame) -> None:
    entities = corpus[corpus["kind"] == "entity"]
    assert corpus_speaker_data(entities).empty
    assert list(corpus_speaker_data(entities).columns) == ["speaker", "kind", "quotes", "words", "articles"]
    assert speaker_share_by_article(entities).empty
    assert kind_totals(entities)["quotes"].tolist() == [0, 0, 0, 0]


# --- the corpus's edit log -------------------------------------------------------------------------


def test_corpus_history_puts_every_articles_edits_in_time_order(
    store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = {"a": "Aleppo and Moscow.", "b": "Ankara and Athens."}

    def save(article_id: str, start: int, end: int, time: str) -> None:
        monkeypatch.setattr(store_module, "utc_now", lambda: time)
        version = store.load(article_id, texts[article_id]).version
        rows = pd.DataFrame([human_row(article_id, texts[article_id], start, end, "LOC")])
        store.save(article_id, texts[article_id], rows.astype({"start": int, "end": int}), version, "reader")

    save("b", 0, 6, "2026-01-01T00:00:00Z")
    save("a", 0, 6, "2026-01-02T00:00:00Z")
    save("b", 11, 17, "2026-01-03T00:00:00Z")

    history = corpus_history(store, ["a", "b", "no-edits"])
    assert list(history.columns) == [
        "article_id",
        "time",
        "change_id",
        "action",
        "annotator",
        "span_id",
        "field",
        "old",
        "new",
    ]
    changes = history.drop_duplicates("change_id")
    assert list(zip(changes["article_id"], changes["span_id"], changes["time"], strict=False)) == [
        ("b", "e-0-6", "2026-01-01T00:00:00Z"),
        ("a", "e-0-6", "2026-01-02T00:00:00Z"),
        ("b", "e-11-17", "2026-01-03T00:00:00Z"),
    ]
    labels = history[history["field"] == "label"]
    assert list(zip(labels["article_id"], labels["new"], strict=False)) == [
        ("b", "LOC"),
        ("a", "LOC"),
        ("b", "LOC"),
    ]
    # The rows of one change stay together.
    assert history["change_id"].tolist() == sorted(
        history["change_id"].tolist(), key=changes["change_id"].tolist().index
    )
    assert corpus_history(store, ["no-edits"]).empty
