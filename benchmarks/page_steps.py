"""What a reader does on our page, each step timed inside the page from the click to what it should show.

Each step waits afterwards until the script has finished, so the next one starts on a quiet page.
Times are seconds from the click (recorded by the milestone script's capture listener) to the first
animation frame on which the step's condition holds.
"""

from __future__ import annotations

import re
from collections import Counter

from playwright.sync_api import Page

from benchmarks import browser
from components.views.labels import label_name
from tests.servers import ARTICLE_LISTENING, SCRIPT_FINISHED

# Labels a correction flips between: the span's label becomes the other one, and Undo brings it back.
FLIP = ("PERSON", "ORG")
PILLS = '[data-testid="stButtonGroup"] button'


def _watch(page: Page, name: str, condition: str, *args: str) -> None:
    """Start recording milestone ``name``: the first frame on which JS ``condition(...args)`` holds."""
    page.evaluate(f"(args) => window.__bench.watch({name!r}, () => ({condition})(...args))", list(args))


def _timed_click(page: Page, name: str, condition: str, args: tuple[str, ...], click) -> float:
    """Return the seconds from ``click()`` to ``condition``; then wait for the script to finish."""
    _watch(page, name, condition, *args)
    _watch(
        page,
        f"{name}_settled",
        f"(finished) => window.__bench.{name} !== undefined && document.querySelector(finished)",
        SCRIPT_FINISHED,
    )
    click()
    page.wait_for_function(
        f"() => window.__bench.{name}_settled !== undefined", timeout=browser.PAGE_TIMEOUT_MS
    )
    marks = browser.milestones(page)
    return marks[name] - marks["click"]


def _label_is(span_id: str, label: str) -> tuple[str, tuple[str, ...]]:
    return (
        "(spanId, label) => document.querySelector(`.article [data-span-id='${spanId}']`)?.dataset.label === label",
        (span_id, label),
    )


def choose_entity(page: Page) -> tuple[str, str]:
    """Return the id and label of the first PERSON or ORG entity in the text: the span every run corrects."""
    span = page.locator(".article mark.ent[data-label='PERSON'], .article mark.ent[data-label='ORG']").first
    span_id, label = span.get_attribute("data-span-id"), span.get_attribute("data-label")
    if not span_id or not label:
        raise RuntimeError("the article has no PERSON or ORG entity to correct")
    return span_id, label


def choose_filter_label(page: Page, keep: set[str]) -> str:
    """Return the most frequent entity label in the text that is not in ``keep``: the one a run hides."""
    labels = page.eval_on_selector_all(".article mark.ent", "marks => marks.map(mark => mark.dataset.label)")
    counts = Counter(label for label in labels if label not in keep)
    if not counts:
        raise RuntimeError("the text has no label to hide")
    return counts.most_common(1)[0][0]


def open_editor(page: Page, span_id: str) -> float:
    """Return the seconds from a click on the span in the text to the "Correct" tab showing it."""
    condition = """(spanId) => document.querySelector(`.article [data-span-id="${spanId}"].marked`)
        && [...document.querySelectorAll('[role="tab"][aria-selected="true"]')]
            .some(tab => tab.textContent.includes('Correct'))"""
    page.wait_for_selector(ARTICLE_LISTENING)  # a click on the text before its handlers are there is lost
    return _timed_click(
        page,
        "editor",
        condition,
        (span_id,),
        lambda: page.locator(f'.article mark.ent[data-span-id="{span_id}"]').first.click(),
    )


def choose_label(page: Page, label: str) -> None:
    """Choose ``label`` in the editor's label list (nothing is saved yet)."""
    box = page.get_by_role("combobox", name="Label")
    box.click()
    box.fill(label)
    page.get_by_role("option", name=label_name(label), exact=True).click()


def save_label(page: Page, span_id: str, label: str, chosen: bool = False) -> float:
    """Return the seconds from clicking "Save label" (``label`` chosen first unless ``chosen``) to the
    new label in the text."""
    if not chosen:
        choose_label(page, label)
    condition, args = _label_is(span_id, label)
    return _timed_click(
        page, "label_shown", condition, args, lambda: page.get_by_role("button", name="Save label").click()
    )


def hide_label(page: Page, label: str) -> float:
    """Return the seconds from a click on ``label``'s filter pill to the text redrawn without it."""
    pill = page.locator(PILLS, has_text=re.compile(rf"^{re.escape(label_name(label))} · "))
    return _timed_click(
        page,
        "filtered",
        "(label) => document.querySelector('.article p') "
        "&& !document.querySelector(`.article [data-label='${label}']`)",
        (label,),
        lambda: pill.click(),
    )


def undo(page: Page, span_id: str, label: str) -> float:
    """Return the seconds from clicking "Undo last correction" to the span's old ``label`` back in the text."""
    condition, args = _label_is(span_id, label)
    return _timed_click(
        page,
        "undone",
        condition,
        args,
        lambda: page.get_by_role("button", name="Undo last correction").click(),
    )


def correct_and_undo(page: Page, span_id: str, label: str, hidden: str) -> dict[str, float]:
    """Return the timings of one reader's round: open the span, relabel it, hide a label, undo."""
    other = FLIP[1] if label == FLIP[0] else FLIP[0]
    return {
        "editor": open_editor(page, span_id),
        "label_shown": save_label(page, span_id, other),
        "filtered": hide_label(page, hidden),
        "undone": undo(page, span_id, label),
    }
