"""Score the country of each place mention, this tree's resolver beside an older one, in one run.

Usage (from the repo root)::

    .venv/bin/python benchmarks/countries_benchmark.py [--baseline REV | --no-baseline] [--errors]

Gold (format and guidelines in ``benchmarks/README.md``): ``countries-gold-passages.txt``, news
passages written for this project with inline marks, and ``countries-gold-dev.json``, the place
mentions of the Wikinews development articles in ``../shared/bench/*.jsonl``.

Each resolver runs in its own Python process (``country_predictions.py``) over the same texts: this
tree, and ``REV`` (by default the last commit before the resolver was rewritten for issue 12)
unpacked with ``git archive`` into a temporary folder. This module imports nothing from
``components/``: it only reads the predictions.

Scoring, per mention: a predicted country (an entity with ``_.country``) is right when it overlaps a
gold mention of the same country, one prediction per gold mention. A prediction overlapping an
*optional* gold mention of its country (a place name inside an organisation's name, a team named
after its town) counts neither way, nor does a second prediction inside an already matched gold
mention; every other prediction is wrong: another country, a name that is no place here (a person,
an ordinary word), or a span the gold does not mark. Recall is over the gold mentions that are not
optional; "of tagged" is the recall over those the model made an entity of at all, which is all a
resolver can reach. Per article, the same over each article's set of countries (an optional
mention's country counts neither way).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.report import Result, verdict
from benchmarks.text_variants import VARIANTS

NAME = "countries"

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PASSAGES = HERE / "countries-gold-passages.txt"
DEV_GOLD = HERE / "countries-gold-dev.json"
DEV_TEXTS = ROOT.parent / "shared" / "bench"
PREDICTOR = HERE / "country_predictions.py"
# The last commit of main before issue 12's work on the resolver began.
DEFAULT_BASELINE = "958e2fd"

_MARK = re.compile(r"\[\[([^|\]]+)\|([^|\]]+)\|([^|\]]+)\]\]")
_HEADER = re.compile(r"^## (\S+) \| ([^|]+?) \| (.*)$")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    iso3: str | None  # None: a name that is not a place here
    kind: str
    optional: bool = False


@dataclass
class Article:
    id: str
    part: str  # "own" or "dev"
    region: str
    text: str
    mentions: list[Mention]


def parse_passages(path: Path) -> list[Article]:
    """Return the passages of the marked-up gold file, with the marks stripped and their offsets."""
    articles: list[Article] = []
    header: tuple[str, str] | None = None
    lines: list[str] = []

    def close() -> None:
        if header is None:
            return
        marked = "\n".join(lines).strip("\n")
        text_parts: list[str] = []
        mentions: list[Mention] = []
        cursor = length = 0
        for match in _MARK.finditer(marked):
            text_parts.append(marked[cursor : match.start()])
            length += match.start() - cursor
            name, code, kind = match.group(1), match.group(2).strip(), match.group(3).strip()
            optional = code.endswith("?")
            iso3 = None if code == "-" else code.rstrip("?")
            mentions.append(Mention(length, length + len(name), name, iso3, kind, optional))
            text_parts.append(name)
            length += len(name)
            cursor = match.end()
        text_parts.append(marked[cursor:])
        text = "".join(text_parts)
        if "[[" in text or "]]" in text:
            raise ValueError(f"{header[0]}: a mark is malformed")
        articles.append(Article(header[0], "own", header[1], text, mentions))

    for line in path.read_text(encoding="utf-8").splitlines():
        if match := _HEADER.match(line):
            close()
            header, lines = (match.group(1), match.group(2).strip()), []
        elif line.startswith("#"):
            continue
        elif header is not None:
            lines.append(line)
    close()
    return articles


def load_dev(gold_path: Path, texts_dir: Path) -> list[Article]:
    """Return the development articles with their gold mentions (checked against the texts)."""
    texts: dict[str, str] = {}
    for path in sorted(texts_dir.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                texts[record["id"]] = record["text"]
    articles = []
    for entry in json.loads(gold_path.read_text(encoding="utf-8"))["articles"]:
        text = texts[entry["id"]]
        mentions = []
        for m in entry["mentions"]:
            if text[m["start"] : m["end"]] != m["text"]:
                raise ValueError(f"{entry['id']}: offsets {m['start']}-{m['end']} are not {m['text']!r}")
            mentions.append(
                Mention(m["start"], m["end"], m["text"], m["iso3"], m["kind"], m.get("optional", False))
            )
        articles.append(Article(entry["id"], "dev", entry["region"], text, mentions))
    return articles


def predict(root: Path, articles: list[Article], workdir: Path) -> dict[str, list[dict]]:
    """Return each article's entities as the code under ``root`` resolves them (in a subprocess)."""
    source = workdir / "articles.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for article in articles:
            handle.write(json.dumps({"id": article.id, "text": article.text}, ensure_ascii=False) + "\n")
    env = {**os.environ, "PYTHONPATH": str(root)}
    result = subprocess.run(
        [sys.executable, str(PREDICTOR), str(root), str(source)],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"predictions under {root} failed:\n{result.stderr[-3000:]}")
    return {record["id"]: record["entities"] for record in map(json.loads, result.stdout.splitlines())}


