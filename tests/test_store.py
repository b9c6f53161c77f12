"""The correction store with real files and real processes: validation, atomicity, locking, merging, undo."""

from __future__ import annotations

import array
import errno
import fcntl
import functools
import json
import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import os
import resource
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path

import pandas as pd
import pytest
from filelock import FileLock

import components.annotations.correction_file as correction_file
import components.annotations.store as store_module
from components.annotations.csv_codec import encode_records
from components.annotations.schema import COLUMNS
from components.annotations.store import (
    AnnotationFileError,
    AnnotationStore,
    ConflictError,
    InvalidRowsError,
    StoreLockedError,
    StoreWriteError,
)
from components.config import PROJECT_ROOT

ARTICLE = "aleppo"

# --- helpers ---------------------------------------------------------------------------------------


def row(text: str, span_id: str, start: int, end: int, label: str = "GPE", **extra: str) -> dict:
    values = dict.fromkeys(COLUMNS, "") | {
        "article_id": ARTICLE,
        "span_id": span_id,
        "kind": "entity",
        "start": start,
        "end": end,
        "text": text[start:end],
        "label": label,
        "speaker": "",
        "country": "",
        "source": "human",
        "status": "active",
        "updated_at": "",
    }
    return values | extra


def rows(*items: dict) -> pd.DataFrame:
    return pd.DataFrame(list(items), columns=list(COLUMNS))


def span_of(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def temp_files(directory: Path) -> list[str]:
    return sorted(name for name in os.listdir(directory) if name.endswith(".tmp"))


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        path.name: path.read_bytes()
        for path in sorted(directory.iterdir())
        if not path.name.endswith(".lock")
    }


@pytest.fixture()
def text(bundled_text: str) -> str:
    return bundled_text


@pytest.fixture()
def store(annotations_dir: Path) -> AnnotationStore:
    return AnnotationStore(annotations_dir, lock_timeout=5)


@pytest.fixture()
def text_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    return path


# --- worker processes ------------------------------------------------------------------------------
#
# Real child processes from multiprocessing's forkserver: the server imports this module (pandas,
# the store) once, then forks each worker in milliseconds, so the tests can afford many processes.
# Workers talk to the test with JSON-like dicts over a Pipe and are killed with a real SIGKILL.


# The os functions by which the store and its lock create, write, sync, rename and remove files: the
# points at which a save can be stopped (``_watch_file_calls``). Named by system call, not by our
# functions, so the points stay the same however the store's code is arranged.
_FILE_CALLS = ("open", "mkdir", "write", "fsync", "ftruncate", "truncate", "replace", "rename", "unlink")


def _watch_file_calls(conn: Connection, stop: list | None) -> list[str]:
    """In a worker: wrap the os functions that change files, and return the list their calls go into.

    With ``stop = [k, "before" | "after"]`` the k-th call from now (from 0) sends ``stopped`` and
    hangs, before or after the call runs, so that the test kills the process at exactly that point.
    """
    calls: list[str] = []

    def watched(name: str, call: Callable[..., object]) -> Callable[..., object]:
        def wrapper(*args: object, **kwargs: object) -> object:
            index = len(calls)
            calls.append(name)
            if stop == [index, "before"]:
                hang(index)
            try:
                return call(*args, **kwargs)
            finally:  # also after a call that failed (``mkdir`` of a folder that exists)
                if stop == [index, "after"]:
                    hang(index)

        return wrapper

    def hang(index: int) -> None:
        # Connection.send writes with its own reference to os.write, so it is not watched itself.
        conn.send({"event": "stopped", "at": f"{stop[1]} call {index} ({calls[index]})"})
        time.sleep(600)

    for name in _FILE_CALLS:
        setattr(os, name, watched(name, getattr(os, name)))
    return calls


