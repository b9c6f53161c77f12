"""A real browser against a real server: Debian's Chromium, driven by Playwright, on loopback."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Download, Locator, Page, expect, sync_playwright

from components.annotations.csv_codec import decode_table
from components.config import PROJECT_ROOT
from components.views.labels import label_colour
from tests.conftest import BUNDLED_ARTICLE
from tests.servers import ARTICLE_LISTENING, CHROMIUM, CHROMIUM_ARGS, SCRIPT_FINISHED, streamlit_server

pytestmark = pytest.mark.browser

SCREENSHOTS = PROJECT_ROOT / "build" / "screenshots"
HOSTILE_TEXT = (
    "Officials in Paris said <script>window.__pwned = 'script'</script> and "
    "<img src=x onerror=\"window.__pwned = 'img'\"> then [click](javascript:window.__pwned=1)."
)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="module")
def server(root: Path) -> Iterator[str]:
    articles = root / "articles"
    articles.mkdir()
    (articles / BUNDLED_ARTICLE.name).write_bytes(BUNDLED_ARTICLE.read_bytes())
    (articles / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    env = {"ARTICLES_DIR": str(articles), "ANNOTATIONS_DIR": str(root / "annotations")}
    with streamlit_server(env, root / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    opened = context.new_page()
    yield opened
    context.close()


def open_article(page: Page, url: str, article_id: str | None = None) -> None:
    page.goto(url if article_id is None else f"{url}/?article={article_id}")
    page.wait_for_selector(SCRIPT_FINISHED, timeout=120_000)
    page.wait_for_selector(".article", timeout=30_000)
    page.wait_for_selector(ARTICLE_LISTENING, timeout=30_000)


def reading_text(page: Page) -> str:
    """Return the article's text as the page shows it, without the label and speaker badges."""
    return page.locator(".article").evaluate(
        """element => {
            const copy = element.cloneNode(true);
            copy.querySelectorAll('.ent-label, .quote-speaker').forEach(badge => badge.remove());
            return [...copy.querySelectorAll('p')].map(p => p.textContent).join('\\n');
        }"""
    )


def test_bundled_article_shows_highlighted_entities(page: Page, server: str) -> None:
    open_article(page, server)
    article = page.locator(".article")
    expect(article).to_contain_text("This is completely out of the question.")
    malahifji = article.locator('mark.ent[data-label="PERSON"]', has_text="Zakaria Malahifji")
    expect(malahifji).to_be_visible()
    expect(malahifji.locator(".ent-label")).to_have_text("PERSON")
    assert article.locator("mark.ent").count() > 50
    # The highlight is drawn: the mark has the label's colour as its background.
    colour = malahifji.evaluate("element => getComputedStyle(element).backgroundColor")
    assert colour == "rgb(170, 156, 252)"
    assert "article=aleppo-rebels-reject-russian-demands" in page.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "reading-view.png"), full_page=True)


