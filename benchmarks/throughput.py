"""Pipeline throughput: our full pipeline and CSV rows against plain spaCy, in one and two processes.

Both sides parse the same generated articles in the same run. "Plain" is ``spacy.load`` of the same
model and ``nlp.pipe``, the Docs thrown away. "Ours" is what ``python -m components.cli annotate``
does per article: the app's pipeline (entities, countries, quotes), ``doc_to_table`` and the CSV
rows (``to_csv_bytes``), through the command line's ``annotate_texts``. Each configuration runs
``repeats`` times, interleaved and in alternating order so a busy neighbour hurts both sides alike.
The table gives each configuration's best speed over the repeats (a busy neighbour only ever slows
a run down, so the fastest run is the least disturbed, as ``timeit`` advises), and every ratio is
the ratio of the speeds it shows, so the rows agree with each other; the ratio within each repeat is
listed beside it, to show how much the neighbours moved it.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from dataclasses import dataclass

import spacy
from spacy.language import Language

from benchmarks.corpus import generate_archive, word_count
from benchmarks.report import Result, median, verdict
from components.cli import DEFAULT_BATCH_SIZE, annotate_texts, cli_pipeline
from components.nlp.pipeline import resolve_model_name

NAME = "throughput"
STAMP = "2026-01-01T00:00:00Z"
PIPELINE_GOAL = 0.85  # ours / plain
SCALING_GOAL = 1.6  # two processes / one


@dataclass(frozen=True)
class Workload:
    """The texts every configuration parses, with their article ids and word count."""

    texts: list[str]
    ids: list[str]
    words: int


def workload(articles: int) -> Workload:
    """Return ``articles`` generated articles of 300–800 words."""
    pairs = list(generate_archive(articles, seed=7))
    texts = [text for _, text in pairs]
    return Workload(texts, [article_id for article_id, _ in pairs], sum(map(word_count, texts)))


def plain_run(nlp: Language, work: Workload, processes: int) -> None:
    """Parse every text with plain spaCy and drop the Docs."""
    for _ in nlp.pipe(work.texts, n_process=processes, batch_size=DEFAULT_BATCH_SIZE):
        pass


def ours_run(nlp: Language, work: Workload, processes: int) -> None:
    """Annotate every text as the command line does, CSV rows included."""
    pairs = zip(work.texts, work.ids, strict=True)
    for _ in annotate_texts(nlp, pairs, STAMP, processes=processes, batch_size=DEFAULT_BATCH_SIZE):
        pass


@dataclass(frozen=True)
class Timing:
    """One timed run: words per second of wall-clock time, and per second of CPU time (all processes)."""

    wall: float
    cpu: float


def _cpu_seconds() -> float:
    """Return the CPU time used so far by this process and its finished children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(
    run: Callable[[Language, Workload, int], None], nlp: Language, work: Workload, processes: int
) -> Timing:
    """Return the speeds of one run (process start-up included, as a user pays it)."""
    start, start_cpu = time.perf_counter(), _cpu_seconds()
    run(nlp, work, processes)
    wall, cpu = time.perf_counter() - start, _cpu_seconds() - start_cpu
    return Timing(work.words / wall, work.words / cpu)


def measure(articles: int, repeats: int) -> tuple[Workload, dict[str, list[Timing]]]:
    """Return the workload and each configuration's speeds (``plain-1``, ``ours-2``, …), one per repeat."""
    plain = spacy.load(resolve_model_name())
    ours = cli_pipeline()
    work = workload(articles)
    warm = workload(4)
    plain_run(plain, warm, 1)
    ours_run(ours, warm, 1)
    configurations = [
        ("plain-1", plain_run, plain, 1),
        ("ours-1", ours_run, ours, 1),
        ("plain-2", plain_run, plain, 2),
        ("ours-2", ours_run, ours, 2),
    ]
    speeds: dict[str, list[Timing]] = {name: [] for name, *_ in configurations}
    for repeat in range(repeats):
        order = configurations if repeat % 2 == 0 else configurations[::-1]
        for name, run, nlp, processes in order:
            speeds[name].append(timed(run, nlp, work, processes))
    return work, speeds


def _best(speeds: dict[str, list[Timing]], name: str, clock: str = "wall") -> float:
    """Return a configuration's best speed over the repeats, in words per second of ``clock``."""
    return max(getattr(timing, clock) for timing in speeds[name])


