"""Our page against the floor, in the same run: a warm reload, and a reader's correction round.

Two servers run side by side on the same articles: the app, and the floor (``floor_page.py``: the
same model, displaCy's entity HTML and three small Altair charts, nothing else). Each article
(the bundled one, and a 5,000-word one made of the Wikinews development articles) is first visited
once on each (model load and parse; not counted). Then each run is a new reader (a new browser
context) on the floor, then on ours:

1. navigation until the script has finished, the text is there and every chart has drawn
   (``ready``; the floor's is the figure every ratio divides by);
   On ours, also the text on screen (``usable``) and its click handlers attached (``listening``: the
   text is drawn by ``st.html`` a moment before the component that listens on it has loaded).
2. on ours only: a click on a PERSON or ORG entity until the "Correct" tab shows it; "Save label"
   with the other of the two until the new label is in the text; a click on a filter pill until
   the text is redrawn without that label; "Undo last correction" until the old label is back
   (``page_steps``). Every run makes a real change and takes it back.

Times are medians over the runs; the machine's 1-minute load average, sampled at each run, is
printed beside each article's figures (other people's tests share the two cores).
"""

from __future__ import annotations

import json
import os
import statistics
from pathlib import Path

from benchmarks import browser, page_steps
from benchmarks.report import Result, median, seconds, verdict
from components.config import PROJECT_ROOT
from tests.conftest import BUNDLED_ARTICLE

NAME = "page"
READY_GOAL = 1.3  # ours / the floor's warm reload
STEP_GOAL = 0.5  # each correction step / the floor's warm reload
DEV_SETS = PROJECT_ROOT.parent / "shared" / "bench"
LONG_WORDS = 5_000
STEPS = {
    "editor": "click on a span → editor shows it",
    "label_shown": "Save label → new label in the text",
    "filtered": "filter change → text redrawn",
    "undone": "Undo → old label back in the text",
}


def development_texts(folder: Path = DEV_SETS) -> dict[str, str]:
    """Return the Wikinews development articles (every ``quotes-*.jsonl``) by id, in id order."""
    records = [
        json.loads(line)
        for path in sorted(folder.glob("quotes-*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return {record["id"]: record["text"] for record in sorted(records, key=lambda record: record["id"])}


def development_article(words: int = LONG_WORDS, folder: Path = DEV_SETS) -> str:
    """Return the development articles joined until the text holds ``words`` words, cut at the
    paragraph that reaches it: the same text every time."""
    kept, count = [], 0
    for paragraph in (p for text in development_texts(folder).values() for p in text.split("\n\n")):
        if not paragraph.strip():
            continue
        kept.append(paragraph.strip())
        count += len(paragraph.split())
        if count >= words:
            return "\n\n".join(kept) + "\n"
    raise ValueError(f"the development sets in {folder} hold only {count:,} words")


def _articles(quick: bool) -> dict[str, str]:
    articles = {BUNDLED_ARTICLE.stem: BUNDLED_ARTICLE.read_text(encoding="utf-8")}
    if not quick:
        articles["development-5000-words"] = development_article()
    return articles


def _measure_article(chromium, ours: str, floor: str, runs: int) -> dict[str, list[float]]:
    """Return each run's timings (seconds) by measure, the first visits' and the load averages."""
    times: dict[str, list[float]] = {}
    with browser.fresh_page(chromium) as page:
        times["floor_cold"] = [browser.load(page, floor, "ready")["ready"]]
    with browser.fresh_page(chromium) as page:
        times["cold"] = [browser.load(page, ours, "ready")["ready"]]
        span_id, label = page_steps.choose_entity(page)
        hidden = page_steps.choose_filter_label(page, set(page_steps.FLIP) | {label})
    for _ in range(runs):
        times.setdefault("load", []).append(os.getloadavg()[0])
        with browser.fresh_page(chromium) as page:
            times.setdefault("floor", []).append(browser.load(page, floor, "ready")["ready"])
        with browser.fresh_page(chromium) as page:
            marks = browser.load(page, ours, "ready", "listening")
            for name in ("usable", "ready", "listening"):
                times.setdefault(name, []).append(marks[name])
            for name, value in page_steps.correct_and_undo(page, span_id, label, hidden).items():
                times.setdefault(name, []).append(value)
    return times


def measure(runs: int, quick: bool = False) -> dict[str, dict[str, list[float]]]:
    """Return the timings of each article (by id), both servers up side by side."""
    articles = _articles(quick)
    files = {f"{article_id}.txt": text for article_id, text in articles.items()}
    with (
        browser.app_server(files) as server,
        browser.app_server(files, script=browser.FLOOR_SCRIPT) as floor,
        browser.chromium() as chromium,
    ):
        return {
            article_id: _measure_article(
                chromium, f"{server.url}/?article={article_id}", f"{floor.url}/?article={article_id}", runs
            )
            for article_id in articles
        }


def _rows(article: str, times: dict[str, list[float]], runs: int) -> list[Result]:
    floor = median(times["floor"])
    load = f"{statistics.mean(times['load']):.1f}"
    of = f"median of {runs}"

    def ratio(name: str, goal: float) -> Result:
        value = median(times[name])
        what = "warm reload until text and charts drawn" if name == "ready" else STEPS[name]
        return Result(
            f"{NAME}: {article}",
            f"ours: {what} ({of})",
            f"{seconds(value)} · {value / floor:.2f}×",
            f"≤ {goal}× floor",
            verdict(value / floor <= goal),
            load,
        )

    return [
        Result(
            f"{NAME}: {article}",
            "first visit after server start (model load + parse; once): ours / floor",
            f"{seconds(times['cold'][0])} / {seconds(times['floor_cold'][0])}",
            load=load,
        ),
        Result(
            f"{NAME}: {article}",
            f"floor: warm reload until text and charts drawn ({of}; range {min(times['floor']):.2f}–"
            f"{max(times['floor']):.2f} s)",
            f"{seconds(floor)} · 1.00×",
            load=load,
        ),
        ratio("ready", READY_GOAL),
        Result(
            f"{NAME}: {article}",
            f"ours: warm reload until the text is on screen / until it answers clicks ({of})",
            f"{seconds(median(times['usable']))} / {seconds(median(times['listening']))}",
            load=load,
        ),
        *(ratio(name, STEP_GOAL) for name in STEPS),
    ]


def run(quick: bool = False) -> list[Result]:
    """Return the page rows of the results table: each figure, its ratio to the floor, the load."""
    runs = 2 if quick else 7  # five swung a ratio by 0.4 on a busy machine
    results = []
    for article, times in measure(runs, quick).items():
        label = "bundled article" if article == BUNDLED_ARTICLE.stem else f"{LONG_WORDS:,}-word article"
        results += _rows(label, times, runs)
    return results
