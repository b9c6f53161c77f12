"""Score our ``article_quotes`` beside textacy on every development set, in every layout variant.

Usage (from the repo root)::

    make bench-quotes
    .venv/bin/python -m benchmarks.quotes_benchmark [--variants NAME ...] [--errors [VARIANT]] [--model NAME]

Data: every ``quotes-*.jsonl`` under ``../shared/bench/`` (the Wikinews development sets; their
README gives the format and the annotation guidelines) and the bundled article, whose gold quotes
are in ``benchmarks/bundled-gold.json``. Each article is also scored in each variant of
``benchmarks/quotes_variants.py`` (hard-wrapped, other quote marks, Windows line endings), the gold
offsets mapped through, in the same run.

Both systems read the same Doc of one parse: ours is ``doc._.quotes`` from the app's pipeline;
textacy 0.13's ``direct_quotations`` gives its content span (marks included) and its speaker tokens,
and when it raises on an odd number of marks it found nothing in that article. The development
sets' guidelines leave quotes nested in a quote unannotated, so our nested quotes are not scored
there; the bundled gold annotates its nested quote, so there they are. Scoring (strict boundaries,
strict and lenient speakers, error classes) is in ``benchmarks/quotes_scoring.py``, which imports
nothing from ``components/``.

The report is printed and written to ``build/benchmarks/quotes.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.quotes_scoring import ERROR_CLASSES, QuoteSpan, Score, score_article, total
from benchmarks.quotes_variants import VARIANT_NAMES, make_variant

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT.parent / "shared" / "bench"
BUNDLED_GOLD = Path(__file__).resolve().parent / "bundled-gold.json"
DEFAULT_OUT = ROOT / "build" / "benchmarks" / "quotes.md"
SYSTEMS = ("ours", "textacy")


@dataclass(frozen=True)
class Article:
    """One gold article: its text and its quotes."""

    id: str
    text: str
    quotes: list[QuoteSpan]


@dataclass(frozen=True)
class Dataset:
    """A named list of gold articles; ``nested`` says whether its gold annotates nested quotes."""

    name: str
    articles: list[Article]
    nested: bool


def _article(record: dict) -> Article:
    quotes = [
        QuoteSpan(q["start"], q["end"], q["speaker"], q.get("speaker_mention")) for q in record["quotes"]
    ]
    for q, raw in zip(quotes, record["quotes"], strict=True):
        if record["text"][q.start : q.end] != raw["text"]:
            raise ValueError(f"{record['id']}: gold offsets {q.start}:{q.end} do not hold {raw['text']!r}")
    return Article(record["id"], record["text"], quotes)


def load_datasets(bench_dir: Path = BENCH_DIR) -> list[Dataset]:
    """Return every development set under ``bench_dir`` and the bundled article."""
    sets = []
    for path in sorted(bench_dir.glob("quotes-*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle if line.strip()]
        sets.append(Dataset(path.stem.removeprefix("quotes-"), [_article(r) for r in records], nested=False))
    gold = json.loads(BUNDLED_GOLD.read_text(encoding="utf-8"))
    gold["text"] = (ROOT / gold["path"]).read_text(encoding="utf-8")
    sets.append(Dataset("bundled", [_article(gold)], nested=True))
    return sets


def in_variant(article: Article, name: str) -> Article:
    """Return the article in variant ``name``, its gold spans mapped through."""
    variant = make_variant(name, article.text, [(q.start, q.end) for q in article.quotes])
    quotes = [QuoteSpan(*variant.span(q.start, q.end), q.speaker, q.mention) for q in article.quotes]
    return Article(article.id, variant.text, quotes)


def our_quotes(doc, nested: bool) -> list[QuoteSpan]:
    """Return the pipeline's quotes of a Doc (without nested ones unless ``nested``)."""
    return [
        QuoteSpan(q.start, q.end, q.speaker, q.mention) for q in doc._.quotes if nested or q.nested_in is None
    ]


def textacy_quotes(doc) -> list[QuoteSpan]:
    """Return textacy's direct quotations of a Doc (none when it gives up on odd marks)."""
    from textacy.extract.triples import direct_quotations

    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        return []
    spans = []
    for t in triples:
        speaker = " ".join(tok.text for tok in t.speaker) or None
        spans.append(QuoteSpan(t.content.start_char, t.content.end_char, speaker))
    return spans


def score_set(nlp, dataset: Dataset, variant: str) -> dict[str, Score]:
    """Return each system's score of one dataset in one variant."""
    articles = [in_variant(a, variant) for a in dataset.articles]
    scores: dict[str, list[Score]] = {system: [] for system in SYSTEMS}
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        if doc.text != article.text:
            raise AssertionError(f"{article.id} ({variant}): the Doc's text is not the article's")
        for system, predicted in (
            ("ours", our_quotes(doc, dataset.nested)),
            ("textacy", textacy_quotes(doc)),
        ):
            scores[system].append(score_article(article.id, article.text, predicted, article.quotes))
    return {system: total(found) for system, found in scores.items()}


