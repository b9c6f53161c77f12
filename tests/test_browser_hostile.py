"""Hostile and bad input in a real browser: Debian's Chromium against ``streamlit run`` on loopback.

Article text, labels, speakers, span ids, countries, file names and CSV cells hold ``<script>``,
``<img onerror>``, ``javascript:`` links and markdown. Every page has a ``window.__pwned`` trap
(the payloads set it) and a dialog listener: nothing may run, nothing may become an element, and
the text must read exactly as written. Uploads go through the sidebar's real file input.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from components.annotations.csv_codec import decode_table
from components.corpus.articles import article_id_from_name
from tests import test_browser
from tests.servers import ARTICLE_LISTENING, SCRIPT_FINISHED, streamlit_server
from tests.test_browser import download, open_dialog, select_words_in, side_tab, wait_for_rerun
from tests.test_hostile_input import (
    BOLD_LABEL,
    FORMULA_TEXT,
    HOSTILE_COUNTRY,
    HOSTILE_LABEL,
    HOSTILE_MD_LABEL,
    HOSTILE_SPAN_ID,
    HOSTILE_SPEAKER,
    HOSTILE_TEXT,
    PNG,
    TAG_LABEL,
    UNICODE_TEXT,
    assert_spreadsheet_safe,
    formula_rows,
    hostile_rows,
    long_single_line,
    write_corrections,
)

pytestmark = pytest.mark.browser
browser = test_browser.browser  # the fixture: Debian's Chromium, launched once per module

LABELS = (HOSTILE_LABEL, HOSTILE_MD_LABEL, BOLD_LABEL, TAG_LABEL)
TYPED_LABEL = "<img src=x onerror=window.__pwned='typed'>[y](javascript:window.__pwned='typed') **typed**"
TYPED_SPEAKER = "<script>window.__pwned='typed speaker'</script> *Lavrov*"
HOSTILE_ADDRESS = "<img src=x onerror=window.__pwned='address'>"
# Elements and attributes no text of ours may ever become, anywhere on the page.
INJECTED = 'img[src="x"], a[href^="javascript" i], [onerror], [onload], iframe, object, embed'


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser-hostile")


@pytest.fixture(scope="module")
def server(root: Path) -> Iterator[str]:
    articles, annotations = root / "articles", root / "annotations"
    articles.mkdir()
    # No bundled article: the page opens on the first id ("formulas"), a short one, so reruns are quick.
    for article_id, text in (
        ("hostile", HOSTILE_TEXT),
        ("typed", HOSTILE_TEXT),
        ("formulas", FORMULA_TEXT),
        ("unicode", UNICODE_TEXT),
        ("one-line", long_single_line()),
    ):
        (articles / f"{article_id}.txt").write_text(text, encoding="utf-8")
    write_corrections(annotations, "hostile", hostile_rows("hostile"))
    write_corrections(annotations, "typed", hostile_rows("typed"))
    write_corrections(annotations, "formulas", formula_rows("formulas"))
    env = {"ARTICLES_DIR": str(articles), "ANNOTATIONS_DIR": str(annotations)}
    with streamlit_server(env, root / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module", autouse=True)
def patient_expect() -> Iterator[None]:
    """Reruns after an upload or a save can take seconds on a busy machine: wait up to 30 s."""
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture(scope="module", autouse=True)
def long_article_parsed_early(server: str, browser: Browser) -> Iterator[None]:
    """Open the 200,000-character article first, in a page of its own: the server parses it (the
    slowest step of this module) while the other tests run, and its test finds it parsed."""
    context = browser.new_context()
    context.new_page().goto(f"{server}/?article=one-line")
    yield
    context.close()


@contextmanager
def recorded_page(browser: Browser) -> Iterator[Page]:
    """A fresh page whose every dialog is recorded (and must stay empty)."""
    context = browser.new_context(viewport={"width": 1500, "height": 1100}, accept_downloads=True)
    opened = context.new_page()
    opened.dialogs = []  # type: ignore[attr-defined]
    opened.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    try:
        yield opened
    finally:
        context.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    with recorded_page(browser) as opened:
        yield opened


@pytest.fixture(scope="module")
def hostile_page(browser: Browser, server: str) -> Iterator[Page]:
    """The hostile article, opened once for the tests that only look (the last one clicks a span)."""
    with recorded_page(browser) as opened:
        open_article(opened, server, "hostile")
        yield opened


def open_article(page: Page, url: str, article_id: str, timeout: float = 120_000) -> None:
    page.goto(f"{url}/?article={article_id}")
    page.wait_for_selector(SCRIPT_FINISHED, timeout=timeout)
    page.wait_for_selector(".article", timeout=timeout)
    page.wait_for_selector(ARTICLE_LISTENING, timeout=timeout)


def assert_attributes_as_written_or_dropped(element: Locator, expected: dict[str, str]) -> None:
    """Each attribute is exactly as written, or absent: st.html's DOMPurify drops an attribute whose
    value holds "</script", "-->" and the like (a guard against markup that changes meaning when
    parsed again); the text and its badges still show the name as written."""
    holds_closing_tag = re.compile(
        r"((--!?|])>)|</(style|script|title|xmp|textarea|noscript|iframe|noembed|noframes)", re.I
    )
    for name, value in expected.items():
        found = element.get_attribute(name)
        assert found == (None if holds_closing_tag.search(value) else value), (name, found)


def assert_nothing_ran(page: Page) -> None:
    """No payload ran, none became an element, no dialog opened, and the page shows no traceback."""
    page.wait_for_timeout(300)  # an onerror fires after the image fails to load
    assert page.evaluate("() => window.__pwned") is None
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert page.locator(INJECTED).count() == 0
    assert page.locator(".article script, .article img, .article a, .article b, .article i").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0


PARAGRAPHS_JS = """article => {
    const copy = article.cloneNode(true);
    copy.querySelectorAll('.ent-label, .quote-speaker').forEach(badge => badge.remove());
    return Array.from(copy.querySelectorAll('p')).map(p => p.textContent);
}"""


def article_paragraphs(page: Page) -> list[str]:
    """The reading view's paragraphs as text, without the label and speaker badges."""
    return page.locator(".article").evaluate(PARAGRAPHS_JS)