def _worker(conn: Connection, args: dict) -> None:
    """Run one worker mode in a child process (see ``Worker``)."""
    store = AnnotationStore(Path(args["directory"]), lock_timeout=args.get("lock_timeout", 20))
    text = Path(args["text_file"]).read_text(encoding="utf-8")
    name, mode = args["name"], args["mode"]

    def save(span_id: str, start: int, base: str | None) -> store_module.SaveResult:
        return store.save(
            ARTICLE, text, rows(row(text, span_id, start, start + 1, label=name)), base, annotator=name
        )

    if mode == "hold_lock":
        lock = FileLock(store.lock_path(ARTICLE))  # keep a reference: a collected FileLock releases itself
        lock.acquire()
        conn.send({"event": "locked"})
        time.sleep(600)
    if mode == "slow_replace":

        def stuck_replace(
            *_args: object,
        ) -> None:  # log entry and temp CSV written and fsynced: hang before the swap
            conn.send({"event": "replacing"})
            time.sleep(600)

        store_module.os.replace = stuck_replace
    conn.send({"event": "ready"})
    conn.recv()  # "go": starts several workers at the same moment

    if mode == "saves":  # distinct span_ids, each save from the version this worker last saw (often stale)
        base = store.load(ARTICLE, text).version
        for i in range(args["count"]):
            span_id = f"{name}-{i}"
            try:
                result = save(span_id, i % (len(text) - 1), base)
            except (ConflictError, StoreLockedError) as error:
                conn.send({"event": type(error).__name__, "span_id": span_id, "message": str(error)})
                continue
            base = result.version
            conn.send({"event": "saved", "span_id": span_id, "merged": len(result.merged_span_ids)})
    elif mode == "race":  # each round: both workers load, then save the SAME span_id with their own label
        for round_ in range(args["rounds"]):
            base = store.load(ARTICLE, text).version
            conn.send({"event": "loaded", "round": round_})
            conn.recv()
            try:
                save(f"same-{round_}", round_, base)
                conn.send({"event": "ok", "round": round_})
            except ConflictError as error:
                conn.send({"event": "conflict", "round": round_, "message": str(error)})
    elif mode == "slow_replace":
        save("stuck", 0, store.load(ARTICLE, text).version)
    elif mode == "stop_in_save":  # a few saves, then one stopped at a chosen file call (or only traced)
        for i in range(args["count"]):
            save(f"{name}-{i}", 10 * i, store.load(ARTICLE, text).version)
            conn.send({"event": "saved", "span_id": f"{name}-{i}"})
        base = store.load(ARTICLE, text).version
        calls = _watch_file_calls(conn, args.get("stop"))
        save(f"{name}-last", 10 * args["count"], base)
        conn.send({"event": "saved", "span_id": f"{name}-last", "calls": calls})
    elif (
        mode == "file_size_limit"
    ):  # a real write failure that works as root: the kernel refuses to grow files
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG from write() instead of being killed
        for limit in args["limits"]:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
            try:
                save(f"limit-{limit}", 0, store.load(ARTICLE, text).version)
                conn.send({"event": "saved", "limit": limit})
            except StoreWriteError as error:
                conn.send({"event": "write_error", "limit": limit, "message": str(error)})
    conn.send({"event": "done"})


@functools.cache
def _forkserver() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["components.annotations.store", "pytest"])
    # The server does not get our sys.path (Python < 3.13), only the environment: let it find `components`.
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), saved]))
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved
    return context


class Worker:
    """A real child process running ``_worker``; ``expect``/``send`` talk to it over a pipe."""

    def __init__(self, directory: Path, text_file: Path, **args: object) -> None:
        context = _forkserver()
        self.conn, child_end = context.Pipe()
        args = {"directory": str(directory), "text_file": str(text_file), **args}
        self.process = context.Process(target=_worker, args=(child_end, args), daemon=True)
        self.process.start()
        child_end.close()  # so that recv() sees EOF once the child is gone

    def read(self, timeout: float = 30) -> dict | None:
        """The next message, None once the worker has ended and every message was read."""
        if not self.conn.poll(timeout):
            raise AssertionError(f"worker sent nothing for {timeout} s")
        try:
            return self.conn.recv()
        except EOFError:
            return None

    def expect(self, event: str, timeout: float = 30) -> dict:
        message = self.read(timeout)
        assert message is not None, (
            f"worker ended (exit code {self.process.join(5) or self.process.exitcode}) before {event!r}"
        )
        assert message["event"] == event, message
        return message

    def send(self, message: str = "go") -> None:
        self.conn.send(message)

    def rest(self, timeout: float = 60) -> list[dict]:
        """All further messages until the worker ends."""
        messages = []
        while (message := self.read(timeout)) is not None:
            messages.append(message)
        self.process.join(timeout)
        assert self.process.exitcode in (0, -signal.SIGKILL), self.process.exitcode
        return messages

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no cleanup code runs in the child
        self.process.join(10)
        assert self.process.exitcode == -signal.SIGKILL

    def close(self) -> None:
        if self.process.is_alive():
            # A worker that has sent its last message may end by itself between the check and the
            # kill; either way it is gone without running cleanup code of ours.
            self.process.kill()
            self.process.join(10)
            assert self.process.exitcode in (0, -signal.SIGKILL), self.process.exitcode
        self.conn.close()


@pytest.fixture()
def workers(annotations_dir: Path, text_file: Path):
    started: list[Worker] = []

    def start(**args: object) -> Worker:
        worker = Worker(annotations_dir, text_file, **args)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.close()


# --- round trip and reading ------------------------------------------------------------------------


def test_missing_file_is_an_empty_table(store: AnnotationStore, text: str) -> None:
    corrections = store.load(ARTICLE, text)
    assert corrections.version is None
    assert list(corrections.rows.columns) == list(COLUMNS) and corrections.rows.empty
    assert store.history(ARTICLE).empty and not store.can_undo(ARTICLE)
    assert list(store.directory.iterdir()) == []  # loading creates nothing


def test_save_then_load_round_trips_tricky_text(store: AnnotationStore, annotations_dir: Path) -> None:
    text = "=cmd|' /C calc'!A0 met “Zakaria, \"the\" رجل” 🙂\r\nin\tAleppo -5 @SUM ''x"
    article_rows = rows(
        row(text, "h-1", 0, 18, label="-PERSON", country="'SY"),
        row(text, "h-2", *span_of(text, '“Zakaria, "the" رجل”'), kind="quote", label="", speaker="@Zakaria"),
        row(text, "h-3", *span_of(text, "🙂\r\nin\tAleppo"), label="GPE", status="rejected"),
    )
    result = store.save(ARTICLE, text, article_rows, None, annotator="Zoë")
    loaded = store.load(ARTICLE, text)
    assert loaded.version == result.version is not None
    assert loaded.rows["start"].dtype == "int64" and loaded.rows["end"].dtype == "int64"
    expected = article_rows.drop(columns="updated_at")
    assert loaded.rows.drop(columns="updated_at").to_dict("records") == expected.to_dict("records")
    assert loaded.rows["updated_at"].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").all()
    assert result.rows.to_dict("records") == loaded.rows.to_dict("records")
    raw = (annotations_dir / f"{ARTICLE}.csv").read_bytes()
    # Every cell as it is: no quote added in front of what a spreadsheet would take for a formula.
    assert b'"=cmd|' in raw and b'"-PERSON"' in raw and b'"\'SY"' in raw and b'"@Zakaria"' in raw
    assert temp_files(annotations_dir) == []


