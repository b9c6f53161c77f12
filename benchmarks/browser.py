"""What the page benchmarks share: a real ``streamlit run`` with its own folders, Chromium, and timing
taken inside the page.

Times come from the page's own clock (``performance.now()``, which starts at navigation), polled on
every animation frame by a script installed before the app's, so Playwright's round trips are not
counted. A milestone is the first frame on which its condition holds.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil
from playwright.sync_api import Browser, Page, sync_playwright

from components.config import PROJECT_ROOT
from tests.servers import ARTICLE_LISTENING, CHROMIUM, CHROMIUM_ARGS, SCRIPT_FINISHED, streamlit_server

FLOOR_SCRIPT = PROJECT_ROOT / "benchmarks" / "floor_page.py"
VIEWPORT = {"width": 1500, "height": 1100}
PAGE_TIMEOUT_MS = 600_000  # a cold 50,000-word parse on a busy two-core machine is slow

# Milestones of a page load (ms since navigation), kept in window.__bench:
#   running  - the app's script started (the browser reached the server)
#   article  - the article's first paragraph is in the page
#   visible  - ... and on screen
#   finished - the script finished (after it ran)
#   ready    - finished, with the article and every chart drawn (canvas or svg): the page as a reader wants it
#   usable   - finished, with the first paragraph on screen
#   listening - finished, and the article's click handlers attached (ours only; the floor's text is
#              not clickable)
MILESTONES_SCRIPT = """
(() => {
  const FINISHED = FINISHED_SELECTOR;
  const LISTENING = LISTENING_SELECTOR;
  const bench = window.__bench = {};
  const app = () => document.querySelector('[data-testid="stApp"]');
  // Our text is paragraphs in .article; the floor page's is displaCy's .entities in .article.
  const firstParagraph = () => document.querySelector('.article p, .article .entities');
  const chartsDrawn = () => {
    const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
    return charts.length > 0 && charts.every(chart => chart.querySelector('canvas, svg'));
  };
  const onScreen = element => {
    const box = element.getBoundingClientRect();
    return box.height > 0 && box.top < window.innerHeight && box.bottom > 0;
  };
  const finished = () => bench.running !== undefined && document.querySelector(FINISHED) !== null;
  const checks = {
    running: () => app()?.getAttribute('data-test-script-state') === 'running',
    article: () => firstParagraph() !== null,
    visible: () => firstParagraph() !== null && onScreen(firstParagraph()),
    finished,
    ready: () => finished() && firstParagraph() && chartsDrawn(),
    usable: () => finished() && firstParagraph() && onScreen(firstParagraph()),
    listening: () => finished() && document.querySelector(LISTENING) !== null,
  };
  const watchers = [];
  // Poll on animation frames only while a milestone is awaited: an endless loop would keep every
  // open page drawing 60 frames a second, which ten readers' pages on two cores cannot afford.
  let polling = false;
  const poll = () => {
    const now = performance.now();
    for (let i = watchers.length - 1; i >= 0; i--) {
      const [name, condition] = watchers[i];
      try {
        if (condition()) { bench[name] = now; watchers.splice(i, 1); }
      } catch (error) { /* the page is being rebuilt; try on the next frame */ }
    }
    polling = watchers.length > 0;
    if (polling) requestAnimationFrame(poll);
  };
  // watch(name, condition): record bench[name] on the first frame the condition holds.
  bench.watch = (name, condition) => {
    delete bench[name];
    watchers.push([name, condition]);
    if (!polling) { polling = true; requestAnimationFrame(poll); }
  };
  for (const [name, condition] of Object.entries(checks)) bench.watch(name, condition);
  document.addEventListener('click', () => { bench.click = performance.now(); }, true);
})();
""".replace("FINISHED_SELECTOR", repr(SCRIPT_FINISHED)).replace("LISTENING_SELECTOR", repr(ARTICLE_LISTENING))


@dataclass(frozen=True)
class Server:
    """A running app: its base URL, its process id (to read its memory) and its corrections folder."""

    url: str
    pid: int
    annotations_dir: Path


@contextmanager
def app_server(articles: dict[str, str], script: Path | None = None) -> Iterator[Server]:
    """Yield a running app (or ``script``) whose articles folder holds ``articles`` (file name → text);
    stop it after."""
    with tempfile.TemporaryDirectory(prefix="bench-app-") as folder:
        root = Path(folder)
        (root / "articles").mkdir()
        for name, text in articles.items():
            (root / "articles" / name).write_text(text, encoding="utf-8")
        env = {"ARTICLES_DIR": str(root / "articles"), "ANNOTATIONS_DIR": str(root / "annotations")}
        with streamlit_server(env, root / "streamlit.log", script=script) as url:
            yield Server(url, _server_pid(url), root / "annotations")


def _server_pid(url: str) -> int:
    """Return the pid of our child process serving ``url`` (``streamlit_server`` yields only the URL)."""
    # The server binds port 0 and the system picks the port, so look for the child listening on it.
    port = int(url.rsplit(":", 1)[1])
    for child in psutil.Process().children(recursive=True):
        try:
            listening = {c.laddr.port for c in child.net_connections("tcp") if c.status == psutil.CONN_LISTEN}
        except psutil.Error:
            continue
        if port in listening:
            return child.pid
    raise RuntimeError(f"no streamlit process of ours serves {url}")


def memory_kib(pid: int, field: str) -> int:
    """Return a memory figure (KiB) of a live process from ``/proc/<pid>/status``; ``VmHWM`` is its peak."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise KeyError(f"{field} is not in /proc/{pid}/status")


@contextmanager
def chromium() -> Iterator[Browser]:
    """Yield Debian's Chromium driven by Playwright, closed afterwards."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def fresh_page(browser: Browser) -> Iterator[Page]:
    """Yield a page in a new browser context (a new reader: no cookies, a new Streamlit session)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(MILESTONES_SCRIPT)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        yield page
    finally:
        context.close()


def load(page: Page, url: str, *until: str) -> dict[str, float]:
    """Return the page's milestones (seconds) after navigating to ``url`` and waiting for each of ``until``."""
    page.goto(url)
    for name in until:
        page.wait_for_function(
            f"() => window.__bench && window.__bench.{name} !== undefined", timeout=PAGE_TIMEOUT_MS
        )
    return milestones(page)


def milestones(page: Page) -> dict[str, float]:
    """Return every milestone reached so far, in seconds since navigation."""
    raw = page.evaluate(
        "() => Object.fromEntries(Object.entries(window.__bench).filter(([, v]) => typeof v === 'number'))"
    )
    return {name: value / 1000 for name, value in raw.items()}
