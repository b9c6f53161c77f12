"""Files in and out in a real browser: every download delivers on every click; an import previews, applies, undoes.

Each button of the article page and of the desk is clicked 10 times, across reruns (tab switches,
reloads), corrections made in the page and corrections saved meanwhile by another session. Every
click must give a file within the timeout, and each file must hold the corrections made so far.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
import spacy
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect
from spacy.tokens import DocBin

from components.annotations.csv_codec import decode_table
from components.annotations.schema import COLUMNS
from components.annotations.store import AnnotationStore
from components.config import PROJECT_ROOT
from components.views.labels import label_name
from tests.conftest import BUNDLED_ARTICLE
from tests.servers import SCRIPT_FINISHED, streamlit_server
from tests.test_browser import (  # noqa: F401
    browser,
    choose_option,
    close_dialog,
    open_article,
    open_dialog,
    wait_for_rerun,
)

pytestmark = pytest.mark.browser

ARTICLE_ID = BUNDLED_ARTICLE.stem
TEXT = BUNDLED_ARTICLE.read_text(encoding="utf-8")
ROUNDS = 10
INTERCHANGE = PROJECT_ROOT / "tests" / "data" / "interchange"
# The page relabels "Lavrov" (ORG at first); another session relabels the first "Aleppo".
PAGE_LABELS = ("PERSON", "GPE", "LOC", "NORP", "ORG")
OTHER_LABELS = ("LOC", "FAC", "GPE", "ORG", "NORP", "LOC", "FAC", "GPE", "ORG", "NORP")
ARTICLE_BUTTONS = ("Download CSV", "Download JSONL", "Download .spacy", "Download for Excel (.xlsx)")
CORPUS_BUTTONS = (
    "Download corpus CSV",
    "Download corpus JSONL",
    "Download corpus .spacy",
    "Download for Excel (.xlsx)",
    "Download edit log",
)
CLICK_TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def server(root: Path) -> Iterator[str]:
    articles = root / "articles"
    articles.mkdir()
    (articles / BUNDLED_ARTICLE.name).write_bytes(BUNDLED_ARTICLE.read_bytes())
    (articles / "talks.txt").write_bytes((INTERCHANGE / "article.txt").read_bytes())
    env = {"ARTICLES_DIR": str(articles), "ANNOTATIONS_DIR": str(root / "annotations")}
    with streamlit_server(env, root / "streamlit.log") as url:
        yield url


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1500, "height": 1100}, accept_downloads=True)
    opened = context.new_page()
    yield opened
    context.close()


def span(text: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(text, start + 1)
    return start, start + len(text)


ALEPPO = span("Aleppo")


def labels_in_file(name: str, data: bytes) -> dict[tuple[int, int], str]:
    """Return the active label of each entity span of the bundled article in a downloaded file."""
    if name.endswith("CSV"):
        table = decode_table(data)
    elif "xlsx" in name:
        rows = list(load_workbook(io.BytesIO(data))["annotations"].iter_rows(values_only=True))
        table = [dict(zip(COLUMNS, ("" if v is None else v for v in row), strict=False)) for row in rows[1:]]
        return {
            (int(r["start"]), int(r["end"])): str(r["label"])
            for r in table
            if r["kind"] == "entity" and r["status"] == "active" and r["article_id"] == ARTICLE_ID
        }
    elif "JSONL" in name:
        task = next(
            t for t in map(json.loads, data.decode().splitlines()) if t["meta"]["article_id"] == ARTICLE_ID
        )
        return {(s["start"], s["end"]): s["label"] for s in task["spans"] if s["label"] != "QUOTE"}
    else:
        docs = DocBin().from_bytes(data).get_docs(spacy.blank("en").vocab)
        doc = next(d for d in docs if d.user_data["article_id"] == ARTICLE_ID)
        return {(e.start_char, e.end_char): e.label_ for e in doc.ents}
    entities = table[
        (table["kind"] == "entity") & (table["status"] == "active") & (table["article_id"] == ARTICLE_ID)
    ]
    return {
        (int(s), int(e)): str(label)
        for s, e, label in zip(entities["start"], entities["end"], entities["label"], strict=True)
    }


class Tally:
    """Clicks, files received, and files that hold the current state, per button."""

    def __init__(self) -> None:
        self.clicks: Counter[str] = Counter()
        self.received: Counter[str] = Counter()
        self.current: Counter[str] = Counter()

    def click(self, page: Page, name: str, check: Callable[[bytes], bool]) -> None:
        self.clicks[name] += 1
        try:
            with page.expect_download(timeout=CLICK_TIMEOUT_MS) as info:
                page.get_by_role("button", name=name, exact=True).click()
            data = Path(info.value.path()).read_bytes()
        except Exception:  # a click that gives no file is what this test counts
            return
        self.received[name] += 1
        self.current[name] += bool(check(data))

    def report(self, where: str) -> str:
        return "; ".join(
            f"{where} {name}: {self.clicks[name]} clicks, {self.received[name]} files, "
            f"{self.current[name]} current"
            for name in self.clicks
        )


def save_elsewhere(root: Path, label: str) -> None:
    """Relabel the first "Aleppo" as another session would, through the store."""
    store = AnnotationStore(root / "annotations")
    loaded = store.load(ARTICLE_ID, TEXT)
    row = dict.fromkeys(COLUMNS, "") | {
        "article_id": ARTICLE_ID,
        "span_id": f"e-{ALEPPO[0]}-{ALEPPO[1]}",
        "kind": "entity",
        "start": ALEPPO[0],
        "end": ALEPPO[1],
        "text": "Aleppo",
        "label": label,
        "source": "human",
        "status": "active",
    }
    store.save(ARTICLE_ID, TEXT, pd.DataFrame([row]), loaded.version, "colleague")


def relabel_in_page(page: Page, where: tuple[int, int], label: str) -> None:
    mark = page.locator(f'.article [data-span-id="e-{where[0]}-{where[1]}"]').first
    mark.click()
    wait_for_rerun(page)
    choose_option(page, "Label", label_name(label))  # the picker shows "Person (PERSON)"
    page.get_by_role("button", name="Save label").click()
    wait_for_rerun(page)
    expect(mark).to_have_attribute("data-label", label)


def test_every_article_download_delivers_the_current_state_on_every_click(
    page: Page, server: str, root: Path
) -> None:
    open_article(page, server)
    # The model's ORG "Lavrov", which the page relabels.
    span_id = page.locator('.article mark.ent[data-label="ORG"]', has_text="Lavrov").first.get_attribute(
        "data-span-id"
    )
    lavrov = tuple(int(offset) for offset in str(span_id).split("-")[1:])
    tally, saves = Tally(), 0
    for round_ in range(ROUNDS):
        page_label, other_label = PAGE_LABELS[round_ % len(PAGE_LABELS)], OTHER_LABELS[round_]
        save_elsewhere(root, other_label)
        saves += 1
        if round_ % 2 == 0:
            page.get_by_role("tab", name="Correct").click()  # a tab switch reruns and reloads the file
            wait_for_rerun(page)
            relabel_in_page(page, lavrov, page_label)
            saves += 1
        else:
            page.reload()
            page.wait_for_selector(SCRIPT_FINISHED, timeout=120_000)
        expected = {lavrov: PAGE_LABELS[(round_ - round_ % 2) % len(PAGE_LABELS)], ALEPPO: other_label}
        open_dialog(page, "Download the annotations…")
        for name in ARTICLE_BUTTONS:
            tally.click(page, name, holds_labels(name, expected))
        close_dialog(page)
        page.get_by_role("tab", name="History").click()
        wait_for_rerun(page)
        tally.click(page, "Download edit log", holds_saves(saves))
    print(tally.report("article"))
    assert all(tally.received[name] == ROUNDS for name in (*ARTICLE_BUTTONS, "Download edit log")), (
        tally.report("article")
    )
    assert all(tally.current[name] == ROUNDS for name in tally.clicks), tally.report("article")


def holds_labels(name: str, expected: dict[tuple[int, int], str]) -> Callable[[bytes], bool]:
    """Return a check that a file downloaded by button ``name`` gives these spans these labels."""

    def check(data: bytes) -> bool:
        labels = labels_in_file(name, data)
        return all(labels.get(where) == label for where, label in expected.items())

    return check


def holds_saves(saves: int) -> Callable[[bytes], bool]:
    """Return a check that a downloaded edit log holds exactly ``saves`` changes."""

    def check(data: bytes) -> bool:
        rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        return len({row["change_id"] for row in rows}) == saves

    return check


def test_every_corpus_download_delivers_the_current_state_on_every_click(
    page: Page, server: str, root: Path
) -> None:
    tally = Tally()
    for round_ in range(ROUNDS):
        label = OTHER_LABELS[(round_ + 3) % len(OTHER_LABELS)]
        save_elsewhere(root, label)
        if round_ % 2 == 0 or round_ == 0:
            page.goto(f"{server}/desk")  # a new session
        else:
            page.reload()
        page.wait_for_selector(SCRIPT_FINISHED, timeout=120_000)
        expect(page.get_by_role("button", name="Download corpus CSV")).to_be_visible(timeout=60_000)
        saves = len(AnnotationStore(root / "annotations").history(ARTICLE_ID)["change_id"].unique())
        for name in CORPUS_BUTTONS:
            check = holds_saves(saves) if name == "Download edit log" else holds_labels(name, {ALEPPO: label})
            tally.click(page, name, check)
    print(tally.report("desk"))
    assert all(tally.received[name] == ROUNDS for name in CORPUS_BUTTONS), tally.report("desk")
    assert all(tally.current[name] == ROUNDS for name in CORPUS_BUTTONS), tally.report("desk")


def test_an_import_is_previewed_applied_as_one_change_and_undone(page: Page, server: str, root: Path) -> None:
    open_article(page, server, "talks")
    upload = open_dialog(page, "Bring corrections back in…").locator('input[type="file"]')
    upload.set_input_files(str(INTERCHANGE / "label-studio-export.json"))
    apply = page.get_by_role("button", name="Apply import (2 change(s), one undo)")
    expect(apply).to_be_visible(timeout=60_000)
    expect(page.get_by_text("1 added, 1 relabelled, 1 unchanged, 1 refused")).to_be_visible()
    expect(page.get_by_text("its text 'Genf' is not the article's text there")).to_be_visible()
    assert not (root / "annotations" / "talks.csv").exists()  # a preview writes nothing
    apply.click()
    wait_for_rerun(page)
    expect(page.get_by_text("Saved: imported label-studio-export.json (2 spans)")).to_be_visible(
        timeout=60_000
    )
    expect(page.get_by_role("dialog")).to_have_count(0)  # the import closed, the page says what it saved
    paris = page.locator('.article [data-span-id="e-13-18"]').first
    expect(paris).to_have_attribute("data-label", "LOC")
    expect(page.locator('.article mark.ent[data-label="FAC"]', has_text="Élysée Palace")).to_have_count(1)
    assert AnnotationStore(root / "annotations").history("talks")["change_id"].nunique() == 1
    page.get_by_role("button", name="Undo last correction").click()
    wait_for_rerun(page)
    expect(paris).to_have_attribute("data-label", "GPE")
    expect(page.locator('.article mark.ent[data-label="FAC"]')).to_have_count(0)
