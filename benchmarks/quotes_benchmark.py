"""Score quote finding and speaker attribution: our ``article_quotes`` against textacy.

Usage (from the repo root)::

    .venv/bin/python benchmarks/quotes_benchmark.py [--data PATH] [--errors] [--speed] [--model NAME]

Datasets: the Wikinews development set (``../shared/bench/quotes-dev.jsonl`` from the repo root; its
README gives the format and guidelines) and the bundled article, whose gold quotes are in
``benchmarks/bundled-gold.json`` (hand-annotated).

Both systems run on the same Docs from one parse. textacy's quote is its content span (from the
opening to the closing quote-mark token, so marks included) and its speaker is the text of its
speaker tokens; when it raises ``ValueError`` on an odd number of quote marks it found nothing in
that document.

Scoring:

- a predicted quote matches a gold quote when their character spans overlap by at least half of
  the longer span; matching is one-to-one, largest overlaps first. P, R and F1 follow.
- speaker accuracy is over matched quotes. Both names are normalised the same way (lower case,
  possessive 's, leading "the", titles such as "Foreign Minister" and post-nominals such as "QC"
  removed); a speaker is right when the two are equal, when one's words are all among the other's
  ("Lavrov" / "Sergei Lavrov", "Ford" / "Ford Motor Company"), or when one is the other's acronym.
  A pronoun is always wrong; a gold ``null`` speaker is right only if nothing was predicted.
- the dev set's guidelines leave quotes nested inside a quote unannotated (the enclosing span
  covers them), so on that set our nested quotes (``nested_in`` set) are not scored; the bundled
  gold annotates its nested quote, so there they are.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from components.nlp.lexicon import POST_NOMINALS, TITLE_WORDS  # noqa: E402
from components.nlp.pipeline import load_pipeline  # noqa: E402
from components.nlp.quotes import find_quotes  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "bench" / "quotes-dev.jsonl"
BUNDLED_GOLD = Path(__file__).resolve().parent / "bundled-gold.json"
PRONOUNS = frozenset(["he", "she", "him", "her", "his", "they", "them", "it", "its", "we", "i", "you"])


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    speaker: str | None
    text: str = ""


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    speaker_right: int = 0

    def row(self, system: str, dataset: str) -> str:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        acc = self.speaker_right / self.matched if self.matched else 0.0
        return (
            f"| {system} | {dataset} | {p:.3f} | {r:.3f} | {f1:.3f} | {acc:.3f} "
            f"| {self.matched}/{self.gold} (pred {self.predicted}) |"
        )


def normalise_name(name: str | None) -> str:
    if not name:
        return ""
    words = re.sub(r"[’']s\b|[’']$", "", name.lower().replace("’", "'")).replace("-", " ").split()
    words = [w.strip(".,") for w in words]
    while words and words[0] in ("the", "a", "an"):
        words.pop(0)
    while len(words) > 1 and words[0] in TITLE_WORDS | {"of", "to", "for", "us", "u.s", "uk"}:
        words.pop(0)
    while len(words) > 1 and words[-1] in POST_NOMINALS:
        words.pop()
    return " ".join(w for w in words if w)


def _acronym(name: str) -> str:
    return "".join(w[0] for w in name.split() if w not in ("of", "the", "and", "for"))


def speaker_right(predicted: str | None, gold: str | None) -> bool:
    if gold is None:
        return predicted is None
    if predicted is None or predicted.strip().lower() in PRONOUNS:
        return False
    p, g = normalise_name(predicted), normalise_name(gold)
    if not p or p in PRONOUNS:
        return False
    if p == g:
        return True
    pw, gw = set(p.split()), set(g.split())
    return pw <= gw or gw <= pw or p.replace(" ", "") == _acronym(g) or g.replace(" ", "") == _acronym(p)


def match(pred: list[Span], gold: list[Span]) -> list[tuple[int, int]]:
    """One-to-one matches (pred index, gold index): overlap >= half of the longer span."""
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            overlap = min(p.end, g.end) - max(p.start, g.start)
            if overlap > 0 and overlap * 2 >= max(p.end - p.start, g.end - g.start):
                pairs.append((overlap, i, j))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def ours(doc, include_nested: bool) -> list[Span]:
    quotes, _ = find_quotes(doc)
    return [Span(q.start, q.end, q.speaker, q.text) for q in quotes if include_nested or q.nested_in is None]


def textacy_quotes(doc) -> list[Span]:
    from textacy.extract.triples import direct_quotations

    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        return []
    spans = []
    for t in triples:
        speaker = " ".join(tok.text for tok in t.speaker)
        spans.append(Span(t.content.start_char, t.content.end_char, speaker, t.content.text))
    return spans


def load_dev(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_bundled() -> dict:
    gold = json.loads(BUNDLED_GOLD.read_text(encoding="utf-8"))
    gold["text"] = (ROOT / gold["path"]).read_text(encoding="utf-8")
    for q in gold["quotes"]:
        assert gold["text"][q["start"] : q["end"]] == q["text"], q
    return gold


def evaluate(
    articles: list[dict], docs: list, system: str, include_nested: bool, errors: list[str] | None
) -> Score:
    score = Score()
    for article, doc in zip(articles, docs, strict=True):
        gold = [Span(q["start"], q["end"], q["speaker"], q["text"]) for q in article["quotes"]]
        pred = ours(doc, include_nested) if system == "ours" else textacy_quotes(doc)
        pairs = match(pred, gold)
        score.gold += len(gold)
        score.predicted += len(pred)
        score.matched += len(pairs)
        for i, j in pairs:
            if speaker_right(pred[i].speaker, gold[j].speaker):
                score.speaker_right += 1
            elif errors is not None:
                wrong = f"WRONG SPEAKER {pred[i].speaker!r} (gold {gold[j].speaker!r})"
                errors.append(f"{article['id']}: {wrong} {gold[j].text[:70]!r}")
        if errors is not None:
            matched_p, matched_g = {i for i, _ in pairs}, {j for _, j in pairs}
            for j, g in enumerate(gold):
                if j not in matched_g:
                    errors.append(f"{article['id']}: MISSED {g.text[:80]!r} (gold {g.speaker!r})")
            for i, p in enumerate(pred):
                if i not in matched_p:
                    errors.append(f"{article['id']}: FALSE POSITIVE {p.text[:80]!r} ({p.speaker!r})")
    return score


def speed(nlp, texts: list[str], repeats: int) -> str:
    """Throughput of the plain model vs. the model with ``article_quotes``, in process CPU time.

    Both pipelines run on each text in turn (so background load hits both alike), and
    ``find_quotes`` is also timed alone on the plain pipeline's Doc.
    """
    import spacy

    from components.nlp.pipeline import resolve_model_name

    with_quotes = spacy.load(resolve_model_name(None))
    with_quotes.add_pipe("article_quotes")
    plain_cpu = ours_cpu = component_cpu = 0.0
    tokens = 0
    for _ in range(repeats):
        for text in texts:
            t0 = time.process_time()
            doc = nlp(text)
            t1 = time.process_time()
            find_quotes(doc)
            t2 = time.process_time()
            with_quotes(text)
            t3 = time.process_time()
            plain_cpu, component_cpu, ours_cpu = (
                plain_cpu + t1 - t0,
                component_cpu + t2 - t1,
                ours_cpu + t3 - t2,
            )
            tokens += len(doc)
    return (
        f"throughput (CPU time, {len(texts) * repeats} docs, {tokens:,} tokens): "
        f"plain {tokens / plain_cpu:,.0f} tokens/s, with article_quotes {tokens / ours_cpu:,.0f} tokens/s "
        f"-> ratio {plain_cpu / ours_cpu:.3f}; "
        f"find_quotes alone costs {component_cpu / plain_cpu:.1%} of the parse "
        f"(ratio {plain_cpu / (plain_cpu + component_cpu):.3f})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="quotes-dev.jsonl path")
    parser.add_argument(
        "--errors", action="store_true", help="list our misses, false positives, wrong speakers"
    )
    parser.add_argument("--speed", action="store_true", help="also compare throughput with plain spaCy")
    parser.add_argument("--model", default=None, help="spaCy pipeline to load (default: the app's)")
    args = parser.parse_args(argv)

    nlp = load_pipeline(args.model)
    datasets = []
    if args.data.exists():
        dev = load_dev(args.data)
        datasets.append(("dev", dev, False))
    else:
        print(f"(dev set not found at {args.data}; scoring the bundled article only)", file=sys.stderr)
    datasets.append(("bundled", [load_bundled()], True))

    errors: list[str] = []
    print("| system | dataset | P | R | F1 | speaker acc. | matched/gold |")
    print("|---|---|---|---|---|---|---|")
    for name, articles, nested in datasets:
        docs = list(nlp.pipe(a["text"] for a in articles))
        for system in ("ours", "textacy"):
            log = errors if args.errors and system == "ours" else None
            if log is not None:
                log.append(f"--- {name} ---")
            score = evaluate(articles, docs, system, nested, log)
            print(score.row("article_quotes" if system == "ours" else "textacy direct_quotations", name))
    if args.errors:
        print()
        print("\n".join(errors))
    if args.speed and datasets:
        print()
        print(speed(nlp, [a["text"] for _, arts, _ in datasets for a in arts], repeats=3))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