def _ratio(speeds: dict[str, list[Timing]], numerator: str, denominator: str, clock: str = "wall") -> float:
    """Return the ratio of two configurations' best speeds: the ratio of the figures the table shows."""
    return _best(speeds, numerator, clock) / _best(speeds, denominator, clock)


def _each_repeat(
    speeds: dict[str, list[Timing]], numerator: str, denominator: str, clock: str = "wall"
) -> str:
    """Return the ratio within each repeat, e.g. ``0.87, 1.31, 1.40``: how much neighbours moved it."""
    pairs = zip(speeds[numerator], speeds[denominator], strict=True)
    return ", ".join(f"{getattr(a, clock) / getattr(b, clock):.2f}" for a, b in pairs)


def _speed(speeds: dict[str, list[Timing]], name: str) -> str:
    return f"{_best(speeds, name):,.0f} words/s"


def _cores_used(speeds: dict[str, list[Timing]], name: str) -> float:
    """Return the median CPU seconds per wall-clock second of a configuration: the cores it really got."""
    return median([timing.wall / timing.cpu for timing in speeds[name]])


def _at_least(measure: str, value: float, goal: float, unit: str = "") -> Result:
    return Result(NAME, measure, f"{value:.2f}{unit}", f"≥ {goal}{unit}", verdict(value >= goal))


def _compared(
    speeds: dict[str, list[Timing]], measure: str, numerator: str, denominator: str, clock: str = "wall"
) -> tuple[str, float]:
    """Return a ratio row's measure, with the ratio within each repeat, and the ratio of the best speeds."""
    each = _each_repeat(speeds, numerator, denominator, clock)
    return f"{measure} (each repeat: {each})", _ratio(speeds, numerator, denominator, clock)


def _shown(compared: tuple[str, float], unit: str = "") -> tuple[str, str]:
    """Return a ratio row's measure and its value as the table shows it, for a row without a goal."""
    measure, value = compared
    return measure, f"{value:.2f}{unit}"


def table(work: Workload, speeds: dict[str, list[Timing]]) -> list[Result]:
    """Return the throughput rows of the results table for these measured speeds."""
    repeats = len(speeds["ours-1"])
    where = f"{len(work.texts)} articles, {work.words:,} words, best of {repeats}"
    return [
        Result(NAME, f"plain spaCy, 1 process ({where})", _speed(speeds, "plain-1")),
        Result(NAME, "our pipeline + CSV rows, 1 process", _speed(speeds, "ours-1")),
        _at_least(*_compared(speeds, "ours / plain, 1 process", "ours-1", "plain-1"), PIPELINE_GOAL),
        _at_least(
            *_compared(
                speeds,
                "ours / plain, 1 process, by CPU time, which busy neighbours cannot skew",
                "ours-1",
                "plain-1",
                clock="cpu",
            ),
            PIPELINE_GOAL,
        ),
        Result(NAME, "plain spaCy, 2 processes", _speed(speeds, "plain-2")),
        Result(NAME, "our pipeline + CSV rows, 2 processes", _speed(speeds, "ours-2")),
        _at_least(*_compared(speeds, "ours / plain, 2 processes", "ours-2", "plain-2"), PIPELINE_GOAL),
        _at_least(*_compared(speeds, "ours, 2 processes / 1", "ours-2", "ours-1"), SCALING_GOAL, "×"),
        Result(
            NAME,
            "… cores the runs got, 1 process / 2 processes (CPU s per wall s; 2 idle cores give 1.0 / 2.0)",
            f"{_cores_used(speeds, 'ours-1'):.2f} / {_cores_used(speeds, 'ours-2'):.2f}",
        ),
        Result(
            NAME,
            "… CPU time per word, 1 process / 2 processes (1.00: the second process adds no work)",
            f"{_ratio(speeds, 'ours-2', 'ours-1', clock='cpu'):.2f}",
        ),
        Result(
            NAME,
            *_shown(
                _compared(speeds, "plain spaCy, 2 processes / 1, for comparison", "plain-2", "plain-1"), "×"
            ),
        ),
    ]


def run(quick: bool = False) -> list[Result]:
    """Return the throughput rows of the results table."""
    articles, repeats = (16, 1) if quick else (120, 3)
    work, speeds = measure(articles, repeats)
    return table(work, speeds)
