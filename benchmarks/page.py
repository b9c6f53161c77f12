"""Page readiness on a warm server: the bundled article with its charts, and a label correction shown.

One server serves the bundled article; a first visit (not counted) loads the model and parses the
article, as any reader after a restart would. Then each run is a new reader (a new browser context):

1. navigation to the app's default page until the script has finished, the article is there and
   the Overview tab's charts have drawn (``ready``);
2. a click on an entity in the text until the "Correct" tab shows it (``editor``);
3. a new label chosen and "Save label" clicked until the mark's ``data-label`` is the new label
   (``label shown``) and until the script has finished (``settled``).

The same entity ("Lavrov", which the model calls ORG) flips between PERSON and ORG, so every run
makes a real change.
"""

from __future__ import annotations

from playwright.sync_api import Page

from benchmarks import browser
from benchmarks.report import Result, median, seconds, spread, verdict
from tests.conftest import BUNDLED_ARTICLE
from tests.servers import SCRIPT_FINISHED

NAME = "page"
READY_GOAL = 2.0  # seconds
CORRECTION_GOAL = 0.5  # seconds
ENTITY = ("ORG", "Lavrov")  # the model's label and text of the entity corrected in every run


def _choose_option(page: Page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by typing it, as a reader would."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()


def _watch(page: Page, name: str, condition: str, *args: str) -> None:
    """Start recording milestone ``name``: the first frame on which JS ``condition(...args)`` holds."""
    page.evaluate(f"(args) => window.__bench.watch({name!r}, () => ({condition})(...args))", list(args))


def _since_click(page: Page, name: str) -> float:
    """Return the seconds from the last click to milestone ``name``, waiting for it."""
    page.wait_for_function(f"() => window.__bench.{name} !== undefined", timeout=browser.PAGE_TIMEOUT_MS)
    marks = browser.milestones(page)
    return marks[name] - marks["click"]


def open_editor(page: Page, span_id: str) -> float:
    """Return the seconds from a click on the span in the text to the "Correct" tab showing it."""
    _watch(
        page,
        "editor",
        """(spanId, finished) => document.querySelector(finished)
            && document.querySelector(`.article [data-span-id="${spanId}"].marked`)
            && [...document.querySelectorAll('[role="tab"][aria-selected="true"]')]
                .some(tab => tab.textContent.includes('Correct'))""",
        span_id,
        SCRIPT_FINISHED,
    )
    page.locator(f'.article mark.ent[data-span-id="{span_id}"]').click()
    return _since_click(page, "editor")


def save_label(page: Page, span_id: str, label: str) -> tuple[float, float]:
    """Return the seconds from clicking "Save label" to the new label in the text, and to the script done."""
    _choose_option(page, "Label", label)
    _watch(
        page,
        "label_shown",
        "(spanId, label) => document.querySelector(`.article [data-span-id='${spanId}']`)"
        "?.dataset.label === label",
        span_id,
        label,
    )
    _watch(
        page,
        "settled",
        "(finished) => window.__bench.label_shown !== undefined && document.querySelector(finished)",
        SCRIPT_FINISHED,
    )
    page.get_by_role("button", name="Save label").click()
    return _since_click(page, "label_shown"), _since_click(page, "settled")


def _entity_span_id(page: Page) -> str:
    label, text = ENTITY
    span = page.locator(f'.article mark.ent[data-label="{label}"]', has_text=text).first
    span_id = span.get_attribute("data-span-id")
    if not span_id:
        raise RuntimeError(f"the bundled article has no {label} entity {text!r} to correct")
    return span_id


def measure(runs: int) -> dict[str, list[float]]:
    """Return each run's timings (seconds) by measure, plus the first visit's ``cold`` time."""
    times: dict[str, list[float]] = {}
    text = BUNDLED_ARTICLE.read_text(encoding="utf-8")
    with browser.app_server({BUNDLED_ARTICLE.name: text}) as server, browser.chromium() as chromium:
        with browser.fresh_page(chromium) as page:
            times["cold"] = [browser.load(page, server.url, "ready")["ready"]]
            span_id = _entity_span_id(page)
        for _ in range(runs):
            with browser.fresh_page(chromium) as page:
                marks = browser.load(page, server.url, "ready")
                current = page.locator(f'.article [data-span-id="{span_id}"]').get_attribute("data-label")
                editor = open_editor(page, span_id)
                shown, settled = save_label(page, span_id, "ORG" if current == "PERSON" else "PERSON")
            for name, value in [
                *marks.items(),
                ("editor", editor),
                ("label_shown", shown),
                ("settled", settled),
            ]:
                times.setdefault(name, []).append(value)
    return times


def run(quick: bool = False) -> list[Result]:
    """Return the page rows of the results table."""
    runs = 2 if quick else 7
    times = measure(runs)
    ready, shown = median(times["ready"]), median(times["label_shown"])
    of = f"median of {runs}"
    return [
        Result(NAME, "first visit after server start (model load + parse; once)", seconds(times["cold"][0])),
        Result(
            NAME,
            f"bundled article ready: script done, text and charts drawn ({of})",
            seconds(ready),
            f"< {READY_GOAL:.0f} s",
            verdict(ready < READY_GOAL),
        ),
        Result(
            NAME,
            "milestones: script started / article in page / script finished",
            " / ".join(seconds(median(times[name])) for name in ("running", "article", "finished")),
        ),
        Result(NAME, "… range of ready over the runs", spread(times["ready"])),
        Result(NAME, f"click on an entity → Correct tab shows it ({of})", seconds(median(times["editor"]))),
        Result(
            NAME,
            f"Save label → new label in the text ({of})",
            seconds(shown),
            f"< {CORRECTION_GOAL} s",
            verdict(shown < CORRECTION_GOAL),
        ),
        Result(NAME, f"Save label → script finished ({of})", seconds(median(times["settled"]))),
    ]
