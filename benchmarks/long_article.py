"""A long article: 50,000 generated words in the app, time to a usable page and the server's peak memory.

The server starts with only this article. The first visit parses it (the model is loaded first);
a second reader then opens the same article, parsed already. "Usable" is the script finished and
the article's first paragraph on screen. Memory is the server process's resident set: before any
visit, and its peak (``VmHWM``) after both visits. The second reader's first paragraph on screen is
set against the floor page's warm reload of the bundled article (``floor_page.py``, median of 3),
timed in the same run.
"""

from __future__ import annotations

import os
import statistics

from benchmarks import browser
from benchmarks.corpus import generate_article, word_count
from benchmarks.report import Result, mebibytes, median, seconds, verdict
from tests.conftest import BUNDLED_ARTICLE

NAME = "long article"
ARTICLE_ID = "long-article"
MEMORY_GOAL_BYTES = 1.5 * 2**30
FIRST_PARAGRAPH_GOAL = 3.0  # × the floor's warm reload of the bundled article


def measure(words: int) -> dict[str, float]:
    """Return the seconds to the article on screen and to a usable page (first and second visit), and
    the server's memory in bytes."""
    text = generate_article(seed=50_000, words=words)
    result: dict[str, float] = {"words": word_count(text), "chars": len(text)}
    with browser.app_server({f"{ARTICLE_ID}.txt": text}) as server, browser.chromium() as chromium:
        result["before"] = memory_bytes(server.pid, "VmRSS")
        url = f"{server.url}/?article={ARTICLE_ID}"
        for visit in ("first", "second"):
            with browser.fresh_page(chromium) as page:
                marks = browser.load(page, url, "usable")
            result[visit], result[f"{visit}_visible"] = marks["usable"], marks["visible"]
        result["peak"] = memory_bytes(server.pid, "VmHWM")
        result["load"] = os.getloadavg()[0]
        result["floor"] = _floor_reload(chromium)
    return result


def _floor_reload(chromium, runs: int = 3) -> float:
    """Return the floor page's warm reload of the bundled article (median of ``runs``, after a first visit)."""
    files = {BUNDLED_ARTICLE.name: BUNDLED_ARTICLE.read_text(encoding="utf-8")}
    with browser.app_server(files, script=browser.FLOOR_SCRIPT) as floor:
        times = []
        for _ in range(runs + 1):
            with browser.fresh_page(chromium) as page:
                times.append(
                    browser.load(page, f"{floor.url}/?article={BUNDLED_ARTICLE.stem}", "ready")["ready"]
                )
    return median(times[1:])


def memory_bytes(pid: int, field: str) -> int:
    """Return ``/proc/<pid>/status``'s ``field`` (``VmRSS`` now, ``VmHWM`` peak) in bytes."""
    return browser.memory_kib(pid, field) * 1024


def run(quick: bool = False) -> list[Result]:
    """Return the long-article rows of the results table."""
    result = measure(5_000 if quick else 50_000)
    about = f"{result['words']:,.0f} words, {result['chars']:,.0f} characters"
    ratio = result["second_visible"] / result["floor"]
    load = f"{statistics.mean([result['load'], os.getloadavg()[0]]):.1f}"
    return [
        Result(NAME, f"first visit: usable page, parse included ({about})", seconds(result["first"])),
        Result(NAME, "… first paragraph on screen (script still running)", seconds(result["first_visible"])),
        Result(NAME, "second reader, article parsed already: usable page", seconds(result["second"])),
        Result(NAME, "… first paragraph on screen (script still running)", seconds(result["second_visible"])),
        Result(
            NAME,
            f"… that, against the floor's warm reload of the bundled article ({seconds(result['floor'])})",
            f"{ratio:.2f}×",
            f"≤ {FIRST_PARAGRAPH_GOAL:.0f}× floor",
            verdict(ratio <= FIRST_PARAGRAPH_GOAL),
            load,
        ),
        Result(NAME, "server memory before any visit", mebibytes(result["before"])),
        Result(
            NAME,
            "server peak memory (VmHWM)",
            mebibytes(result["peak"]),
            "< 1,536 MiB",
            verdict(result["peak"] < MEMORY_GOAL_BYTES),
        ),
    ]
