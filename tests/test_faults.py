"""Faults at the page level: other processes writing the same article, a writer killed with SIGKILL
in the middle of a save, a lock held by another process, and a folder that refuses writes.

No correction that was reported saved is ever lost, no file is ever left half-written, and the page
(the real app, through ``AppTest``) says what happened instead of showing a traceback. The store's
own guarantees are tested in ``test_store.py``; here the writers are real processes running
``AnnotationStore`` while the page works on the same files.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.annotations.csv_codec import decode_table
from components.annotations.store import AnnotationStore
from components.config import PROJECT_ROOT
from components.ui import state
from tests import test_store
from tests.test_app_corrections import type_new_option
from tests.test_hostile_input import article_html, files_under, messages, open_page, parse_article
from tests.test_store import ARTICLE, read_only, temp_files

# Fixtures shared with test_store.py: the bundled text, that text in a file, and its worker processes.
text, text_file, workers = test_store.text, test_store.text_file, test_store.workers

# One writer process: loads and saves corrections of ARTICLE with the real store, reports each
# outcome as a JSON line, and can be made to hang at a chosen point inside its last save so that the
# test kills it there with SIGKILL.
WRITER = r"""
import json, os, sys, time
from pathlib import Path
import pandas as pd
from components.annotations.schema import COLUMNS
from components.annotations.store import AnnotationStore, ConflictError, StoreLockedError

args = json.loads(sys.argv[1])
store = AnnotationStore(Path(args["directory"]), lock_timeout=30)
text = Path(args["text_file"]).read_text(encoding="utf-8")
name = args["name"]
letters = [i for i, char in enumerate(text) if not char.isspace()]  # a span the reading view can draw