LEGACY = PROJECT_ROOT / "tests" / "data" / "legacy-12-columns"


def test_a_file_and_log_written_before_the_new_columns_load_undo_and_are_rewritten_whole(
    annotations_dir: Path, bundled_text: str
) -> None:
    # Written by the store of commit 958e2fd (12 columns): Moscow → LOC, Greece → CYP, a speaker, a rejection.
    article_id = "aleppo-rebels-reject-russian-demands"
    for path in LEGACY.iterdir():
        (annotations_dir / path.name).write_bytes(path.read_bytes())
    old_csv = (annotations_dir / f"{article_id}.csv").read_bytes()
    assert old_csv.startswith(
        b'"article_id","span_id","kind","start","end","text","label","speaker","country",'
    )
    store = AnnotationStore(annotations_dir)
    loaded = store.load(article_id, bundled_text)
    assert list(loaded.rows.columns) == list(COLUMNS) and len(loaded.rows) == 4
    assert (loaded.rows[list(COLUMNS[12:])] == "").all().all()
    assert (annotations_dir / f"{article_id}.csv").read_bytes() == old_csv  # reading never rewrites
    assert set(store.history(article_id)["field"]) == {"label", "country", "speaker", "status"}

    # The next save writes the full header and keeps the old rows as they were.
    start = bundled_text.index("Aleppo")
    added = rows(row(bundled_text, f"e-{start}-{start + 6}", start, start + 6, "GPE", article_id=article_id))
    saved = store.save(article_id, bundled_text, added, loaded.version, "new reader")
    assert (
        (annotations_dir / f"{article_id}.csv")
        .read_bytes()
        .startswith(",".join(f'"{name}"' for name in COLUMNS).encode() + b"\r\n")
    )
    again = store.load(article_id, bundled_text)
    assert len(again.rows) == 5
    kept = again.rows[again.rows["span_id"] != f"e-{start}-{start + 6}"]
    assert kept.to_dict("records") == loaded.rows.to_dict("records")

    # Undo walks back through the new change and then the old log's changes.
    version = saved.version
    for expected_rows in (4, 3):
        undone = store.undo(article_id, bundled_text, version, "new reader")
        assert undone.changed_span_ids and len(undone.rows) == expected_rows
        version = undone.version


def test_saving_the_same_rows_again_writes_nothing(store: AnnotationStore, text: str) -> None:
    first = store.save(ARTICLE, text, rows(row(text, "e-0-6", 0, 6, "NORP")), None)
    log_before = store.log_path(ARTICLE).read_bytes()
    again = store.save(ARTICLE, text, rows(row(text, "e-0-6", 0, 6, "NORP")), first.version)
    assert again.version == first.version and again.changed_span_ids == () and again.change_id is None
    assert store.log_path(ARTICLE).read_bytes() == log_before


def test_invalid_rows_are_refused_with_every_problem(
    store: AnnotationStore, text: str, annotations_dir: Path
) -> None:
    bad = rows(
        row(text, "a", 0, 6, label=""),
        row(text, "b", 5, 3),
        row(text, "c", 0, len(text) + 5),
        row(text, "d", 0, 6) | {"text": "Nope!!"},
        row(text, "a", 0, 6) | {"source": "model"},
        row(text, "e", 0, 6) | {"kind": "person"},
    )
    with pytest.raises(InvalidRowsError) as caught:
        store.save(ARTICLE, text, bad, None)
    message = str(caught.value)
    for expected in (
        "row 0 (span 'a'): active entity 'a' has an empty label",
        "start 5 is after end 3",
        "past the end of the article",
        "does not match the article",
        "only human corrections",
        "span_id 'a' repeats row 0",
        "unknown kind 'person'",
    ):
        assert expected in message
    with pytest.raises(InvalidRowsError, match="unexpected column"):
        store.save(ARTICLE, text, rows(row(text, "a", 0, 6)).assign(selected=True), None)
    assert list(annotations_dir.iterdir()) == []  # checked before taking the lock: not even a lock file


# --- malformed files -------------------------------------------------------------------------------


def good_records(text: str) -> list[dict]:
    merkel = span_of(text, "Zakaria Malahifji")
    return [
        {k: str(v) for k, v in row(text, "e-0-6", 0, 6, "NORP", updated_at="2026-01-01T00:00:00Z").items()},
        {
            k: str(v)
            for k, v in row(text, "e-x", *merkel, "PERSON", updated_at="2026-01-01T00:00:00Z").items()
        },
    ]


def cut_before_last(data: bytes, needle: bytes) -> bytes:
    """Return ``data`` cut just before the last ``needle`` (a file truncated there)."""
    return data[: data.rindex(needle)]


