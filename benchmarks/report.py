"""Benchmark results as rows of one markdown table, the machine they ran on, and small measuring helpers."""

from __future__ import annotations

import os
import platform
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

MET, MISSED, NO_GOAL = "met", "missed", ""


@dataclass(frozen=True)
class Result:
    """One row of the results table: benchmark, what was measured, the value, the goal and its verdict."""

    benchmark: str
    measure: str
    value: str
    goal: str = ""
    verdict: str = NO_GOAL
    load: str = ""  # the machine's 1-minute load average while this figure was measured, where it was taken


def verdict(met: bool) -> str:
    """Return the table's word for a goal reached (``met``) or not (``missed``)."""
    return MET if met else MISSED


def markdown_table(results: Sequence[Result]) -> str:
    """Return the results as a GitHub markdown table (with a load column when any row says its load)."""
    if not any(r.load for r in results):
        lines = ["| benchmark | measure | result | goal | |", "|---|---|---:|---|---|"]
        lines += [f"| {r.benchmark} | {r.measure} | {r.value} | {r.goal} | {r.verdict} |" for r in results]
        return "\n".join(lines)
    lines = ["| benchmark | measure | result | goal | | load |", "|---|---|---:|---|---|---:|"]
    lines += [
        f"| {r.benchmark} | {r.measure} | {r.value} | {r.goal} | {r.verdict} | {r.load} |" for r in results
    ]
    return "\n".join(lines)


def load_average() -> str:
    """Return the 1-minute load average, e.g. ``3.1``: how busy the machine is, all users together."""
    return f"{os.getloadavg()[0]:.1f}"


def cpu_pressure() -> str:
    """Return the share of the last minute in which some task waited for a CPU (Linux PSI), or ``""``."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return ""
    match = re.search(r"avg60=([0-9.]+)", line)
    return f"{float(match.group(1)):.0f}%" if match else ""


def machine_summary() -> str:
    """Return one line saying what the benchmarks ran on: CPU, cores, memory, Python, spaCy and model."""
    import spacy

    from components.nlp.pipeline import resolve_model_name

    cpu = _cpu_model()
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GB RAM; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, spaCy {spacy.__version__}, model {resolve_model_name()}"
    )


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else platform.processor() or "unknown CPU"


def median(values: Sequence[float]) -> float:
    """Return the median of ``values`` (robust to one run disturbed by a busy neighbour)."""
    return statistics.median(values)


def seconds(value: float) -> str:
    """Return a duration for the table: milliseconds below a second, else seconds."""
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def mebibytes(size_bytes: float) -> str:
    """Return a memory size for the table, in MiB."""
    return f"{size_bytes / 2**20:,.0f} MiB"


def spread(values: Sequence[float], unit: str = "s") -> str:
    """Return the range of ``values`` for a measure's note, e.g. ``1.21–1.90 s``."""
    return f"{min(values):.2f}–{max(values):.2f} {unit}"
