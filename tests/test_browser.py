"""A real browser against a real server: Debian's Chromium, driven by Playwright, on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from components.config import PROJECT_ROOT
from tests.conftest import BUNDLED_ARTICLE
from tests.servers import CHROMIUM, CHROMIUM_ARGS, SCRIPT_FINISHED, streamlit_server

pytestmark = pytest.mark.browser

SCREENSHOTS = PROJECT_ROOT / "build" / "screenshots"
HOSTILE_TEXT = (
    "Officials in Paris said <script>window.__pwned = 'script'</script> and "
    '<img src=x onerror="window.__pwned = \'img\'"> then [click](javascript:window.__pwned=1).'
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser")
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
    expect(article).to_contain_text("<script>window.__pwned = 'script'</script>")
    expect(article).to_contain_text('<img src=x onerror="window.__pwned = \'img\'">')
    assert article.locator("script, img, a").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__pwned") is None
    assert dialogs == []
    assert page.locator('[data-testid="stException"]').count() == 0


def test_sidebar_follows_the_address(page: Page, server: str) -> None:
    open_article(page, server, "hostile")
    expect(page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Article")).to_have_value("Hostile")
    expect(page.locator("h1")).to_contain_text("Hostile")