def with_cell(article_text: str, index: int, **cells: str) -> bytes:
    records = good_records(article_text)
    records[index] = records[index] | cells
    return encode_records(records)


MALFORMED = {
    "not UTF-8": (
        lambda t: encode_records(good_records(t)).replace(b"Zakaria", "Zakar\xeda".encode("latin-1")),
        ["line 3: not UTF-8 text (byte 0xed"],
    ),
    "truncated inside a cell": (
        lambda t: cut_before_last(encode_records(good_records(t)), b'00Z"'),
        ["line 3: not valid CSV (unexpected end of data; is the last line truncated?)"],
    ),
    "truncated after a cell": (
        lambda t: cut_before_last(encode_records(good_records(t)), b',"2026'),
        ["line 3: 11 field(s) instead of 18 (a truncated or hand-edited line?)"],
    ),
    "wrong field count": (
        lambda t: encode_records(good_records(t)).replace(b'"NORP",', b"", 1),
        ["line 2: 17 field(s) instead of 18"],
    ),
    "missing columns": (
        lambda t: encode_records(good_records(t)).replace(b'"speaker","country"', b'"speaker"', 1),
        ["missing column(s): country"],
    ),
    "foreign file": (
        lambda t: b"id,text,label,answer\r\n1,Aleppo,GPE,accept\r\n",
        ["missing column(s): article_id, span_id", "unexpected column(s): 'id', 'answer'"],
    ),
    "empty file": (lambda t: b"", ["the file is empty"]),
    "start not an integer": (
        lambda t: with_cell(t, 1, start="12.0"),
        ["line 3: start '12.0' is not a non-negative integer"],
    ),
    "negative start": (
        lambda t: with_cell(t, 0, start="-1"),
        ["line 2: start '-1' is not a non-negative integer"],
    ),
    "start after end": (
        lambda t: with_cell(t, 0, start="9", end="4", text=""),
        ["line 2: start 9 is after end 4"],
    ),
    "unknown kind, source, status": (
        lambda t: with_cell(t, 1, kind="person", source="robot", status="deleted"),
        ["unknown kind 'person'", "unknown source 'robot'", "unknown status 'deleted'"],
    ),
    "model row": (
        lambda t: with_cell(t, 1, source="model"),
        ["line 3: source 'model', but only human corrections"],
    ),
    "offsets past the end": (
        lambda t: with_cell(t, 1, start="99999", end="99999", text=""),
        ["line 3: span 'e-x' ends at 99999, past the end of the article"],
    ),
    "text does not match": (
        lambda t: with_cell(t, 0, text="Syria!"),
        ["line 2: span 'e-0-6' text 'Syria!' does not match the article at 0:6 ('Syrian')"],
    ),
    "duplicate span_id": (
        lambda t: with_cell(t, 1, span_id="e-0-6"),
        ["line 3: span_id 'e-0-6' repeats line 2"],
    ),
    "empty label on active entity": (
        lambda t: with_cell(t, 1, label=" "),
        ["line 3: active entity 'e-x' has an empty label"],
    ),
    "another article's file": (
        lambda t: with_cell(t, 0, article_id="other"),
        ["line 2: article_id 'other' is not this file's article 'aleppo'"],
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_file_is_reported_and_never_modified(
    case: str, store: AnnotationStore, text: str, annotations_dir: Path
) -> None:
    make, expected = MALFORMED[case]
    path = annotations_dir / f"{ARTICLE}.csv"
    path.write_bytes(make(text))
    before = snapshot(annotations_dir)
    with pytest.raises(AnnotationFileError) as caught:
        store.load(ARTICLE, text)
    message = str(caught.value)
    assert str(path) in message and caught.value.path == path
    for fragment in expected:
        assert fragment in message, message
    with pytest.raises(AnnotationFileError):
        store.save(ARTICLE, text, rows(row(text, "new", 0, 6, "NORP")), None)
    with pytest.raises(AnnotationFileError):
        store.undo(ARTICLE, text, None)
    assert snapshot(annotations_dir) == before  # same bytes, no log, no temp files
    assert [s.article_id for s in store.list_articles()] == [ARTICLE]  # still listed, count may be None


def test_a_good_file_for_another_version_of_the_article_is_reported(
    store: AnnotationStore, text: str
) -> None:
    store.save(ARTICLE, text, rows(row(text, "e-x", *span_of(text, "Malahifji"), "PERSON")), None)
    edited = text.replace("Syrian rebels", "Rebels")
    with pytest.raises(AnnotationFileError, match=r"line 2: span 'e-x' text 'Malahifji' does not match"):
        store.load(ARTICLE, edited)


# --- article ids -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad_id",
    [
        "",
        "../x",
        "../../etc/passwd",
        "/abs",
        "a/b",
        "a\\b",
        "x\x00y",
        ".",
        "..",
        ".hidden",
        "a\nb",
        " padded",
        "C:evil",
        "x" * 201,
    ],
)
def test_unsafe_article_ids_are_refused(
    bad_id: str, store: AnnotationStore, text: str, tmp_path: Path
) -> None:
    before = sorted(tmp_path.rglob("*"))
    for call in (
        lambda: store.load(bad_id, text),
        lambda: store.history(bad_id),
        lambda: store.csv_path(bad_id),
        lambda: store.save(bad_id, text, rows(row(text, "a", 0, 6)), None),
        lambda: store.undo(bad_id, text, None),
    ):
        with pytest.raises(ValueError, match="invalid article id"):
            call()
    assert sorted(tmp_path.rglob("*")) == before


def test_unicode_and_dotted_article_ids_are_fine(store: AnnotationStore, text: str) -> None:
    for article_id in ("Alep-حلب-2016", "v1.2 report", "x.csv"):
        store.save(article_id, text, rows(row(text, "a", 0, 6, article_id=article_id)), None)
    assert [(s.article_id, s.corrections) for s in store.list_articles()] == [
        ("Alep-حلب-2016", 1),
        ("v1.2 report", 1),
        ("x.csv", 1),
    ]


# --- listing ---------------------------------------------------------------------------------------


def test_listing_is_cheap_and_follows_changes(
    store: AnnotationStore, text: str, annotations_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index, article_id in enumerate(["b", "a", "c"]):
        batch = [row(text, f"s{i}", i, i + 1, article_id=article_id) for i in range(index + 1)]
        store.save(article_id, text, rows(*batch), None)
    (annotations_dir / "notes.txt").write_text("not an article")
    (annotations_dir / ".c.csv.0123abcd.tmp").write_text("left by a crash")
    reads: list[bytes] = []
    real_count = correction_file.count_records
    monkeypatch.setattr(correction_file, "count_records", lambda data: reads.append(data) or real_count(data))
    assert [(s.article_id, s.corrections) for s in store.list_articles()] == [("a", 2), ("b", 1), ("c", 3)]
    assert len(reads) == 3
    store.list_articles()
    assert len(reads) == 3  # nothing changed: nothing read
    version = store.load("a", text).version
    store.save("a", text, rows(row(text, "s9", 9, 10, article_id="a")), version)
    assert [(s.article_id, s.corrections) for s in store.list_articles()] == [("a", 3), ("b", 1), ("c", 3)]
    assert len(reads) == 4
    assert all(s.corrections is None for s in store.list_articles(count=False))
    assert AnnotationStore(annotations_dir / "missing").list_articles() == []


# --- conflicts and merging (two sessions in one process) -------------------------------------------


def test_sessions_changing_different_spans_are_merged(store: AnnotationStore, text: str) -> None:
    opened = store.load(ARTICLE, text).version
    store.save(ARTICLE, text, rows(row(text, "e-0-6", 0, 6, "NORP")), opened, annotator="alice")
    result = store.save(ARTICLE, text, rows(row(text, "e-7-13", 7, 13, "X")), opened, annotator="bob")
    assert result.merged_span_ids == ("e-0-6",)
    assert sorted(store.load(ARTICLE, text).rows["span_id"]) == ["e-0-6", "e-7-13"]


def test_sessions_changing_the_same_span_conflict_and_nothing_is_lost(
    store: AnnotationStore, text: str, annotations_dir: Path
) -> None:
    opened = store.save(ARTICLE, text, rows(row(text, "e-x", 0, 6, "NORP")), None).version
    store.save(ARTICLE, text, rows(row(text, "e-0-6", 0, 6, "ORG")), opened, annotator="alice")
    before = snapshot(annotations_dir)
    with pytest.raises(
        ConflictError, match=r"changed by someone else since you opened them: 'e-0-6' by alice"
    ):
        store.save(
            ARTICLE, text, rows(row(text, "e-0-6", 0, 6, "GPE"), row(text, "e-9", 9, 12)), opened, "bob"
        )
    assert snapshot(annotations_dir) == before
    # the same change made by both is no conflict
    same = store.save(ARTICLE, text, rows(row(text, "e-0-6", 0, 6, "ORG")), opened, annotator="carol")
    assert same.changed_span_ids == ()


def test_a_file_edited_outside_the_app_refuses_saves_from_older_versions(
    store: AnnotationStore, text: str
) -> None:
    opened = store.save(ARTICLE, text, rows(row(text, "e-0-6", 0, 6, "ORG")), None).version
    path = store.csv_path(ARTICLE)
    path.write_bytes(path.read_bytes().replace(b'"ORG"', b'"NORP"'))  # a hand edit in a text editor
    with pytest.raises(ConflictError, match="changed outside the app"):
        store.save(ARTICLE, text, rows(row(text, "e-9", 9, 12)), opened)
    fresh = store.load(ARTICLE, text)
    assert store.save(ARTICLE, text, rows(row(text, "e-9", 9, 12)), fresh.version).changed_span_ids == (
        "e-9",
    )


# --- undo and history ------------------------------------------------------------------------------


def test_undo_walks_back_through_every_change(store: AnnotationStore, text: str) -> None:
    path = store.csv_path(ARTICLE)
    model = rows(row(text, "e-0-6", 0, 6, "NORP", source="model"))
    states = []
    result = store.save(ARTICLE, text, rows(row(text, "e-0-6", 0, 6, "GPE")), None, "alice", model_rows=model)
    states.append((result.version, path.read_bytes()))
    result = store.save(
        ARTICLE,
        text,
        rows(row(text, "e-0-6", 0, 6, "GPE", status="rejected"), row(text, "h-1", 7, 13, "ORG")),
        result.version,
        "bob",
    )
    states.append((result.version, path.read_bytes()))
    result = store.save(ARTICLE, text, rows(), result.version, "carol", remove=["h-1"])
    assert result.changed_span_ids == ("h-1",)

    with pytest.raises(ConflictError, match="reload the article before undoing"):
        store.undo(ARTICLE, text, states[0][0])
    for expected_version, expected_bytes in reversed(states):
        assert store.can_undo(ARTICLE)
        result = store.undo(ARTICLE, text, result.version, annotator="dave")
        assert result.version == expected_version and path.read_bytes() == expected_bytes
    result = store.undo(ARTICLE, text, result.version, annotator="dave")
    assert result.rows.empty and result.changed_span_ids == ("e-0-6",)
    assert not store.can_undo(ARTICLE)
    nothing = store.undo(ARTICLE, text, result.version)
    assert nothing.changed_span_ids == () and nothing.version == result.version

    history = store.history(ARTICLE)
    assert list(history.columns) == [
        "time",
        "change_id",
        "action",
        "annotator",
        "span_id",
        "field",
        "old",
        "new",
    ]
    assert history["change_id"].nunique() == 6
    first = history.iloc[0]
    assert (first["annotator"], first["span_id"], first["field"], first["old"], first["new"]) == (
        "alice",
        "e-0-6",
        "label",
        "NORP",
        "GPE",
    )  # the model's value is the old value
    assert ["e-0-6", "status", "active", "rejected"] in history[
        ["span_id", "field", "old", "new"]
    ].values.tolist()
    assert ["carol", "h-1", "(correction)", "present", "removed"] in (
        history[["annotator", "span_id", "field", "old", "new"]].values.tolist()
    )
    assert history["action"].tolist().count("undo") > 0 and set(history["annotator"]) >= {"dave"}
    assert history["time"].str.endswith("Z").all()


# --- write failures --------------------------------------------------------------------------------


def big_file(text: str, count: int = 300) -> bytes:
    return encode_records(
        {
            k: str(v)
            for k, v in row(text, f"h-{i}", i, i + 1, "X" * 50, updated_at="2026-01-01T00:00:00Z").items()
        }
        for i in range(count)
    )


def test_real_write_failures_leave_the_old_file_intact(
    workers, annotations_dir: Path, store: AnnotationStore, text: str
) -> None:
    """Works as root: RLIMIT_FSIZE makes the kernel refuse to grow files (EFBIG), like a full disk."""
    path = annotations_dir / f"{ARTICLE}.csv"
    path.write_bytes(big_file(text))  # ~60 KB, no log yet
    before = path.read_bytes()
    # 1 byte: the log append fails after a partial write; 16 KiB: the log entry fits, the CSV does not.
    worker = workers(mode="file_size_limit", name="w", limits=[1, 16384])
    worker.expect("ready")
    worker.send()
    results = worker.rest()
    assert [m["event"] for m in results] == ["write_error", "write_error", "done"]
    for message in results[:2]:
        assert "File too large" in message["message"] and "previous file is unchanged" in message["message"]
    assert path.read_bytes() == before
    assert temp_files(annotations_dir) == []
    assert store.log_path(ARTICLE).read_bytes() == b""  # both unapplied entries were truncated away
    assert store.history(ARTICLE).empty
    version = store.load(ARTICLE, text).version
    assert store.save(ARTICLE, text, rows(row(text, "after", 0, 6)), version).changed_span_ids == ("after",)


def test_failing_rename_leaves_old_file_and_log_intact(
    store: AnnotationStore, text: str, annotations_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An injected EROFS at the rename (a read-only mount is not available to the tests)."""
    version = store.save(ARTICLE, text, rows(row(text, "a", 0, 6)), None).version
    before = snapshot(annotations_dir)

    def read_only(*_args: object) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(store_module.os, "replace", read_only)
    with pytest.raises(StoreWriteError, match=r"Read-only file system.*previous file is unchanged"):
        store.save(ARTICLE, text, rows(row(text, "b", 7, 13)), version)
    assert snapshot(annotations_dir) == before
    assert len(store.history(ARTICLE)) > 0 and set(store.history(ARTICLE)["span_id"]) == {"a"}


# The immutable attribute (``chattr +i``): a file or folder that carries it refuses every change,
# even by root. FS_IOC_GETFLAGS / FS_IOC_SETFLAGS from <linux/fs.h>; the kernel reads an int.
_FS_IOC_GETFLAGS, _FS_IOC_SETFLAGS, _FS_IMMUTABLE_FL = 0x80086601, 0x40086602, 0x10


def _set_immutable(path: Path, immutable: bool) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        flags = array.array("i", [0])
        fcntl.ioctl(fd, _FS_IOC_GETFLAGS, flags, True)
        flags[0] = flags[0] | _FS_IMMUTABLE_FL if immutable else flags[0] & ~_FS_IMMUTABLE_FL
        fcntl.ioctl(fd, _FS_IOC_SETFLAGS, flags)
    finally:
        os.close(fd)


@contextmanager
def read_only(folder: Path) -> Iterator[str]:
    """Make ``folder`` and everything in it refuse writes for real; yield the reason the OS gives.

    Root ignores permissions, and a read-only bind mount would change the host's mounts. So as root
    the folder and everything in it get the immutable attribute, which the kernel enforces for root
    too (EPERM) and which comes off again afterwards; as anyone else, ``chmod 0o555`` (EACCES).
    """
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield os.strerror(errno.EACCES)
        finally:
            folder.chmod(0o755)
        return
    # Deepest first, the folder last: nothing in it can be created, removed, renamed or written.
    paths = [*sorted(folder.rglob("*"), key=lambda path: len(path.parts), reverse=True), folder]
    marked: list[Path] = []
    try:
        for path in paths:
            _set_immutable(path, True)
            marked.append(path)
        yield os.strerror(errno.EPERM)
    finally:
        for path in reversed(marked):
            _set_immutable(path, False)


def test_read_only_directory(store: AnnotationStore, text: str, annotations_dir: Path) -> None:
    version = store.save(ARTICLE, text, rows(row(text, "a", 0, 6)), None).version
    before = snapshot(annotations_dir)
    with read_only(annotations_dir) as reason:
        with pytest.raises(StoreWriteError, match=f"{reason}.*previous file is unchanged"):
            store.save(ARTICLE, text, rows(row(text, "b", 7, 13)), version)
        assert snapshot(annotations_dir) == before
    assert snapshot(annotations_dir) == before
    assert store.load(ARTICLE, text).version == version


def test_annotations_folder_that_is_a_file_gives_a_write_error(tmp_path: Path, text: str) -> None:
    not_a_folder = tmp_path / "annotations"
    not_a_folder.write_text("oops")
    with pytest.raises(StoreWriteError, match="could not be saved"):
        AnnotationStore(not_a_folder).save(ARTICLE, text, rows(row(text, "a", 0, 6)), None)
    assert not_a_folder.read_text() == "oops"


# --- crashes ---------------------------------------------------------------------------------------


def test_sigkill_between_log_and_csv_is_ignored_by_load_undo_history_and_merge(
    workers, store: AnnotationStore, text: str, annotations_dir: Path
) -> None:
    opened = store.save(ARTICLE, text, rows(row(text, "first", 0, 6)), None, "alice").version
    before = store.csv_path(ARTICLE).read_bytes()
    worker = workers(mode="slow_replace", name="crasher")
    worker.expect("ready")
    worker.send()
    worker.expect("replacing")
    worker.kill()
    assert store.csv_path(ARTICLE).read_bytes() == before
    assert len(temp_files(annotations_dir)) == 1  # killed with its complete temp file not yet renamed
    assert len(store.log_path(ARTICLE).read_bytes().splitlines()) == 2  # the entry was logged first
    assert store.load(ARTICLE, text).version == opened
    assert set(store.history(ARTICLE)["span_id"]) == {"first"}

    store.save(ARTICLE, text, rows(row(text, "second", 7, 13)), opened, "bob")
    assert temp_files(annotations_dir) == []  # the next save cleans up
    third = store.save(ARTICLE, text, rows(row(text, "third", 14, 20)), opened, "carol")  # stale: merged
    assert third.merged_span_ids == ("second",)
    version = third.version
    for expected in (["first", "second"], ["first"], []):
        version = store.undo(ARTICLE, text, version).version
        assert sorted(store.load(ARTICLE, text).rows["span_id"]) == expected
    assert not store.can_undo(ARTICLE)
    assert "stuck" not in set(store.history(ARTICLE)["span_id"])


def test_a_torn_log_line_is_skipped_and_the_next_entry_starts_on_a_new_line(
    store: AnnotationStore, text: str
) -> None:
    version = store.save(ARTICLE, text, rows(row(text, "a", 0, 6)), None).version
    with store.log_path(ARTICLE).open("ab") as log:
        log.write(b'{"change_id": "torn", "changes": [{"span_')
    version = store.save(ARTICLE, text, rows(row(text, "b", 7, 13)), version).version
    lines = store.log_path(ARTICLE).read_bytes().splitlines()
    assert len(lines) == 3 and json.loads(lines[2])["changes"][0]["span_id"] == "b"
    assert set(store.history(ARTICLE)["span_id"]) == {"a", "b"}
    store.undo(ARTICLE, text, version)
    assert store.load(ARTICLE, text).rows["span_id"].tolist() == ["a"]


def _saves_then_stop(directory: Path, text_file: Path, stop: list | None) -> tuple[set[str], dict]:
    """Run a worker that saves twice, then makes a third save stopped at ``stop`` (see
    ``_watch_file_calls``) and is killed there; return the span ids of the saves that returned, and
    the worker's last message (``stopped``, or ``saved`` with the calls of the third save)."""
    directory.mkdir()
    worker = Worker(directory, text_file, mode="stop_in_save", name="w", count=2, stop=stop)
    try:
        worker.expect("ready")
        worker.send()
        returned = {worker.expect("saved")["span_id"] for _ in range(2)}
        last = worker.read()
        assert last is not None and last["event"] in ("stopped", "saved"), last
    finally:
        worker.close()  # SIGKILL: no cleanup code runs in the child
    return returned, last


def test_sigkill_at_every_file_call_of_a_save_never_breaks_the_file_or_loses_a_returned_save(
    tmp_path: Path, text_file: Path, text: str
) -> None:
    # Every point a save passes: each call by which it changes a file, killed just before and just after.
    _, traced = _saves_then_stop(tmp_path / "trace", text_file, None)
    calls = traced["calls"]
    assert {"open", "write", "fsync", "replace"} <= set(calls), calls
    swapped = max(index for index, name in enumerate(calls) if name in ("replace", "rename"))
    for index in range(len(calls)):
        for when in ("before", "after"):
            directory = tmp_path / f"{index}-{when}"
            returned, last = _saves_then_stop(directory, text_file, [index, when])
            point = last.get("at")
            assert point == f"{when} call {index} ({calls[index]})", last

            store = AnnotationStore(directory, lock_timeout=5)
            corrections = store.load(ARTICLE, text)  # parses and validates: never half-written
            on_disk = set(corrections.rows["span_id"])
            # The killed save is there exactly when the new file had been swapped in.
            landed = index > swapped or (index == swapped and when == "after")
            assert on_disk == returned | ({"w-last"} if landed else set()), point
            assert set(store.history(ARTICLE)["span_id"]) == on_disk, point  # the log and the CSV agree
            # The next save goes through (the dead process's lock is gone), clears what the kill
            # left, and its undo goes back to what was on disk.
            saved = store.save(ARTICLE, text, rows(row(text, "next", 100, 106)), corrections.version)
            assert temp_files(directory) == [], point
            assert set(store.history(ARTICLE)["span_id"]) == on_disk | {"next"}, point
            store.undo(ARTICLE, text, saved.version)
            assert set(store.load(ARTICLE, text).rows["span_id"]) == on_disk, point


# --- concurrent processes --------------------------------------------------------------------------


def test_two_processes_saving_different_spans_keep_every_correction(
    workers, store: AnnotationStore, text: str
) -> None:
    count = 30
    started = [workers(mode="saves", name=name, count=count) for name in ("alice", "bob")]
    for worker in started:
        worker.expect("ready")
    for worker in started:
        worker.send()
    messages = [message for worker in started for message in worker.rest()]
    assert {m["event"] for m in messages} == {"saved", "done"}, [m for m in messages if m["event"] != "saved"]
    assert sum(m.get("merged", 0) for m in messages) > 0  # the saves really interleaved and merged
    expected = {f"{name}-{i}" for name in ("alice", "bob") for i in range(count)}
    corrections = store.load(ARTICLE, text)
    assert set(corrections.rows["span_id"]) == expected
    assert dict(zip(corrections.rows["span_id"], corrections.rows["label"], strict=True)) == {
        s: s.split("-")[0] for s in expected
    }
    history = store.history(ARTICLE)
    assert history["change_id"].nunique() == 2 * count


def test_readers_never_see_a_half_written_file_while_another_process_saves(
    workers, store: AnnotationStore, text: str
) -> None:
    """Sessions load without the lock, so every read must see a whole file (old or new)."""
    writer = workers(mode="saves", name="writer", count=40)
    writer.expect("ready")
    writer.send()
    loads, seen = 0, 0
    while writer.process.is_alive() or loads == 0:
        seen = max(seen, len(store.load(ARTICLE, text).rows))  # raises AnnotationFileError on a torn file
        loads += 1
    assert {m["event"] for m in writer.rest()} == {"saved", "done"}
    assert loads >= 20 and len(store.load(ARTICLE, text).rows) == 40


def test_two_processes_saving_the_same_span_one_wins_one_gets_a_conflict(
    workers, store: AnnotationStore, text: str
) -> None:
    rounds = 8
    started = [workers(mode="race", name=name, rounds=rounds) for name in ("alice", "bob")]
    for worker in started:
        worker.expect("ready")
        worker.send()
    for round_ in range(rounds):
        for worker in started:
            assert worker.expect("loaded")["round"] == round_
        for worker in started:
            worker.send()
        outcomes = {name: worker.read() for name, worker in zip(("alice", "bob"), started, strict=True)}
        assert sorted(m["event"] for m in outcomes.values()) == ["conflict", "ok"], outcomes
        winner = next(name for name, m in outcomes.items() if m["event"] == "ok")
        loser = next(m for m in outcomes.values() if m["event"] == "conflict")
        assert (
            "changed by someone else since you opened them" in loser["message"] and winner in loser["message"]
        )
        saved = store.load(ARTICLE, text).rows.set_index("span_id")
        assert saved.loc[f"same-{round_}", "label"] == winner
    assert [m["event"] for worker in started for m in worker.rest()] == ["done", "done"]


def test_lock_held_by_another_process_times_out_then_is_freed_when_it_dies(
    workers, annotations_dir: Path, text: str
) -> None:
    impatient = AnnotationStore(annotations_dir, lock_timeout=0.5)
    version = impatient.save(ARTICLE, text, rows(row(text, "a", 0, 6)), None).version
    before = snapshot(annotations_dir)
    holder = workers(mode="hold_lock", name="holder")
    holder.expect("locked")
    started = time.monotonic()
    with pytest.raises(StoreLockedError, match=r"being saved by another session.*0\.5 s"):
        impatient.save(ARTICLE, text, rows(row(text, "b", 7, 13)), version)
    assert 0.4 < time.monotonic() - started < 3
    assert snapshot(annotations_dir) == before
    holder.kill()  # the kernel drops a dead process's flock: no stale lock to clean up
    assert impatient.save(ARTICLE, text, rows(row(text, "b", 7, 13)), version).changed_span_ids == ("b",)
