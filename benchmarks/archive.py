"""An archive through the command line: 1,000 generated articles, time, words per second, peak memory.

``python -m components.cli annotate`` runs as a user runs it, a new process each time, on the first
100, the first 300 (quoted globs) and all 1,000 articles (the folder) in one process, then on all
1,000 with ``--processes 2``. Peak memory is the largest resident set of the command's processes,
from ``/usr/bin/time -v`` (the kernel's ``wait4`` figure); without it, sampled with psutil. Times
include starting Python and loading the model, as a user waits for them.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from benchmarks.corpus import write_archive
from benchmarks.report import Result, mebibytes, seconds, verdict
from components.config import PROJECT_ROOT

NAME = "archive"
GNU_TIME = Path("/usr/bin/time")
FLAT_GOAL = 1.15  # peak memory at the full count / at the smallest
STAMP = "2026-01-01T00:00:00Z"


@dataclass(frozen=True)
class CliRun:
    """One run of the command line: how many articles and words, how long, and its peak memory in bytes."""

    articles: int
    words: int
    seconds: float
    peak_bytes: int
    processes: int = 1

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds


def _prefix_glob(folder: Path, count: int) -> str:
    """Return a glob matching exactly the first ``count`` articles (a digit times a power of ten)."""
    digits = len(str(count)) - 1  # 300 -> 2: the last two digits run over [0-9]
    lead = count // 10**digits
    if count != lead * 10**digits or not 1 <= digits <= 4:
        raise ValueError(f"{count} is not a digit times 10, 100, 1,000 or 10,000")
    return str(folder / f"article-{'0' * (4 - digits)}[0-{lead - 1}]{'[0-9]' * digits}.txt")


def run_cli(inputs: list[str], out: Path, processes: int = 1) -> tuple[float, int]:
    """Return the seconds and peak memory (bytes) of one ``annotate`` run; raise if it fails."""
    command = [
        sys.executable,
        "-m",
        "components.cli",
        "annotate",
        *inputs,
        "--out",
        str(out),
        "--quiet",
        "--updated-at",
        STAMP,
        "--processes",
        str(processes),
    ]
    if GNU_TIME.exists():
        return _run_with_gnu_time(command)
    return _run_sampling_memory(command)


def _run_with_gnu_time(command: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run(
        [str(GNU_TIME), "-v", *command],
        check=False,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"the command line failed:\n{result.stderr}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    if match is None:
        raise RuntimeError(f"/usr/bin/time -v gave no peak memory:\n{result.stderr}")
    return elapsed, int(match.group(1)) * 1024


def _run_sampling_memory(command: list[str]) -> tuple[float, int]:
    # Sampling every 50 ms can miss a short peak; /usr/bin/time is preferred when it is there.
    start = time.perf_counter()
    process = psutil.Popen(
        command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
    )
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, *(member.memory_info().rss for member in tree))
        except psutil.Error:
            pass
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"the command line failed:\n{process.stderr.read().decode()}")
    return elapsed, peak


def measure(counts: tuple[int, ...]) -> list[CliRun]:
    """Return one run per count in one process (the largest as a folder, the others as globs), then the
    largest in two processes."""
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as temporary:
        folder = Path(temporary) / "archive"
        largest = max(counts)
        words = _write(folder, largest)
        for count in counts:
            inputs = [str(folder)] if count == largest else [_prefix_glob(folder, count)]
            elapsed, peak = run_cli(inputs, Path(temporary) / f"{count}.csv")
            runs.append(CliRun(count, words[count], elapsed, peak))
        elapsed, peak = run_cli([str(folder)], Path(temporary) / "two.csv", processes=2)
        runs.append(CliRun(largest, words[largest], elapsed, peak, processes=2))
        if (Path(temporary) / "two.csv").read_bytes() != (Path(temporary) / f"{largest}.csv").read_bytes():
            raise RuntimeError("--processes 2 wrote different bytes from one process")
    return runs


def _write(folder: Path, count: int) -> dict[int, int]:
    """Return the words in the first 100, 300, … articles after writing ``count`` articles to ``folder``."""
    write_archive(folder, count)
    totals, words = {}, 0
    for index, path in enumerate(sorted(folder.glob("*.txt")), 1):
        words += len(path.read_text(encoding="utf-8").split())
        totals[index] = words
    return totals


def _describe(run: CliRun) -> str:
    processes = "1 process" if run.processes == 1 else f"{run.processes} processes"
    return f"{run.articles:,} articles ({run.words:,} words), {processes}"


def _summarise(run: CliRun) -> str:
    return f"{seconds(run.seconds)}, {run.words_per_second:,.0f} words/s, peak {mebibytes(run.peak_bytes)}"


def run(quick: bool = False) -> list[Result]:
    """Return the archive rows of the results table."""
    counts = (10, 20) if quick else (100, 300, 1000)
    runs = measure(counts)
    rows = [Result(NAME, _describe(r), _summarise(r)) for r in runs]
    one_process = [r for r in runs if r.processes == 1]
    growth = one_process[-1].peak_bytes / one_process[0].peak_bytes
    rows.append(
        Result(
            NAME,
            f"peak memory, {one_process[-1].articles:,} articles / {one_process[0].articles:,}",
            f"{growth:.2f}×",
            f"flat (≤ {FLAT_GOAL}×)",
            verdict(growth <= FLAT_GOAL),
        )
    )
    return rows