def test_article_text_never_runs_as_html(page: Page, server: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_article(page, server, "hostile")
    article = page.locator(".article")
    assert reading_text(page) == HOSTILE_TEXT
    assert article.locator("script, img, a").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__pwned") is None
    assert dialogs == []
    assert page.locator('[data-testid="stException"]').count() == 0


def open_dialog(page: Page, button: str, tab: str | None = None) -> Locator:
    """Click the button that opens a dialog (and one of its tabs), and return the dialog."""
    page.get_by_role("button", name=button).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible(timeout=60_000)
    if tab is not None:
        dialog.get_by_role("tab", name=tab).click()
    return dialog


def side_tab(page: Page, name: str) -> None:
    """Open a tab of the side panel; any but Overview keeps the charts from being drawn on each rerun."""
    page.get_by_role("tab", name=name).click()
    wait_for_rerun(page)


def close_dialog(page: Page) -> None:
    """Close the open dialog with its × button, as a reader does."""
    page.get_by_role("dialog").get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    wait_for_rerun(page)  # a closed dialog reruns the page, which leaves it out


def download(page: Page, button: str = "Download CSV") -> Download:
    """Open the downloads, click one once the page is settled, close them, and return the file received."""
    page.wait_for_selector(SCRIPT_FINISHED, timeout=60_000)
    dialog = open_dialog(page, "Download the annotations…")
    with page.expect_download(timeout=90_000) as download_info:
        dialog.get_by_role("button", name=button, exact=True).click()
    close_dialog(page)
    return download_info.value


def test_the_article_picker_follows_the_address_and_opens_another(page: Page, server: str) -> None:
    open_article(page, server, "hostile")
    expect(page.locator("h1")).to_contain_text("Hostile")
    dialog = open_dialog(page, "Open an article…")
    picker = dialog.get_by_role("combobox", name="Article")
    expect(picker).to_have_value("Hostile")
    picker.click()
    picker.fill("Aleppo")
    page.get_by_role("option", name="Aleppo rebels reject Russian demands").click()
    page.wait_for_url("**article=aleppo-rebels-reject-russian-demands**", timeout=60_000)
    expect(page.locator("h1")).to_contain_text("Aleppo rebels reject Russian demands", timeout=60_000)
    expect(dialog).to_have_count(0)  # it closed on the pick


def choose_option(page: Page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox in the side panel by typing it, as a reader would."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_rerun(page)  # a new choice reruns the script: the buttons beside it are drawn again


def wait_for_rerun(page: Page) -> None:
    page.wait_for_timeout(200)
    page.wait_for_selector(SCRIPT_FINISHED, timeout=60_000)


def test_correct_a_label_in_the_page_reload_and_download(page: Page, server: str, tmp_path: Path) -> None:
    open_article(page, server)
    lavrov = page.locator('.article mark.ent[data-label="ORG"]', has_text="Lavrov").first
    span_id = lavrov.get_attribute("data-span-id")
    lavrov.click()
    wait_for_rerun(page)
    expect(page.locator(f'.article [data-span-id="{span_id}"].marked')).to_be_visible()
    choose_option(page, "Label", "Person (PERSON)")
    page.get_by_role("button", name="Save label").click()
    wait_for_rerun(page)
    expect(page.get_by_text("Saved: “Lavrov” → Person (PERSON)")).to_be_visible()
    expect(page.locator(f'.article [data-span-id="{span_id}"]')).to_have_attribute("data-label", "PERSON")

    page.reload()
    page.wait_for_selector(SCRIPT_FINISHED, timeout=60_000)
    kept = page.locator(f'.article [data-span-id="{span_id}"]')
    expect(kept).to_have_attribute("data-label", "PERSON")
    expect(kept.locator(".ent-label")).to_have_text("PERSON")

    received = download(page)
    assert received.suggested_filename == "aleppo-rebels-reject-russian-demands.csv"
    saved = tmp_path / received.suggested_filename
    received.save_as(saved)
    lines = saved.read_text(encoding="utf-8").splitlines()
    line = next(line for line in lines if f'"{span_id}"' in line)
    assert '"Lavrov","PERSON"' in line and '"human","active"' in line
    (SCREENSHOTS / "downloaded-correction.txt").write_text(line + "\n", encoding="utf-8")
    page.screenshot(path=str(SCREENSHOTS / "correction-tools.png"), full_page=True)


def test_select_text_to_add_a_span(page: Page, server: str) -> None:
    open_article(page, server)
    words = "defence ministry"
    paragraph = page.locator(".article p", has_text=words)
    select_words_in(paragraph, words)
    wait_for_rerun(page)
    expect(page.locator('[data-testid="stMarkdownContainer"]', has_text="Selected:")).to_contain_text(words)
    choose_option(page, "Label", "Organisation (ORG)")
    page.get_by_role("button", name="Add span").click()
    wait_for_rerun(page)
    added = page.locator('.article mark.ent[data-label="ORG"]', has_text=words)
    expect(added).to_have_count(1)
    text = BUNDLED_ARTICLE.read_text(encoding="utf-8")
    start = text.index(words)
    expect(added).to_have_attribute("data-span-id", f"e-{start}-{start + len(words)}")


def test_change_a_quotes_speaker_and_find_it_on_disk(page: Page, server: str, root: Path) -> None:
    open_article(page, server)
    quote = page.locator(".article span.quote", has_text="we await these words").first
    span_id = quote.get_attribute("data-span-id")
    expect(quote).to_have_attribute("data-speaker", "Sergei Lavrov")
    quote.locator(".quote-speaker").click()
    wait_for_rerun(page)
    choose_option(page, "Speaker", "John Kerry · person · 1 quote")
    page.get_by_role("button", name="Save speaker").click()
    wait_for_rerun(page)
    expect(page.locator(f'.article [data-span-id="{span_id}"]').first).to_have_attribute(
        "data-speaker", "John Kerry"
    )
    saved = decode_table((root / "annotations" / f"{BUNDLED_ARTICLE.stem}.csv").read_bytes())
    row = saved[saved["span_id"] == span_id].iloc[0]
    assert (row["speaker"], row["kind"], row["source"]) == ("John Kerry", "quote", "human")


def test_charts_are_drawn_and_a_click_marks_the_text(page: Page, server: str) -> None:
    open_article(page, server)
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    expect(charts).to_have_count(3)  # who is quoted, countries, the map (labels: with the table of spans)
    expect(charts.first.locator('[aria-roledescription="bar"]').first).to_be_visible()
    expect(page.locator('[aria-label*="speaker: Sergei Lavrov;"]').first).to_be_visible()
    turkey = page.locator('[aria-roledescription="bar"][aria-label*="country: Turkey;"]').first
    turkey.click()
    wait_for_rerun(page)
    expect(page.locator(".pick-notice")).to_have_text("Marked in the text: AaTurkey: 6 mentions")
    marked = page.locator(".article mark.ent.pick-country")
    expect(marked).to_have_count(6)  # Turkey ×3, Turkish ×3
    assert set(marked.evaluate_all("marks => marks.map(m => m.firstChild.textContent)")) == {
        "Turkey",
        "Turkish",
    }
    # A second chart's pick adds its own style: Lavrov's quotes in a solid outline, Turkey's stays dashed.
    page.locator('[aria-roledescription="bar"][aria-label*="speaker: Sergei Lavrov;"]').first.click()
    wait_for_rerun(page)
    # An earlier test of this module gives one of his quotes to John Kerry: count what the text says.
    quotes = page.locator('.article .quote[data-speaker="Sergei Lavrov"]:not(.cont)').count()
    expect(page.locator(".pick-notice")).to_contain_text(f"Sergei Lavrov: {quotes} quotes")
    expect(page.locator(".pick-notice")).to_contain_text("Turkey: 6 mentions")
    expect(page.locator(".article mark.ent.pick-country")).to_have_count(6)
    lavrov = page.locator(".article .quote.pick-speaker:not(.cont)")
    expect(lavrov).to_have_count(quotes)
    styles = (
        lavrov.first.evaluate("q => getComputedStyle(q).outlineStyle"),
        marked.first.evaluate("m => getComputedStyle(m).outlineStyle"),
    )
    assert styles == ("solid", "dashed")
    page.screenshot(path=str(SCREENSHOTS / "charts.png"), full_page=True)
    page.get_by_role("button", name="Clear").click()
    wait_for_rerun(page)
    expect(page.locator(".article .pick-country, .article .pick-speaker")).to_have_count(0)
    side_tab(page, "All spans")
    expect(page.locator('[aria-roledescription="bar"][aria-label*="label: GPE"]').first).to_be_visible(
        timeout=60_000
    )


def test_walk_to_the_next_article_and_see_the_desk_and_scorecard(page: Page, server: str) -> None:
    open_article(page, server)
    page.get_by_text("Reviewed", exact=True).click()
    wait_for_rerun(page)
    expect(page.get_by_text("1 of 2 articles reviewed")).to_be_visible()
    page.get_by_role("button", name="Next unreviewed article →").click()
    wait_for_rerun(page)
    expect(page.locator("h1")).to_contain_text("Hostile")
    assert "article=hostile" in page.url

    page.goto(f"{server}/desk")
    page.wait_for_selector(SCRIPT_FINISHED, timeout=120_000)
    expect(page.get_by_text("The corpus at a glance")).to_be_visible()
    expect(page.locator('[data-testid="stMetricValue"]').first).to_have_text("2")
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "desk.png"), full_page=True)

    page.goto(f"{server}/scorecard")
    page.wait_for_selector(SCRIPT_FINISHED, timeout=120_000)
    expect(page.get_by_text("Where the model was corrected")).to_be_visible()
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "scorecard.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0