def unpack(rev: str, workdir: Path) -> Path:
    """Return a folder holding the tree of git revision ``rev``."""
    target = workdir / f"tree-{rev}"
    target.mkdir()
    archive = workdir / f"{rev}.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), rev], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


@dataclass
class Score:
    right: int = 0
    predicted: int = 0
    gold: int = 0
    gold_tagged: int = 0
    set_right: int = 0
    set_predicted: int = 0
    set_gold: int = 0
    errors: list[str] = field(default_factory=list)
    error_classes: Counter[str] = field(default_factory=Counter)

    def add(self, other: Score) -> None:
        for name in ("right", "predicted", "gold", "gold_tagged", "set_right", "set_predicted", "set_gold"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors
        self.error_classes.update(other.error_classes)


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "–"


def score_article(article: Article, entities: list[dict]) -> Score:
    """Return the per-mention and per-article counts of one article."""
    score = Score()
    predictions = [e for e in entities if e.get("iso3")]
    positives = [m for m in article.mentions if m.iso3 and not m.optional]
    used: set[int] = set()
    for mention in positives:
        score.gold += 1
        if any(_overlaps(e["start"], e["end"], mention.start, mention.end) for e in entities):
            score.gold_tagged += 1
        match = next(
            (
                i
                for i, e in enumerate(predictions)
                if i not in used
                and e["iso3"] == mention.iso3
                and _overlaps(e["start"], e["end"], mention.start, mention.end)
            ),
            None,
        )
        if match is not None:
            used.add(match)
            score.right += 1
            continue
        tagged = [e for e in entities if _overlaps(e["start"], e["end"], mention.start, mention.end)]
        got = ", ".join(f"{e['text']!r} {e['label']} → {e.get('iso3')}" for e in tagged) or "no entity"
        kind = "missed, no entity" if not tagged else "missed, no or another country"
        score.error_classes[kind] += 1
        score.errors.append(
            f"{article.id}: {kind}: {mention.text!r} ({mention.kind}, {mention.iso3}) got {got}"
        )
    matched_spans = [(predictions[i]["start"], predictions[i]["end"]) for i in used]
    ignored = 0
    for i, e in enumerate(predictions):
        if i in used:
            continue
        overlapping = [m for m in article.mentions if _overlaps(e["start"], e["end"], m.start, m.end)]
        optional = any(m.iso3 == e["iso3"] and m.optional for m in overlapping)
        # A second piece of a gold mention already matched ("Winchester" of "Winchester, Hampshire").
        second_piece = any(m.iso3 == e["iso3"] for m in overlapping) and any(
            _overlaps(e["start"], e["end"], s, t) for s, t in matched_spans
        )
        if optional or second_piece:
            ignored += 1
            continue
        if not overlapping:
            kind = "unmarked span"
        elif all(m.iso3 is None for m in overlapping):
            kind = f"not a place ({overlapping[0].kind})"
        else:
            kind = "wrong country"
        score.error_classes[kind] += 1
        gold = ", ".join(f"{m.text!r} → {m.iso3}" for m in overlapping) or "nothing marked"
        score.errors.append(
            f"{article.id}: {kind}: {e['text']!r} {e['label']} → {e['iso3']} ({e.get('reason')}); gold {gold}"
        )
    score.predicted = len(predictions) - ignored
    gold_set = {m.iso3 for m in positives}
    optional_set = {m.iso3 for m in article.mentions if m.iso3 and m.optional} - gold_set
    predicted_set = {e["iso3"] for e in predictions} - optional_set
    score.set_gold, score.set_predicted = len(gold_set), len(predicted_set)
    score.set_right = len(gold_set & predicted_set)
    return score


def score_all(articles: Iterable[Article], predictions: dict[str, list[dict]]) -> Score:
    """Return the summed score of ``articles``."""
    total = Score()
    for article in articles:
        total.add(score_article(article, predictions.get(article.id, [])))
    return total


def composition(articles: list[Article]) -> str:
    """Return a markdown summary of the gold set: mentions by kind, by region and by part."""
    kinds: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    parts: Counter[str] = Counter()
    negatives: Counter[str] = Counter()
    optional = 0
    for article in articles:
        for m in article.mentions:
            if m.optional:
                optional += 1
            elif m.iso3 is None:
                negatives[m.kind] += 1
            else:
                kinds[m.kind] += 1
                regions[article.region] += 1
                parts[article.part] += 1
    countries = {m.iso3 for a in articles for m in a.mentions if m.iso3}

    def fmt(counter: Counter[str]) -> str:
        return ", ".join(f"{name} {count}" for name, count in counter.most_common())

    return (
        f"Gold: {len(articles)} articles, {sum(kinds.values())} place mentions of {len(countries)} countries "
        f"(own passages {parts['own']}, development articles {parts['dev']}), {optional} optional, "
        f"{sum(negatives.values())} names that are no place ({fmt(negatives)}).\n\n"
        f"By kind: {fmt(kinds)}.\n\nBy region of the article: {fmt(regions)}.\n"
    )


def table(rows: list[tuple[str, str, Score]]) -> str:
    """Return the markdown table of the scores."""
    out = [
        "| resolver | articles | mention P | mention R | R of tagged | right / predicted / gold "
        "| article-set P | article-set R |",
        "|---|---|---:|---:|---:|---|---:|---:|",
    ]
    for name, part, s in rows:
        out.append(
            f"| {name} | {part} | {_ratio(s.right, s.predicted)} | {_ratio(s.right, s.gold)} "
            f"| {_ratio(s.right, s.gold_tagged)} | {s.right} / {s.predicted} / {s.gold} "
            f"| {_ratio(s.set_right, s.set_predicted)} | {_ratio(s.set_right, s.set_gold)} |"
        )
    return "\n".join(out)


def variant_articles(articles: list[Article], name: str) -> list[Article]:
    """Return ``articles`` laid out as variant ``name`` (``text_variants``), mentions moved along."""
    make = VARIANTS[name]
    moved = []
    for article in articles:
        text, where = make(article.text)
        mentions = [
            Mention(
                where(m.start), where(m.end), text[where(m.start) : where(m.end)], m.iso3, m.kind, m.optional
            )
            for m in article.mentions
        ]
        moved.append(Article(article.id, article.part, article.region, text, mentions))
    return moved


def load_gold() -> list[Article]:
    """Return the gold articles: the own passages, and the development articles if their texts are here."""
    articles = parse_passages(PASSAGES)
    if DEV_TEXTS.is_dir():
        articles += load_dev(DEV_GOLD, DEV_TEXTS)
    else:
        print(f"({DEV_TEXTS} not found: scoring the own passages only)", file=sys.stderr)
    return articles


def evaluate(
    articles: list[Article], baseline: str | None, variants: list[str] = ()
) -> tuple[list[tuple[str, str, Score]], dict[str, Score]]:
    """Return the table rows and each system's score over all articles (variants: this tree only)."""
    rows: list[tuple[str, str, Score]] = []
    scores: dict[str, Score] = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        systems: list[tuple[str, Path]] = [("this tree", ROOT)]
        if baseline:
            systems.insert(0, (f"before ({baseline})", unpack(baseline, workdir)))
        for name, root in systems:
            predictions = predict(root, articles, workdir)
            for part, label in (("own", "own passages"), ("dev", "development"), (None, "all")):
                chosen = [a for a in articles if part is None or a.part == part]
                score = score_all(chosen, predictions)
                rows.append((name, f"{label} ({len(chosen)})", score))
                if part is None:
                    scores[name] = score
        for variant in variants:
            laid_out = variant_articles(articles, variant)
            score = score_all(laid_out, predict(ROOT, laid_out, workdir))
            rows.append(("this tree", f"all, {variant}", score))
            scores[f"this tree, {variant}"] = score
    return rows, scores


# The goal of issue 12, per mention over the whole gold set.
PRECISION_GOAL, RECALL_GOAL = 0.97, 0.95


def run(quick: bool = False) -> list[Result]:
    """Return the countries rows of ``python -m benchmarks``' table (``quick``: no layout variants)."""
    articles = load_gold()
    baseline = DEFAULT_BASELINE if (ROOT / ".git").exists() else None
    _, scores = evaluate(articles, baseline, [] if quick else list(VARIANTS))
    rows = []
    for name, score in scores.items():
        p, r = score.right / max(score.predicted, 1), score.right / max(score.gold, 1)
        ap, ar = score.set_right / max(score.set_predicted, 1), score.set_right / max(score.set_gold, 1)
        where = f" ({len(articles)} articles, {score.gold} mentions)" if name == "this tree" else ""
        rows.append(Result(NAME, f"{name}: per mention P / R{where}", f"{p:.3f} / {r:.3f}"))
        rows.append(Result(NAME, f"{name}: countries per article P / R", f"{ap:.3f} / {ar:.3f}"))
    mine = scores["this tree"]
    rows.append(
        Result(
            NAME,
            "this tree: per mention precision, recall",
            f"{mine.right / mine.predicted:.3f}, {mine.right / mine.gold:.3f}",
            f"≥ {PRECISION_GOAL}, ≥ {RECALL_GOAL}",
            verdict(mine.right / mine.predicted >= PRECISION_GOAL and mine.right / mine.gold >= RECALL_GOAL),
        )
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run both resolvers on the gold texts and print the table; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="git revision of the older resolver")
    parser.add_argument("--no-baseline", action="store_true", help="score this tree only")
    parser.add_argument(
        "--variants",
        action="store_true",
        help=f"also score this tree on the texts laid out as {', '.join(VARIANTS)}",
    )
    parser.add_argument("--errors", action="store_true", help="list this tree's errors")
    parser.add_argument("--composition", action="store_true", help="describe the gold set")
    args = parser.parse_args(argv)

    articles = load_gold()
    started = time.perf_counter()
    rows, scores = evaluate(
        articles, None if args.no_baseline else args.baseline, list(VARIANTS) if args.variants else []
    )
    print(composition(articles) if args.composition else "")
    print(table(rows))
    mine = scores["this tree"]
    print(f"\nThis tree's errors by class: {dict(mine.error_classes.most_common()) or 'none'}")
    print(f"({time.perf_counter() - started:.0f} s)")
    if args.errors:
        print("\n".join(["", *sorted(mine.errors)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