# -- the report ------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{x:.3f}"


def variant_table(name: str, results: dict[str, dict[str, Score]]) -> str:
    """Return one dataset's table: a row per variant, both systems, ΔF1 against the original."""
    lines = [
        f"**{name}**",
        "",
        "| variant | ours P | ours R | ours F1 | ΔF1 | speaker strict | speaker lenient | matched/gold (pred) "
        "| textacy F1 | textacy strict | textacy lenient |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    base = results.get("original", {}).get("ours")
    for variant, by_system in results.items():
        ours, theirs = by_system["ours"], by_system["textacy"]
        p, r, f1, strict, lenient = ours.figures()
        _, _, tf1, tstrict, tlenient = theirs.figures()
        delta = f"{f1 - base.f1:+.3f}" if base is not None else ""
        lines.append(
            f"| {variant} | {_pct(p)} | {_pct(r)} | {_pct(f1)} | {delta} | {_pct(strict)} | {_pct(lenient)} "
            f"| {ours.matched}/{ours.gold} ({ours.predicted}) | {_pct(tf1)} | {_pct(tstrict)} | {_pct(tlenient)} |"
        )
    return "\n".join(lines)


def error_table(all_results: dict[str, dict[str, dict[str, Score]]]) -> str:
    """Return the errors by class: ours per dataset (original text), ours over the variants, textacy."""
    names = list(all_results)
    header = "| class | " + " | ".join(f"ours {n}" for n in names)
    header += " | ours, variants (mean per variant) | textacy, all sets |"
    lines = [header, "|---|" + "---:|" * (len(names) + 2)]
    per_set = {
        n: all_results[n]["original"]["ours"].by_class() for n in names if "original" in all_results[n]
    }
    variant_counts: dict[str, float] = {}
    variants = {v for n in names for v in all_results[n] if v != "original"}
    for n in names:
        for v, by_system in all_results[n].items():
            if v != "original":
                for kind, count in by_system["ours"].by_class().items():
                    variant_counts[kind] = variant_counts.get(kind, 0) + count / len(variants)
    theirs = total(all_results[n]["original"]["textacy"] for n in names if "original" in all_results[n])
    textacy_counts = theirs.by_class()
    for kind in ERROR_CLASSES:
        cells = [str(per_set.get(n, {}).get(kind, 0)) for n in names]
        lines.append(
            f"| {kind} | "
            + " | ".join(cells)
            + f" | {variant_counts.get(kind, 0):.1f} | {textacy_counts[kind]} |"
        )
    return "\n".join(lines)


def report(all_results: dict[str, dict[str, dict[str, Score]]], seconds: float) -> str:
    parts = [
        "Quote F1 with strict boundaries; speaker accuracy over matched quotes, strict (normalised full "
        "name) and lenient (surname). ΔF1: against the same set's original text.",
        "",
    ]
    for name, results in all_results.items():
        parts += [variant_table(name, results), ""]
    parts += ["**Errors by class** (ours; strict speaker)", "", error_table(all_results), ""]
    parts.append(f"({seconds:.0f} s)")
    return "\n".join(parts)


def _parse_args(argv: Iterable[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.quotes_benchmark", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--variants", nargs="+", choices=VARIANT_NAMES, default=list(VARIANT_NAMES))
    parser.add_argument(
        "--errors",
        nargs="?",
        const="original",
        choices=VARIANT_NAMES,
        help="list our errors in this variant (default: original)",
    )
    parser.add_argument("--model", default=None, help="spaCy pipeline to load (default: the app's)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="also write the report here")
    return parser.parse_args(argv)


def main(argv: Iterable[str] | None = None) -> int:
    args = _parse_args(argv)
    from components.nlp.pipeline import load_pipeline

    started = time.perf_counter()
    nlp = load_pipeline(args.model)
    variants = list(dict.fromkeys(["original", *args.variants]))
    all_results: dict[str, dict[str, dict[str, Score]]] = {}
    for dataset in load_datasets():
        if not dataset.articles:
            continue
        all_results[dataset.name] = {}
        for variant in variants:
            print(f"scoring {dataset.name} / {variant}…", file=sys.stderr, flush=True)
            all_results[dataset.name][variant] = score_set(nlp, dataset, variant)
    text = report(all_results, time.perf_counter() - started)
    if args.errors:
        listed = [
            str(error)
            for results in all_results.values()
            if args.errors in results
            for error in results[args.errors]["ours"].errors
        ]
        text += f"\n\nOur errors ({args.errors}):\n\n" + "\n".join(listed)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