def select_words_in(element, words: str) -> None:
    """Select ``words`` inside ``element`` as a reader's mouse would, then release the button."""
    element.evaluate(
        """(element, words) => {
            const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
            let node = walker.nextNode();
            while (node && !node.data.includes(words)) node = walker.nextNode();
            const range = document.createRange();
            range.setStart(node, node.data.indexOf(words));
            range.setEnd(node, node.data.indexOf(words) + words.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            node.parentElement.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        words,
    )


def label_pill(page: Page, name: str) -> Locator:
    """Return the label filter's pill of ``name`` ("Place (GPE) · 12": the filter is the legend too)."""
    return page.locator(".st-key-label_filter [role=toolbar] > button", has_text=name).first


def label_pill_count(page: Page, name: str) -> int:
    return int(label_pill(page, name).text_content().rsplit("·", 1)[1])


def swatch_colour(pill: Locator) -> str:
    """Return the colour of the swatch a pill starts with, as the browser computed it (``rgb(…)``)."""
    return pill.evaluate("pill => getComputedStyle(pill, '::before').backgroundColor")


def test_fix_a_boundary_by_selecting_words_and_pick_a_speaker_from_the_list(
    page: Page, server: str, tmp_path: Path
) -> None:
    open_article(page, server)
    kerry = page.locator('.article mark.ent[data-label="PERSON"]', has_text="John Kerry’s")
    span_id = kerry.get_attribute("data-span-id")
    kerry.click()
    wait_for_rerun(page)
    select_words_in(kerry, "John Kerry")
    wait_for_rerun(page)
    use = page.get_by_role("button", name="Use these words for “John Kerry’s”")
    expect(use).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "boundary-selection-offered.png"), full_page=True)
    use.click()
    wait_for_rerun(page)
    start = BUNDLED_ARTICLE.read_text(encoding="utf-8").index("John Kerry’s")
    fixed = f"“John Kerry” · Person (PERSON) · {start}–{start + len('John Kerry')}"
    expect(page.get_by_role("combobox", name="Span")).to_have_value(fixed)
    assert page.locator(f'.article [data-span-id="{span_id}"]').evaluate("m => m.firstChild.textContent") == (
        "John Kerry"
    )
    page.screenshot(path=str(SCREENSHOTS / "boundary-fix-by-selection.png"), full_page=True)

    # The quote Lavrov recalls: its speaker was a guess (an unsure badge); pick him from the list, no typing.
    quote = page.locator(".article span.quote span.quote", has_text="Whoever wants").first  # inside Lavrov's
    quote_id = quote.get_attribute("data-span-id")
    badge = quote.locator(":scope > .quote-speaker")
    expect(badge).to_have_class(re.compile(r"\bunsure\b"))
    badge.click()
    wait_for_rerun(page)
    page.get_by_role("combobox", name="Speaker").click()
    options = page.get_by_role("option")
    assert options.first.text_content().startswith("Sergei Lavrov · person · ")
    page.screenshot(path=str(SCREENSHOTS / "speaker-list.png"), full_page=True)
    page.get_by_role("option", name=re.compile(r"^John Kerry · person · \d+ quotes?$")).click()
    places = label_pill_count(page, "Place (GPE)")
    red, green, blue = (int(label_colour("GPE")[i : i + 2], 16) for i in (1, 3, 5))
    assert (
        swatch_colour(label_pill(page, "Place (GPE)")) == f"rgb({red}, {green}, {blue})"
    )  # the legend's key
    page.get_by_role("button", name="Save speaker").click()
    wait_for_rerun(page)
    expect(page.get_by_role("combobox", name="Span")).to_have_value(
        re.compile(r"^“‘Whoever.* · John Kerry · ")
    )
    expect(page.locator(f'.article [data-span-id="{quote_id}"] .quote-speaker.unsure')).to_have_count(0)

    # A key on a picked span: 3 makes the NORP "Aleppo" a Place, and its pill counts it at once.
    page.locator('.article mark.ent[data-label="NORP"]', has_text="Aleppo").first.click()
    wait_for_rerun(page)
    expect(page.get_by_role("combobox", name="Span")).to_have_value(re.compile(r"^“Aleppo” · Nationality"))
    page.keyboard.press("3")
    wait_for_rerun(page)
    expect(label_pill(page, "Place (GPE)")).to_have_text(re.compile(rf"· {places + 1}$"))

    saved = tmp_path / "article.csv"
    download(page).save_as(saved)
    table = decode_table(saved.read_bytes())
    assert table.loc[table["span_id"] == span_id, "text"].tolist() == ["John Kerry"]
    row = table[table["span_id"] == quote_id].iloc[0]
    assert (row["speaker"], row["attribution"], row["confidence"]) == ("John Kerry", "reader", "high")