def say(**event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()

def hang():
    say(event="stuck")
    time.sleep(600)

def save(span_id, start, label):
    row = {"article_id": args["article"], "span_id": span_id, "kind": "entity", "start": start,
           "end": start + 1, "text": text[start], "label": label, "speaker": "", "country": "",
           "source": "human", "status": "active", "updated_at": ""}
    loaded = store.load(args["article"], text)
    base = loaded.version
    # What this writer saw of the span before changing it: a save must never overwrite unseen.
    seen = dict(zip(loaded.rows["span_id"], loaded.rows["label"])).get(span_id)
    try:
        result = store.save(args["article"], text, pd.DataFrame([row], columns=list(COLUMNS)), base,
                            annotator=name)
    except (ConflictError, StoreLockedError) as error:
        say(event=type(error).__name__, span_id=span_id, label=label)
        return
    say(event="saved", span_id=span_id, label=label, change_id=result.change_id, seen=seen)

def stick(where):
    if where == "log":  # half of the log line is written, then the process hangs
        write = os.write
        def torn(fd, data):
            write(fd, bytes(data)[: len(data) // 2])
            os.fsync(fd)
            hang()
        os.write = torn
    elif where == "temp":  # the log entry is written, then half of the new CSV's temp file
        fdopen = os.fdopen
        class Half:
            def __init__(self, file):
                self.file = file
            def __enter__(self):
                return self
            def __exit__(self, *exc):
                self.file.close()
            def write(self, data):
                self.file.write(data[: len(data) // 2])
                self.file.flush()
                os.fsync(self.file.fileno())
                hang()
        os.fdopen = lambda fd, *a, **k: Half(fdopen(fd, *a, **k))
    elif where == "rename":  # log entry and whole temp file written and fsynced: hang before the swap
        os.replace = lambda *a: hang()

say(event="ready")
sys.stdin.readline()  # "go": the writers start together
for i in range(args["count"]):
    if args.get("shared_every") and i % args["shared_every"] == 0:
        save("shared", 0, f"{name}-{i}")
    else:
        save(f"{name}-{i}", letters[args["offset"] + i], name)
    time.sleep(args.get("pause", 0))
if args.get("stuck"):
    stick(args["stuck"])
    save(f"{name}-stuck", letters[args["offset"] + args["count"]], name)
say(event="done")
"""


class Writer:
    """A real writer process (``WRITER``); its JSON events are read by a thread into ``events``."""

    def __init__(self, directory: Path, text_path: Path, **args: object) -> None:
        self.name = str(args["name"])
        payload = {
            "directory": str(directory),
            "text_file": str(text_path),
            "article": ARTICLE,
            "offset": 0,
            **args,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", WRITER, json.dumps(payload)],
            cwd=PROJECT_ROOT,
            env=os.environ | {"PYTHONPATH": str(PROJECT_ROOT)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.events: queue.Queue[dict] = queue.Queue()
        self.seen: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.events.put(json.loads(line))
        self.events.put({"event": "exit"})

    def expect(self, event: str, timeout: float = 60) -> dict:
        message = self.events.get(timeout=timeout)
        self.seen.append(message)
        assert message["event"] == event, (self.name, message)
        return message

    def go(self) -> None:
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def rest(self, timeout: float = 60) -> list[dict]:
        """Every further event until the process ends."""
        while (message := self.events.get(timeout=timeout))["event"] != "exit":
            self.seen.append(message)
        assert self.process.wait(timeout) in (0, -signal.SIGKILL)
        return self.seen

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)  # no cleanup code runs in the child
        assert self.process.wait(10) == -signal.SIGKILL

    def saved(self) -> list[dict]:
        return [message for message in self.seen if message["event"] == "saved"]


@pytest.fixture()
def writers(annotations_dir: Path, text_file: Path) -> Iterator[Callable[..., Writer]]:
    started: list[Writer] = []

    def start(**args: object) -> Writer:
        writer = Writer(annotations_dir, text_file, **args)
        started.append(writer)
        return writer

    yield start
    for writer in started:
        if writer.process.poll() is None:
            writer.kill()


@pytest.fixture()
def page_env(tmp_path: Path, annotations_dir: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app serving ARTICLE (the bundled text) from a folder, with corrections in ``annotations_dir``."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / f"{ARTICLE}.txt").write_text(text, encoding="utf-8")
    monkeypatch.setenv("ARTICLES_DIR", str(articles))
    monkeypatch.setenv("ANNOTATIONS_DIR", str(annotations_dir))
    monkeypatch.delenv("SPACY_MODEL", raising=False)
    return annotations_dir


def model_entities(app: AppTest) -> list[tuple[str, str]]:
    """(span_id, label) of the model's entities in the reading view, in reading order."""
    marks = [values for tag, values in parse_article(article_html(app)).elements if tag == "mark"]
    found = [
        (mark["data-span-id"], mark["data-label"]) for mark in marks if mark["data-span-id"].startswith("e-")
    ]
    return list(dict.fromkeys(found))


def labels_shown(app: AppTest) -> dict[str, str]:
    """span_id → label of every entity in the reading view."""
    return {
        values["data-span-id"]: values["data-label"]
        for tag, values in parse_article(article_html(app)).elements
        if tag == "mark"
    }


def keep_typed_label(app: AppTest) -> AppTest:
    """Keep a label typed before a refused save in the label box, as the browser does (AppTest only
    sends back options it knows)."""
    for box in app.selectbox:
        if box.key == state.LABEL_CHOICE and box.value is not None and box.value not in box.options:
            box.options.append(box.value)
    return app


def relabel(app: AppTest, span_id: str, label: str) -> AppTest:
    """Pick a span in the editor and type a new label for it, as a reader does."""
    keep_typed_label(app)
    app.selectbox(key=state.SELECTED_SPAN).set_value(span_id).run()
    type_new_option(app.selectbox(key=state.LABEL_CHOICE), label)
    return app


def save_label(app: AppTest) -> str:
    app.button(key="save_label").click().run()
    assert not app.exception, app.exception
    return messages(app)


def page_span_ids(app: AppTest) -> set[str]:
    return set(parse_article(article_html(app)).spans)


# --- several writers -----------------------------------------------------------------------------------


def wait_for_change(path: Path, before: bytes | None, timeout: float = 30) -> None:
    """Wait until another process has saved ``path`` (its bytes differ from ``before``)."""
    deadline = time.monotonic() + timeout
    while (path.read_bytes() if path.exists() else None) == before:
        assert time.monotonic() < deadline, f"{path} did not change within {timeout} s"
        time.sleep(0.01)


def test_writer_processes_and_the_page_correcting_one_article_lose_nothing_reported_saved(
    writers, page_env: Path, text: str
) -> None:
    store = AnnotationStore(page_env)
    app = open_page(ARTICLE)
    targets = [span_id for span_id, _ in model_entities(app)[:3]]
    started = [
        writers(name=f"w{k}", count=24, offset=100 + 40 * k, shared_every=4, pause=0.01) for k in range(4)
    ]
    for writer in started:
        writer.expect("ready")
    relabel(app, targets[0], f"PAGE_{targets[0]}")  # the page has loaded the file as it is now
    for writer in started:
        writer.go()
    wait_for_change(store.csv_path(ARTICLE), None)  # … and other processes save after that
    report = save_label(app)
    assert "Saved:" in report and "Kept" in report and "another reader saved meanwhile" in report, report
    for span_id in targets[1:]:  # more corrections from the page while the writers go on
        relabel(app, span_id, f"PAGE_{span_id}")
        assert "Saved:" in save_label(app)
    for writer in started:
        assert writer.rest()[-1]["event"] == "done"

    corrections = store.load(ARTICLE, text)  # a whole, valid file
    final = dict(zip(corrections.rows["span_id"], corrections.rows["label"], strict=True))
    saved = [message for writer in started for message in writer.saved()]
    assert len(saved) > 60
    for message in saved:
        if message["span_id"] != "shared":
            assert final[message["span_id"]] == message["label"], message
    for span_id in targets:
        assert final[span_id] == f"PAGE_{span_id}"
    # Every reported save is an applied change in the log; a refused one never is.
    history = store.history(ARTICLE)
    applied = set(history["change_id"])
    assert {message["change_id"] for message in saved} <= applied
    assert len(applied) == len(saved) + len(targets)
    shared = history[(history["span_id"] == "shared") & (history["field"] == "label")]
    refused = {
        m["label"] for w in started for m in w.seen if m["event"] != "saved" and m.get("span_id") == "shared"
    }
    assert not refused & set(shared["new"])
    # Each save of the shared span was made knowing the one before it: nothing was overwritten unseen.
    seen = {message["change_id"]: message["seen"] for message in saved}
    assert [seen[change_id] for change_id in shared["change_id"]] == [None, *shared["new"].tolist()[:-1]]
    assert final["shared"] == shared["new"].iloc[-1]
    assert temp_files(page_env) == []
    # The page shows every one of them after a reload.
    shown = labels_shown(app.run())
    assert {message["span_id"] for message in saved} <= set(shown)
    assert all(shown[span_id] == f"PAGE_{span_id}" for span_id in targets)


def test_the_page_is_told_when_another_process_changed_the_same_span(
    page_env: Path, text_file: Path, text: str
) -> None:
    app = open_page(ARTICLE)
    span_id, _ = model_entities(app)[0]
    relabel(app, span_id, "MINE")
    start, end = (int(part) for part in span_id.split("-")[1:])
    # Another process relabels the same span after the page loaded it.
    subprocess.run(
        [
            sys.executable,
            "-c",
            _RELABEL,
            str(page_env),
            ARTICLE,
            str(text_file),
            span_id,
            str(start),
            str(end),
        ],
        cwd=PROJECT_ROOT,
        env=os.environ | {"PYTHONPATH": str(PROJECT_ROOT)},
        check=True,
    )
    store = AnnotationStore(page_env)
    before = files_under(page_env)
    report = save_label(app)
    # Who changed which span (by its text), and that nothing was saved.
    assert report.startswith("Not saved: “") and "was changed by them" in report, report
    assert files_under(page_env) == before
    assert store.load(ARTICLE, text).rows.set_index("span_id").loc[span_id, "label"] == "THEIRS"
    # After the reload the page shows their label, and the reader's next save goes through.
    assert labels_shown(app.run())[span_id] == "THEIRS"
    relabel(app, span_id, "MINE")
    assert "Saved:" in save_label(app)
    assert store.load(ARTICLE, text).rows.set_index("span_id").loc[span_id, "label"] == "MINE"


_RELABEL = r"""
import sys
from pathlib import Path
import pandas as pd
from components.annotations.schema import COLUMNS
from components.annotations.store import AnnotationStore
directory, article, text_file, span_id, start, end = sys.argv[1:]
text = Path(text_file).read_text(encoding="utf-8")
store = AnnotationStore(Path(directory))
row = {"article_id": article, "span_id": span_id, "kind": "entity", "start": int(start), "end": int(end),
       "text": text[int(start):int(end)], "label": "THEIRS", "speaker": "", "country": "", "source": "human",
       "status": "active", "updated_at": ""}
store.save(article, text, pd.DataFrame([row], columns=list(COLUMNS)), store.load(article, text).version, "them")
"""


# --- SIGKILL in the middle of a save -------------------------------------------------------------------


@pytest.mark.parametrize("where", ["log", "temp", "rename"])
def test_a_writer_killed_mid_save_leaves_whole_files_and_the_page_carries_on(
    writers, page_env: Path, text: str, where: str
) -> None:
    store = AnnotationStore(page_env)
    writer = writers(name="victim", count=3, offset=200, stuck=where)
    writer.expect("ready")
    writer.go()
    reported = [writer.expect("saved")["span_id"] for _ in range(3)]
    csv_before = store.csv_path(ARTICLE).read_bytes()
    writer.expect("stuck")
    writer.kill()
    assert store.csv_path(ARTICLE).read_bytes() == csv_before  # the old file, whole
    # The crash left what it would at that point: a torn log line, half a temp file, or a whole one.
    left = [(page_env / name).read_bytes() for name in temp_files(page_env)]
    if where == "log":
        assert left == [] and not store.log_path(ARTICLE).read_bytes().endswith(b"\n")
    elif where == "temp":
        assert len(left) == 1 and 0 < len(left[0]) < len(csv_before)
    else:
        assert len(left) == 1 and set(decode_table(left[0])["span_id"]) == {*reported, "victim-stuck"}

    app = open_page(ARTICLE)
    assert not app.error, messages(app)
    shown = page_span_ids(app)
    assert set(reported) <= shown and "victim-stuck" not in shown
    app.session_state[state.SIDE_TABS] = state.SIDE_TAB_NAMES[3]  # History
    app.run()
    history = next(frame.value for frame in app.dataframe if "change_id" in frame.value.columns)
    assert set(history["span_id"]) == set(reported)  # the killed save is not in the history

    app.session_state[state.SIDE_TABS] = state.CORRECT_TAB
    app.run()
    span_id, _ = model_entities(app)[0]
    relabel(app, span_id, "AFTER_CRASH")
    assert "Saved:" in save_label(app)
    assert temp_files(page_env) == []  # the next save cleared what the crash left
    lines = store.log_path(ARTICLE).read_bytes().splitlines()
    assert json.loads(lines[-1])["changes"][0]["span_id"] == span_id  # a whole line after the torn one
    saved = decode_table(store.csv_path(ARTICLE).read_bytes())
    assert set(saved["span_id"]) == {*reported, span_id}
    # Undo in the page reverts the page's correction, and nothing the crash left behind.
    app.button(key=state.UNDO_BUTTON).click().run()
    assert not app.exception and "Undone" in messages(app), messages(app)
    assert set(decode_table(store.csv_path(ARTICLE).read_bytes())["span_id"]) == set(reported)


# --- a lock held by another process --------------------------------------------------------------------


def test_a_lock_held_by_another_process_is_reported_and_nothing_is_written(
    workers, page_env: Path, text: str
) -> None:
    app = open_page(ARTICLE)
    span_id, _ = model_entities(app)[0]
    relabel(app, span_id, "FIRST")
    assert "Saved:" in save_label(app)
    before = files_under(page_env)
    holder = workers(mode="hold_lock", name="holder")  # tests.test_store's worker: holds the article's lock
    holder.expect("locked")
    relabel(app, span_id, "SECOND")
    started = time.monotonic()
    report = save_label(app)
    assert "being saved by another session" in report and "Nothing was saved" in report, report
    assert time.monotonic() - started < 30
    assert files_under(page_env) == before
    assert labels_shown(app)[span_id] == "FIRST"
    holder.kill()  # the kernel drops a dead process's lock
    relabel(app, span_id, "SECOND")
    assert "Saved:" in save_label(app)
    assert AnnotationStore(page_env).load(ARTICLE, text).rows["label"].tolist() == ["SECOND"]


# --- a folder that refuses writes ----------------------------------------------------------------------


def test_a_read_only_annotations_folder_is_reported_in_the_page_and_nothing_changes(
    page_env: Path, text: str
) -> None:
    app = open_page(ARTICLE)
    span_id, _ = model_entities(app)[0]
    relabel(app, span_id, "BEFORE")
    assert "Saved:" in save_label(app)
    before = files_under(page_env)
    with read_only(page_env) as reason:
        relabel(app, span_id, "REFUSED")
        report = save_label(app)
        assert "could not be saved" in report and reason in report, report
        assert "previous file is unchanged" in report
        assert labels_shown(app)[span_id] == "BEFORE"
        keep_typed_label(app).button(key=state.UNDO_BUTTON).click().run()
        assert not app.exception and "could not be saved" in messages(app), messages(app)
        # Adding an article needs the folder too: refused with a message, the page stays as it was.
        keep_typed_label(app).button(key=state.OPEN_ARTICLE).click().run()
        app.file_uploader(key=state.UPLOADER).upload("new.txt", b"Angela Merkel visited Paris.", "text/plain")
        keep_typed_label(app).run()
        assert not app.exception, app.exception
        assert "could not be stored" in messages(app) and reason in messages(app)
        assert app.query_params[state.ARTICLE_PARAM] == ARTICLE
        assert files_under(page_env) == before
    assert files_under(page_env) == before
    relabel(app, span_id, "AFTER")
    assert "Saved:" in save_label(app)
    assert AnnotationStore(page_env).load(ARTICLE, text).rows["label"].tolist() == ["AFTER"]


def test_marking_an_article_reviewed_on_a_read_only_folder_is_reported(page_env: Path) -> None:
    app = open_page(ARTICLE)
    before = files_under(page_env)
    with read_only(page_env) as reason:
        app.toggle(key=state.REVIEWED_TOGGLE).set_value(True).run()
        assert not app.exception, app.exception
        assert reason in messages(app), messages(app)
    assert files_under(page_env) == before
