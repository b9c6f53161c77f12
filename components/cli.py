"""Command line: ``python -m components.cli annotate FILE [FILE ...] --out OUT.csv``.

Writes the model's annotations of each article in the CSV schema of the README, the same rows the
app shows before any correction. ``article_id`` is the file name without ``.txt``, as in the app.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from components.annotations import doc_to_table, empty_table
from components.articles import Article, ArticleError, check_article_text, read_article_file
from components.config import load_settings
from components.exports import to_csv_bytes
from components.pipeline import ModelNotFoundError, load_pipeline


def _read_articles(paths: Sequence[Path], errors: list[str]) -> Iterator[Article]:
    for path in paths:
        try:
            article = read_article_file(path)
            check_article_text(article.text)
        except ArticleError as error:
            errors.append(f"{path}: {error}")
            continue
        yield article


def annotate(paths: Sequence[Path], model: str | None = None, progress: bool = True) -> tuple[pd.DataFrame, list[str]]:
    """Return the model's annotation table of every readable file, and a message for each unreadable one."""
    nlp = load_pipeline(model)
    errors: list[str] = []
    articles = list(_read_articles(paths, errors))
    docs = nlp.pipe(article.text for article in articles)
    tables = [
        doc_to_table(doc, article.article_id)
        for article, doc in tqdm(
            zip(articles, docs), total=len(articles), unit="article", disable=not progress or len(articles) < 2
        )
    ]
    table = pd.concat(tables, ignore_index=True) if tables else empty_table()
    return table, errors


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m components.cli", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    annotate_parser = commands.add_parser("annotate", help="write the model's annotations of articles as CSV")
    annotate_parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help=".txt articles")
    annotate_parser.add_argument("--out", type=Path, required=True, help="the CSV file to write")
    annotate_parser.add_argument("--model", default=None, help="spaCy pipeline (default: SPACY_MODEL or en_core_web_sm)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    args = _build_parser().parse_args(argv)
    model = args.model or load_settings().spacy_model
    try:
        table, errors = annotate(args.files, model)
    except ModelNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for message in errors:
        print(f"skipped {message}", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(to_csv_bytes(table))
    print(f"wrote {len(table)} spans of {table['article_id'].nunique()} article(s) to {args.out}", file=sys.stderr)
    return 1 if errors and table.empty else 0


if __name__ == "__main__":
    sys.exit(main())
