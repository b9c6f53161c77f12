"""Run the benchmarks and print one markdown table: ``python -m benchmarks [PART ...] [--quick]``."""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks import archive, countries_benchmark, long_article, page, readers, throughput
from benchmarks.report import Result, cpu_pressure, load_average, machine_summary, markdown_table
from components.config import PROJECT_ROOT

PARTS: dict[str, Callable[[bool], list[Result]]] = {
    "throughput": throughput.run,
    "page": page.run,
    "readers": readers.run,
    "long-article": long_article.run,
    "archive": archive.run,
    "countries": countries_benchmark.run,
}
DEFAULT_OUT = PROJECT_ROOT / "build" / "benchmarks" / "results.md"


def _part_name(text: str) -> str:
    name = text.replace("_", "-")
    if name not in PARTS:
        raise argparse.ArgumentTypeError(f"unknown part {text!r} (choose from {', '.join(PARTS)})")
    return name


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument(
        "parts", nargs="*", type=_part_name, metavar="PART", help=f"any of: {', '.join(PARTS)} (default: all)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="small workloads and few runs: a smoke test, not a measurement"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"also write the table here (default: {DEFAULT_OUT.relative_to(PROJECT_ROOT)})",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen parts, print the machine and the results table, and return the exit status."""
    args = _build_parser().parse_args(argv)
    results: list[Result] = []
    loads: list[str] = []
    failed = False
    for name in args.parts or list(PARTS):
        print(f"running {name}{' (quick)' if args.quick else ''}…", file=sys.stderr, flush=True)
        start, load_before = time.perf_counter(), load_average()
        try:
            results += PARTS[name](args.quick)
        except Exception as error:
            traceback.print_exc()
            first_line = (str(error).splitlines() or [""])[0]
            results.append(Result(name, "failed", f"{type(error).__name__}: {first_line[:120]}"))
            failed = True
        took = time.perf_counter() - start
        # Other people's work on a shared machine moves every figure: say how busy it was.
        pressure = cpu_pressure()
        waited = f", CPU wait {pressure}" if pressure else ""
        loads.append(f"{name} {load_before} → {load_average()}{waited} ({took:.0f} s)")
        print(f"  {loads[-1]}", file=sys.stderr, flush=True)
    report = (
        f"Machine: {machine_summary()}\n\n"
        "Load average (1 min) before → after each part, and the share of the last minute in which a task "
        f"waited for a CPU: {'; '.join(loads)}\n\n"
        f"{markdown_table(results)}\n"
    )
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
