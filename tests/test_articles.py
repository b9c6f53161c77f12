"""Articles from folders, uploads and pastes: ids, decoding, and clear errors for bad input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from components.corpus.articles import (
    ArticleError,
    ArticleLibrary,
    article_id_from_name,
    check_article_text,
    pasted_article_id,
)
from components.corpus.text_decoding import decode_article

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("aleppo-rebels.txt", "aleppo-rebels"),
        ("../../etc/passwd.txt", "passwd"),
        ("C:\\Users\\me\\story.TXT", "story"),
        ("my story (final).txt", "my-story-final"),
        ("Gdańsk мэр.txt", "Gdańsk-мэр"),
        ("...txt", "article"),
        ("a\x00b.txt", "a-b"),
    ],
)
def test_article_id_stays_inside_its_folder(file_name: str, expected: str) -> None:
    assert article_id_from_name(file_name) == expected


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("Plain “curly” text".encode(), "Plain “curly” text"),
        (codecs.BOM_UTF8 + b"With BOM", "With BOM"),
        (b"Windows\r\nlines\r\n", "Windows\nlines\n"),
        (codecs.BOM_UTF16_LE + "UTF-16 text".encode("utf-16-le"), "UTF-16 text"),
    ],
)
def test_decode_reads_utf8_and_marked_utf16(data: bytes, text: str) -> None:
    assert decode_article(data) == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PNG_HEADER, "binary"),
        ("Café".encode("latin-1"), "not UTF-8"),
        (b"x" * (6 * 1024 * 1024), "MB"),
    ],
)
def test_decode_refuses_what_it_cannot_read(data: bytes, message: str) -> None:
    with pytest.raises(ArticleError, match=message):
        decode_article(data, "upload.txt")


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("  \n\t ", "empty"), ("x" * 101, "at most 100"), ("\x01\x02" * 20, "binary")],
)
def test_check_article_text_explains_the_problem(text: str, message: str) -> None:
    with pytest.raises(ArticleError, match=message):
        check_article_text(text, max_chars=100)


def test_library_lists_folder_and_uploads_and_never_reuses_another_articles_id(tmp_path: Path) -> None:
    folder, uploads = tmp_path / "articles", tmp_path / "uploads"
    folder.mkdir()
    (folder / "story.txt").write_text("The original story.", encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    library = ArticleLibrary(folder, uploads)
    assert library.ids() == ["story"]

    same = library.add_upload("story.txt", b"The original story.")
    assert same.article_id == "story" and not uploads.exists()

    other = library.add_upload("../story.txt", b"A different story.")
    assert other.article_id.startswith("story-") and other.article_id != "story"
    assert (uploads / f"{other.article_id}.txt").read_text(encoding="utf-8") == "A different story."
    assert library.get("story").text == "The original story."
    assert library.get(other.article_id).origin == "upload"

    pasted = library.add_paste("Pasted\r\ntext")
    assert pasted.article_id == pasted_article_id("Pasted\ntext")
    assert library.get(pasted.article_id).text == "Pasted\ntext"
    assert sorted(library.ids()) == sorted(["story", other.article_id, pasted.article_id])


def test_library_get_unknown_article_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="no article called 'nope'"):
        ArticleLibrary(tmp_path, tmp_path / "uploads").get("nope")
