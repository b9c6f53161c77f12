"""A long article: 50,000 generated words in the app, time to a usable page and the server's peak memory.

The server starts with only this article. The first visit parses it (the model is loaded first);
a second reader then opens the same article, parsed already. "Usable" is the script finished and
the article's first paragraph on screen. Memory is the server process's resident set: before any
visit, and its peak (``VmHWM``) after both visits.
"""

from __future__ import annotations

from benchmarks import browser
from benchmarks.corpus import generate_article, word_count
from benchmarks.report import Result, mebibytes, seconds, verdict

NAME = "long article"
ARTICLE_ID = "long-article"
MEMORY_GOAL_BYTES = 1.5 * 2**30


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
    return result


def memory_bytes(pid: int, field: str) -> int:
    """Return ``/proc/<pid>/status``'s ``field`` (``VmRSS`` now, ``VmHWM`` peak) in bytes."""
    return browser.memory_kib(pid, field) * 1024


def run(quick: bool = False) -> list[Result]:
    """Return the long-article rows of the results table."""
    result = measure(5_000 if quick else 50_000)
    about = f"{result['words']:,.0f} words, {result['chars']:,.0f} characters"
    return [
        Result(NAME, f"first visit: usable page, parse included ({about})", seconds(result["first"])),
        Result(NAME, "… first paragraph on screen (script still running)", seconds(result["first_visible"])),
        Result(NAME, "second reader, article parsed already: usable page", seconds(result["second"])),
        Result(NAME, "… first paragraph on screen (script still running)", seconds(result["second_visible"])),
        Result(NAME, "server memory before any visit", mebibytes(result["before"])),
        Result(
            NAME,
            "server peak memory (VmHWM)",
            mebibytes(result["peak"]),
            "< 1,536 MiB",
            verdict(result["peak"] < MEMORY_GOAL_BYTES),
        ),
    ]