def span_element(page: Page, span_id: str):
    # A JSON string is a CSS string too: the id's own quotes and backslashes stay inside it.
    return page.locator(".article").locator(f"[data-span-id={json.dumps(span_id, ensure_ascii=False)}]").first


def texts(page: Page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("elements => elements.map(element => element.textContent)")


def type_option(page: Page, label: str, value: str) -> None:
    """Type a new option into a selectbox that accepts them, as a reader does (the last one so named)."""
    box = page.get_by_role("combobox", name=label).last
    box.click()
    box.fill(value)
    box.press("Enter")


# --- the reading view, legend, charts and table ------------------------------------------------------


def test_the_label_filter_shows_labels_as_written(hostile_page: Page) -> None:
    page = hostile_page
    pills = texts(page, '[data-testid="stButtonGroup"] button')
    for label in LABELS:
        assert f"{label} · 1" in pills, (label, pills)
    assert page.locator('[data-testid="stButtonGroup"] strong, [data-testid="stButtonGroup"] a').count() == 0
    assert_nothing_ran(page)


def test_hostile_text_labels_speakers_and_ids_run_nothing_and_read_as_written(hostile_page: Page) -> None:
    page = hostile_page
    assert article_paragraphs(page) == HOSTILE_TEXT.split("\n")
    # Labels from the CSV: as attributes, badges and tooltips, exactly as written.
    paris = span_element(page, "e-13-18")
    expect(paris).to_have_attribute("data-label", HOSTILE_LABEL)
    expect(paris.locator(".ent-label")).to_have_text(HOSTILE_LABEL)
    assert paris.get_attribute("title").startswith(HOSTILE_LABEL + " · ")
    expect(span_element(page, HOSTILE_SPAN_ID)).to_have_attribute("data-label", BOLD_LABEL)
    quote = page.locator(".article span.quote", has_text="We will not leave").first
    expect(quote.locator(".quote-speaker")).to_have_text(HOSTILE_SPEAKER)
    assert_attributes_as_written_or_dropped(
        quote, {"data-speaker": HOSTILE_SPEAKER, "title": f"Quote by {HOSTILE_SPEAKER}"}
    )
    # The label filter is the legend: each pill, the hostile ones too, starts with its label's colour.
    swatches = page.locator(".st-key-label_filter [role=toolbar] > button").evaluate_all(
        "pills => pills.map(pill => getComputedStyle(pill, '::before').backgroundColor)"
    )
    assert len(swatches) >= len(LABELS) and "rgb(221, 221, 221)" not in swatches, swatches  # #ddd: no colour
    # The charts (Vega, drawn as SVG): axis labels are text, as written (long ones cut with "…").
    page.wait_for_selector(".vega-embed svg", timeout=30_000)
    axis = texts(page, ".vega-embed svg text")
    assert any(text.startswith(HOSTILE_SPEAKER[:20]) for text in axis), axis
    assert any(text.startswith(HOSTILE_COUNTRY[:10]) for text in axis), axis
    # The speaker filter's pills: the name as written, never markdown.
    expect(page.locator(".st-key-speaker_filter")).to_contain_text(HOSTILE_SPEAKER)
    # … and so are the charts' tooltips.
    page.locator(".vega-embed").first.locator("path[role=graphics-symbol]").first.hover()
    tooltip = page.locator("#vg-tooltip-element")
    expect(tooltip).to_contain_text(HOSTILE_SPEAKER)
    assert tooltip.locator("script, img, a").count() == 0
    assert_nothing_ran(page)
    # The span table (a canvas grid with an accessible table behind it): cells as written.
    page.get_by_role("tab", name="All spans").click()
    wait_for_rerun(page)
    page.wait_for_selector('[data-testid="stDataFrame"] [role=gridcell]', state="attached", timeout=30_000)
    cells = texts(page, '[data-testid="stDataFrame"] [role=gridcell]')
    assert {HOSTILE_LABEL, HOSTILE_MD_LABEL, BOLD_LABEL, TAG_LABEL} <= set(cells), cells
    # The labels chart above the table: its axis labels are text, as written.
    labels_axis = texts(page, '[data-testid="stTabPanel"] .vega-embed svg text')
    assert BOLD_LABEL in labels_axis and TAG_LABEL in labels_axis, labels_axis
    assert_nothing_ran(page)


def test_a_country_from_a_csv_is_shown_as_written_in_the_editor(hostile_page: Page) -> None:
    page = hostile_page
    start = HOSTILE_TEXT.index("Aleppo")
    span_element(page, f"e-{start}-{start + 6}").click()
    wait_for_rerun(page)
    side = page.locator(".st-key-side_panel")
    expect(side.get_by_role("combobox", name="Span")).to_have_value(
        f"“Aleppo” · Place (GPE) · {start}–{start + 6}"
    )
    assert HOSTILE_COUNTRY in side.text_content()  # wherever the editor names the span's country
    # The panel has links of its own (e.g. help); none may come from the country's markdown.
    links = side.locator("a").evaluate_all("links => links.map(a => [a.textContent, a.getAttribute('href')])")
    assert not [link for link in links if "javascript" in str(link[1]).lower() or link[0] == "x"], links
    assert_nothing_ran(page)


def test_a_label_and_a_speaker_typed_by_the_reader_run_nothing(page: Page, server: str, root: Path) -> None:
    open_article(page, server, "typed")
    span_element(page, HOSTILE_SPAN_ID).click()
    wait_for_rerun(page)
    expect(page.get_by_role("combobox", name="Label").first).to_have_value(BOLD_LABEL)
    start = HOSTILE_TEXT.index(BOLD_LABEL)
    caption = f"“{BOLD_LABEL}” · {BOLD_LABEL} · {start}–{start + len(BOLD_LABEL)}"
    expect(page.get_by_role("combobox", name="Span")).to_have_value(caption)
    type_option(page, "Label", TYPED_LABEL)
    page.get_by_role("button", name="Save label").click()
    wait_for_rerun(page)
    expect(page.get_by_text(f"Saved: “{BOLD_LABEL}” → {TYPED_LABEL} (1 span).", exact=True)).to_be_visible()
    expect(span_element(page, HOSTILE_SPAN_ID)).to_have_attribute("data-label", TYPED_LABEL)
    expect(span_element(page, HOSTILE_SPAN_ID).locator(".ent-label")).to_have_text(TYPED_LABEL)
    assert_nothing_ran(page)

    quote = page.locator(".article span.quote", has_text="We will not leave")
    quote.locator(".quote-speaker").click()
    wait_for_rerun(page)
    type_option(page, "Speaker", TYPED_SPEAKER)
    page.get_by_role("button", name="Save speaker").click()
    wait_for_rerun(page)
    saved = re.compile(rf"^Saved: speaker of “.+” → {re.escape(TYPED_SPEAKER)} \(1 span\)\.$")
    expect(page.get_by_text(saved)).to_be_visible()
    expect(quote.locator(".quote-speaker")).to_have_text(TYPED_SPEAKER)
    assert_attributes_as_written_or_dropped(quote, {"data-speaker": TYPED_SPEAKER})
    assert_nothing_ran(page)
    saved = decode_table((root / "annotations" / "typed.csv").read_bytes()).set_index("span_id")
    assert saved.loc[HOSTILE_SPAN_ID, "label"] == TYPED_LABEL
    assert saved.loc[hostile_rows("typed").iloc[4]["span_id"], "speaker"] == TYPED_SPEAKER


# --- uploads through the "Open an article" dialog, and the address --------------------------------------


def upload(page: Page, name: str, data: bytes) -> None:
    # The dialog stays open after a refused file (its message is there) and closes on an opened one.
    dialog = page.get_by_role("dialog")
    if not dialog.is_visible():
        dialog = open_dialog(page, "Open an article…", "Upload a .txt file")
    dialog.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": name, "mimeType": "text/plain", "buffer": data}]
    )
    wait_for_rerun(page)


