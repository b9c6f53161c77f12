"""Ten readers on one server: each reloads and corrects their own article in a loop for two minutes.

One app serves ten Wikinews development articles (the first ten by id). Each reader is a thread with
its own Chromium (as ten people would have), and loops: open the article until the text and charts
are drawn; click its first entity; relabel it (PERSON, or ORG when it is a PERSON already) and time
"Save label" until the new label is in the text. After the two minutes, every save must be on disk:
each article's edit log holds one entry per save, and its correction file gives the span the label
the reader saw last.

A reader looks at the page for ``READ_PAUSE`` seconds after each step, as people do: ten tight loops
would measure ten Chromiums fighting over the same two cores as the server, not the server. Picking
the span and the label is tried again when a rerun redrew the list under the click (counted and
printed); a save that is not shown ends that reader with the error.

Ten readers are ten people on their own machines; here their ten Chromiums share the server's two
cores, and Chromium raises some of its own processes' priority, so they starved the server (Save →
shown measured the browsers). The server's threads therefore run at a higher CPU priority than the
browsers (``SERVER_NICE``). Raising a priority needs the right to; the row says whether the
system granted it.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from benchmarks import browser, page_steps
from benchmarks.page import development_texts
from benchmarks.report import Result, median, seconds, verdict
from components.annotations.edit_log import read_log
from components.annotations.store import AnnotationStore

NAME = "readers"
READERS = 10
DURATION = 120.0  # seconds of reloading and correcting
SAVE_GOAL = 1.0  # seconds, the median of every Save → shown
READ_PAUSE = 5.0  # seconds a reader looks at the page after each step
SERVER_NICE = -10  # the server's priority over the stand-in browsers (0 is a normal process)
STEP_TIMEOUT_MS = 60_000  # a click that finds nothing to click in a minute is tried again


@dataclass
class Reader:
    """One reader's article, what they saw and what went wrong."""

    article_id: str
    reloads: list[float] = field(default_factory=list)
    saves: list[float] = field(default_factory=list)
    last_shown: tuple[str, str] | None = None  # (span_id, label) of the last save shown in the text
    retried: int = 0  # rounds started again because a rerun redrew the span or the list under a click
    error: str = ""


def _pick(page: Page) -> tuple[str, str]:
    """Open the editor on the first entity and choose its new label; return (span id, new label)."""
    span = page.locator(".article mark.ent").first
    span_id, label = span.get_attribute("data-span-id") or "", span.get_attribute("data-label")
    new = page_steps.FLIP[1] if label == page_steps.FLIP[0] else page_steps.FLIP[0]
    page_steps.open_editor(page, span_id)
    time.sleep(READ_PAUSE)
    page_steps.choose_label(page, new)
    return span_id, new


def _read_and_correct(reader: Reader, url: str, deadline: float) -> None:
    """Loop until ``deadline``: reload, click the first entity, relabel it, time the save."""
    try:
        with browser.chromium() as chromium, browser.fresh_page(chromium) as page:
            page.set_default_timeout(STEP_TIMEOUT_MS)
            while time.monotonic() < deadline:
                reader.reloads.append(browser.load(page, url, "ready")["ready"])
                time.sleep(READ_PAUSE)
                try:
                    span_id, new = _pick(page)
                except PlaywrightError:  # the list or the span was redrawn under the click: start again
                    reader.retried += 1
                    continue
                reader.saves.append(page_steps.save_label(page, span_id, new, chosen=True))
                reader.last_shown = (span_id, new)
                time.sleep(READ_PAUSE)
    except Exception as error:  # a reader that fails is reported, and the others go on
        reader.error = f"{type(error).__name__}: {str(error).splitlines()[0][:100]}"


def _on_disk(reader: Reader, annotations: Path, text: str) -> str:
    """Return what is missing on disk for this reader's saves ("" when every save is there)."""
    saved = len(read_log(AnnotationStore(annotations).log_path(reader.article_id)))
    if saved != len(reader.saves):
        return f"{reader.article_id}: {len(reader.saves)} saves shown, {saved} in the edit log"
    if reader.last_shown:
        span_id, label = reader.last_shown
        rows = AnnotationStore(annotations).load(reader.article_id, text).rows
        found = rows.loc[rows["span_id"] == span_id, "label"].tolist()
        if found != [label]:
            return f"{reader.article_id}: {span_id} is {found} on disk, {label} in the text"
    return ""


