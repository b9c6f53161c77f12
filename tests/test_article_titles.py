"""Titles: an article's own headline, else its file name cased as the article writes it; tidying on real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.corpus.article_titles import article_title
from components.corpus.articles import ArticleError, ArticleLibrary
from tests.conftest import BUNDLED_ARTICLE

BODY = "Officials in Geneva said on Monday that the talks would resume.\nMore followed."


@pytest.mark.parametrize(
    ("article_id", "text", "pasted", "title"),
    [
        # No headline (the first line is a sentence): the file name, each word as the article writes it.
        (
            BUNDLED_ARTICLE.stem,
            BUNDLED_ARTICLE.read_text(encoding="utf-8"),
            False,
            "Aleppo rebels reject Russian demands",
        ),
        (
            "us-talks-in-geneva",
            "The US and Russia met in Geneva. The talks went on.",
            False,
            "US talks in Geneva",
        ),
        ("geneva_TALKS", BODY, False, "Geneva talks"),
        # A short first line standing apart is the article's own headline.
        ("draft-3", "Geneva talks to resume on Monday\n\n" + BODY, False, "Geneva talks to resume on Monday"),
        ("draft-3", "  Leaders meet in Paris?  \n" + BODY, False, "Leaders meet in Paris?"),
        # A quotation or a sentence opening the article is not a headline.
        ("quote", "“We agree,” Merkel said.\n" + BODY, False, "Quote"),
        # A pasted article is titled from its first line, cut at a word.
        ("pasted-0123456789", BODY, True, "Officials in Geneva said on Monday that the talks would resume."),
        ("pasted-0123456789", "word " * 40, True, " ".join(["word"] * 15) + "…"),
    ],
)
def test_a_title_is_the_headline_else_the_file_name_as_the_article_writes_it(
    article_id: str, text: str, pasted: bool, title: str
) -> None:
    assert article_title(article_id, text, pasted) == title


@pytest.fixture()
def library(tmp_path: Path) -> ArticleLibrary:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "in-the-folder.txt").write_text(BODY, encoding="utf-8")
    return ArticleLibrary(tmp_path / "articles", tmp_path / "annotations" / "uploads")


def test_an_added_article_is_renamed_without_changing_its_id(library: ArticleLibrary) -> None:
    article = library.add_paste(BODY)
    assert library.title(article.article_id).startswith("Officials in Geneva said")
    assert library.rename(article.article_id, "  Geneva   talks ") == "Geneva talks"
    assert library.title(article.article_id) == "Geneva talks"
    assert article.article_id in library.ids()
    with pytest.raises(ArticleError, match="at least one word"):
        library.rename(article.article_id, "   ")
    with pytest.raises(ArticleError, match="articles folder, which the app never changes"):
        library.rename("in-the-folder", "Mine now")


def test_a_deleted_article_keeps_its_corrections_aside_and_is_restored_with_them(
    library: ArticleLibrary,
) -> None:
    article = library.add_upload("geneva-talks.txt", BODY.encode())
    annotations = library.corrections_dir
    kept = {
        annotations / "geneva-talks.csv": b"rows",
        annotations / "geneva-talks.log.jsonl": b"log",
        annotations / "reviewed" / "geneva-talks": b"",
    }
    for path, data in kept.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    library.rename(article.article_id, "Talks in Geneva")
    library.delete(article.article_id)
    assert article.article_id not in library.ids()
    assert not any(path.exists() for path in kept)
    [removed] = library.removed()
    assert (removed.article_id, removed.title, removed.corrections) == (
        "geneva-talks",
        "Talks in Geneva",
        True,
    )
    with pytest.raises(ArticleError, match="articles folder"):
        library.delete("in-the-folder")
    library.restore(article.article_id)
    assert library.get(article.article_id).text == BODY
    assert {path: path.read_bytes() for path in kept} == kept
    assert library.title(article.article_id) == "Talks in Geneva" and library.removed() == []


def test_a_restore_never_overwrites_an_article_of_the_same_id(library: ArticleLibrary) -> None:
    library.add_upload("geneva-talks.txt", BODY.encode())
    library.delete("geneva-talks")
    library.add_upload("geneva-talks.txt", b"Another text about other talks.")
    with pytest.raises(ArticleError, match="an article with that id is in the library again"):
        library.restore("geneva-talks")
    assert [article.article_id for article in library.removed()] == ["geneva-talks"]
    with pytest.raises(ArticleError, match="no removed article"):
        library.restore("never-there")