def sidebar_alerts(page: Page):
    return page.locator('[data-testid="stSidebar"] [data-testid="stAlert"]')


def dialog_alerts(page: Page):
    return page.get_by_role("dialog").get_by_test_id("stAlert")


def alerts(page: Page) -> list[str]:
    return sidebar_alerts(page).all_text_contents() + dialog_alerts(page).all_text_contents()


def test_uploads_and_addresses_get_a_clear_message_or_open_and_run_nothing(
    page: Page, server: str, root: Path
) -> None:
    uploads = root / "annotations" / "uploads"
    before = sorted(path.relative_to(root) for path in root.rglob("*"))
    open_article(page, server, HOSTILE_ADDRESS)
    expect(
        page.get_by_text(f"There is no article called “{HOSTILE_ADDRESS}”; showing another one.")
    ).to_be_visible()
    assert_nothing_ran(page)
    side_tab(page, "History")

    # Over server.maxUploadSize (10 MB): the browser refuses it; nothing reaches the server.
    upload(page, "huge.txt", b"word " * (11 * 1024 * 1024 // 5))
    expect(page.get_by_role("dialog").get_by_test_id("stFileUploader")).to_contain_text(
        "File must be 10.0MB or smaller"
    )
    assert not any("huge" in alert for alert in alerts(page))

    refused = [
        (
            "big.txt",
            b"word " * (6 * 1024 * 1024 // 5),
            "big.txt is 6.0 MB; articles up to 5 MB are accepted.",
        ),
        ("empty.txt", b" \n\t\n", "The article is empty: there is no text to read."),
        ("picture.txt", PNG, "picture.txt looks like a binary file, not a text article."),
    ]
    for name, data, message in refused:
        upload(page, name, data)
        expect(dialog_alerts(page)).to_have_text([message], timeout=60_000)  # once the upload is in
        assert page.url.endswith("article=formulas")  # still on the article that was open
        assert_nothing_ran(page)

    opened = [
        (
            "latin.txt",
            "Café in Zürich, said Angela Merkel.".encode("latin-1"),
            "Café in Zürich, said Angela Merkel.",
            "It is not UTF-8: it was read as Windows-1252 / Latin-1 (Western European).",
        ),
        (
            "utf16.txt",
            "Angela Merkel visited Köln.".encode("utf-16-le"),
            "Angela Merkel visited Köln.",
            "It is not UTF-8: it was read as UTF-16 LE (no byte-order mark).",
        ),
        (
            f"../../{HOSTILE_ADDRESS}[x](javascript:window.__pwned='name') **name**.txt",
            b"Angela Merkel in Paris.",
            "Angela Merkel in Paris.",
            "”.",
        ),
    ]
    for name, data, text, told in opened:
        upload(page, name, data)
        expect(sidebar_alerts(page)).to_contain_text([f"Opened {name} as “"], timeout=60_000)
        (message,) = alerts(page)
        assert told in message, message
        # The sidebar is drawn before the article: wait until the new article is the one shown.
        page.wait_for_function(
            "paragraphs => { const article = document.querySelector('.article'); return !!article && "
            f"({PARAGRAPHS_JS})(article).join('\\n') === paragraphs.join('\\n'); }}",
            arg=[text],
            timeout=60_000,
        )
        assert_nothing_ran(page)
    new = {path.relative_to(root) for path in root.rglob("*")} - set(before)
    # Every added article is inside the uploads folder, whatever its name said.
    assert {path.parent for path in new if path.suffix == ".txt"} == {uploads.relative_to(root)}, new
    assert (uploads / "latin.txt").read_text(encoding="utf-8") == "Café in Zürich, said Angela Merkel."
    assert (uploads / f"{article_id_from_name(opened[-1][0])}.txt").read_text(encoding="utf-8") == opened[-1][
        2
    ]


def test_a_very_long_single_line_renders_as_one_part(page: Page, server: str) -> None:
    text = long_single_line()
    open_article(page, server, "one-line", timeout=180_000)
    assert article_paragraphs(page) == [text]
    assert page.get_by_role("combobox", name="Part").count() == 0
    assert page.locator(".article mark.ent").count() > 100
    assert_nothing_ran(page)


# --- offsets in the browser ----------------------------------------------------------------------------


def select_words(page: Page, words: str) -> None:
    """Select ``words`` in the reading view with the DOM's Range (UTF-16 offsets), then release the mouse."""
    select_words_in(page.locator(".article"), words)
    wait_for_rerun(page)
    expect(page.locator('[data-testid="stMarkdownContainer"]', has_text="Selected:")).to_contain_text(words)


def test_selections_after_emoji_combining_marks_and_hebrew_save_the_right_offsets(
    page: Page, server: str, root: Path
) -> None:
    open_article(page, server, "unicode")
    side_tab(page, "Correct")
    # Every span drawn holds the article's text at its offsets (ids are e-<start>-<end>).
    for span_id, shown in page.locator(".article mark.ent").evaluate_all(
        """marks => marks.map(mark => {
            const copy = mark.cloneNode(true);
            copy.querySelectorAll('.ent-label').forEach(badge => badge.remove());
            return [mark.dataset.spanId, copy.textContent];
        })"""
    ):
        start, end = (int(part) for part in span_id.split("-")[1:])
        assert UNICODE_TEXT[start:end] == shown, (span_id, shown)

    # Each after characters that are several UTF-16 units (emoji, 𝓜𝓪𝓽𝓱) or several code points
    # (a combining accent) in its paragraph, and one in right-to-left text.
    needles = ("news", "with a combining", "ראש העיר", "letters")
    for words in needles:
        select_words(page, words)
        type_option(page, "Label", "PICKED")
        page.get_by_role("button", name="Add span").click()
        wait_for_rerun(page)
        start = UNICODE_TEXT.index(words)
        expect(span_element(page, f"e-{start}-{start + len(words)}")).to_have_attribute(
            "data-label", "PICKED"
        )
    saved = decode_table((root / "annotations" / "unicode.csv").read_bytes())
    assert sorted(zip(saved["start"], saved["text"], strict=False)) == sorted(
        (UNICODE_TEXT.index(w), w) for w in needles
    )

    table = decode_table(Path(download(page).path()).read_bytes())
    assert {"Angela Merkel", "Benjamin Netanyahu", *needles} <= set(table["text"])
    for row in table.itertuples():
        assert UNICODE_TEXT[row.start : row.end] == row.text, row
    assert_nothing_ran(page)


# --- spreadsheet safety --------------------------------------------------------------------------------


def test_the_downloaded_csv_keeps_the_text_and_the_xlsx_runs_no_formula(page: Page, server: str) -> None:
    open_article(page, server, "formulas")
    csv_file = download(page)
    assert csv_file.suggested_filename == "formulas.csv"
    data = Path(csv_file.path()).read_bytes()
    raw = {cell for line in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for cell in line}
    assert '=HYPERLINK("http://evil.example/?x","click")' in raw and "=cmd|' /C calc'!A0" in raw
    workbook = download(page, "Download for Excel (.xlsx)")
    assert workbook.suggested_filename == "formulas.xlsx"
    cells = {cell for row in assert_spreadsheet_safe(Path(workbook.path()).read_bytes()) for cell in row}
    assert '=HYPERLINK("http://evil.example/?x","click")' in cells and "=cmd|' /C calc'!A0" in cells
    table = decode_table(data)
    for row in table.itertuples():
        assert FORMULA_TEXT[row.start : row.end] == row.text, row
    human = table[table["source"] == "human"].set_index("span_id")
    for row in formula_rows().itertuples():
        assert (human.loc[row.span_id, "label"], human.loc[row.span_id, "speaker"]) == (
            row.label,
            row.speaker,
        )
    assert_nothing_ran(page)