def _prioritise(pid: int) -> bool:
    """Give every thread of the server ``SERVER_NICE`` (threads it starts later inherit it); return
    whether the system allowed it."""
    try:
        for thread in psutil.Process(pid).threads():
            try:
                os.setpriority(os.PRIO_PROCESS, thread.id, SERVER_NICE)  # on Linux a nice value is per thread
            except ProcessLookupError:  # the thread ended in between
                continue
    except PermissionError:
        return False
    return True


def measure(readers: int, duration: float) -> tuple[list[Reader], list[str], list[float], bool]:
    """Return the readers, the problems found on disk, the load averages sampled during the run, and
    whether the server ran ahead of the browsers."""
    texts = dict(list(development_texts().items())[:readers])
    with browser.app_server({f"{article_id}.txt": text for article_id, text in texts.items()}) as server:
        prioritised = _prioritise(server.pid)
        # Parse every article once first (each reader's first visit would otherwise queue behind nine parses).
        with browser.chromium() as chromium:
            for article_id in texts:
                with browser.fresh_page(chromium) as page:
                    browser.load(page, f"{server.url}/?article={article_id}", "ready")
        team = [Reader(article_id) for article_id in texts]
        deadline = time.monotonic() + duration
        threads = [
            threading.Thread(
                target=_read_and_correct,
                args=(reader, f"{server.url}/?article={reader.article_id}", deadline),
            )
            for reader in team
        ]
        loads = []
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            loads.append(os.getloadavg()[0])
            time.sleep(5)
        problems = [
            problem
            for reader in team
            if (problem := _on_disk(reader, server.annotations_dir, texts[reader.article_id]))
        ]
    return team, problems, loads, prioritised


def run(quick: bool = False) -> list[Result]:
    """Return the readers rows: Save → shown over every save, reloads, and whether every save is on disk."""
    readers, duration = (3, 30.0) if quick else (READERS, DURATION)
    team, problems, loads, prioritised = measure(readers, duration)
    saves = [value for reader in team for value in reader.saves]
    reloads = [value for reader in team for value in reader.reloads]
    load = f"{statistics.mean(loads):.1f}" if loads else ""
    failed = [f"{reader.article_id}: {reader.error}" for reader in team if reader.error]
    shown = median(saves) if saves else float("inf")
    retried = sum(reader.retried for reader in team)
    about = (
        f"{readers} readers, {duration:.0f} s, {READ_PAUSE:.0f} s looking after each step, {len(saves)} saves, "
        f"{retried} picks tried again, "
        + (
            f"server at nice {SERVER_NICE} over the browsers"
            if prioritised
            else "server and browsers at one priority"
        )
    )
    rows = [
        Result(
            NAME,
            f"Save label → new label in the text, median of every save ({about})",
            seconds(shown),
            f"< {SAVE_GOAL:.0f} s",
            verdict(shown < SAVE_GOAL),
            load,
        ),
        Result(
            NAME,
            "… slowest reader's median / 90th percentile of every save",
            _slowest(team, saves),
            load=load,
        ),
        Result(
            NAME,
            f"reload until text and charts drawn, median of {len(reloads)}",
            seconds(median(reloads)) if reloads else "none",
            load=load,
        ),
        Result(
            NAME,
            "every save on disk (edit log entries and the last label, per article)",
            "yes" if not problems and not failed else "; ".join(problems + failed)[:300],
            "all",
            verdict(not problems and not failed and bool(saves)),
            load,
        ),
    ]
    return rows


def _slowest(team: list[Reader], saves: list[float]) -> str:
    if not saves:
        return "none"
    slowest = max(median(reader.saves) for reader in team if reader.saves)
    tenth = statistics.quantiles(saves, n=10)[-1] if len(saves) > 1 else saves[0]
    return f"{seconds(slowest)} / {seconds(tenth)}"
