"""Command line: ``python -m components.cli annotate INPUT [INPUT ...] --out OUT.csv`` and
``python -m components.cli import FILE (--article ID | --corpus)``.

``import`` brings an annotation file (our CSV or .xlsx, span JSONL, Label Studio JSON, doccano
JSONL; see ``annotations.import_formats``) into the articles of ``ARTICLES_DIR``: it prints what
would change, per article, with every refused span and why, and saves each article's accepted
spans as one change in its edit log (not with ``--dry-run``).

Writes the model's annotations of each article in the CSV schema of the README, the same rows the
app shows before any correction. ``article_id`` is the file name without ``.txt``, as in the app, so
two inputs with the same name in different folders would be one article twice: such a run is
refused before anything is written, with the clashing files named.

An input is a file, a folder (its ``.txt`` files) or a quoted glob pattern (``'archive/**/*.txt'``).
Articles are read one at a time and their rows written as soon as they are ready, so memory stays
flat however many there are. The parsing runs in this process, in ``--processes N`` processes
(spaCy's ``nlp.pipe(n_process=N)``) or on a Dask cluster (``--dask ADDRESS``); all three write the
same bytes: articles in input order, and one ``updated_at`` for the whole run (``--updated-at``).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final, NamedTuple

import numpy
from spacy.language import Language
from spacy.tokens import Doc
from tqdm import tqdm

from components.annotations.exports import to_csv_bytes
from components.annotations.import_formats import ImportFormatError, read_annotation_file
from components.annotations.schema import utc_now
from components.annotations.store import AnnotationStore
from components.annotations.table import doc_to_table, empty_table
from components.config import load_settings
from components.corpus.article_files import TextAndId, duplicate_ids, expand_inputs, read_articles
from components.corpus.articles import (
    ArticleLibrary,
)
from components.corpus.importing import import_annotations, report_lines
from components.nlp.pipeline import ModelNotFoundError, load_pipeline, resolve_model_name

if TYPE_CHECKING:
    from distributed import Client

CSV_ROWS_COMPONENT: Final = "annotation_csv_rows"
# Articles per nlp.pipe batch: memory grows with it (about 10 MB per 600-word article with the small
# model) and larger batches are no faster on a CPU.
DEFAULT_BATCH_SIZE: Final = 8
TIMESTAMP_FORMAT: Final = "%Y-%m-%dT%H:%M:%SZ"
CSV_HEADER: Final = to_csv_bytes(empty_table())
_ROWS_KEY: Final = "annotation_csv_rows"
_SPANS_KEY: Final = "annotation_csv_spans"


class ArticleRows(NamedTuple):
    """One article's annotation rows: its id, its CSV records (no header) and how many spans they hold."""

    article_id: str
    records: bytes
    spans: int


class ClusterUnreachableError(RuntimeError):
    """No Dask scheduler answered at the address given; the message says which and why."""


class DaskNotInstalledError(RuntimeError):
    """``--dask`` was asked for without the optional Dask packages; the message says what to install."""


# --- the pipeline ----------------------------------------------------------------------------------


def article_csv_records(doc: Doc, article_id: str, updated_at: str) -> tuple[bytes, int]:
    """Return the doc's annotation rows as CSV records without the header, and the number of rows."""
    table = doc_to_table(doc, article_id, updated_at)
    # The codec is the one writer of the format; its header is the same for every table.
    return to_csv_bytes(table)[len(CSV_HEADER) :], len(table)


class AnnotationCsvRows:
    """Pipeline component (last): stores the doc's CSV rows in ``doc.user_data``, drops everything else.

    It runs where the parse ran, so with ``n_process`` the rows are made in the worker processes and
    only they travel back: spaCy sends each Doc to the parent with ``Doc.to_bytes``, which would
    also copy the tok2vec tensor and fail on the quote objects in ``doc._.quotes``.
    """

    def __call__(self, doc: Doc, updated_at: str = "") -> Doc:
        """Return ``doc`` holding only its tokens and CSV rows (``updated_at`` from ``component_cfg``)."""
        if not isinstance(doc._context, str):
            raise TypeError(
                f"{CSV_ROWS_COMPONENT} needs the article id as context: nlp.pipe(…, as_tuples=True)"
            )
        records, spans = article_csv_records(doc, doc._context, updated_at or utc_now())
        doc.user_data.clear()
        doc.user_data[_ROWS_KEY] = records
        doc.user_data[_SPANS_KEY] = spans
        doc.tensor = numpy.zeros((0,), dtype="float32")
        return doc


@Language.factory(CSV_ROWS_COMPONENT)
def make_annotation_csv_rows(nlp: Language, name: str) -> AnnotationCsvRows:
    """Return a new ``annotation_csv_rows`` component (spaCy calls this from ``nlp.add_pipe``)."""
    return AnnotationCsvRows()


def cli_pipeline(model: str | None = None) -> Language:
    """Return the app's pipeline with the CSV rows component added last."""
    nlp = load_pipeline(model)
    nlp.add_pipe(CSV_ROWS_COMPONENT, last=True)
    return nlp


def annotate_texts(
    nlp: Language,
    articles: Iterable[TextAndId],
    updated_at: str,
    processes: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[ArticleRows]:
    """Return the rows of each (text, article id) pair, lazily and in order; ``nlp`` is a ``cli_pipeline``."""
    docs = nlp.pipe(
        articles,
        as_tuples=True,
        n_process=processes,
        batch_size=batch_size,
        component_cfg={CSV_ROWS_COMPONENT: {"updated_at": updated_at}},
    )
    for doc, article_id in docs:
        yield ArticleRows(article_id, doc.user_data[_ROWS_KEY], doc.user_data[_SPANS_KEY])


# --- inputs ----------------------------------------------------------------------------------------


def batched(items: Iterable[TextAndId], size: int) -> Iterator[list[TextAndId]]:
    """Return lists of ``size`` consecutive items (the last may be shorter), reading ``items`` lazily."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


# --- Dask ------------------------------------------------------------------------------------------

# One pipeline per worker process and model, loaded by the first batch that needs it.
_WORKER_PIPELINES: dict[str, Language] = {}
_WORKER_PIPELINES_LOCK = threading.Lock()


def worker_pipeline(model: str) -> Language:
    """Return this process's ``cli_pipeline`` for ``model``, loading it on first use only."""
    # A worker with several threads could start several batches at once: load the model once.
    with _WORKER_PIPELINES_LOCK:
        if model not in _WORKER_PIPELINES:
            _WORKER_PIPELINES[model] = cli_pipeline(model)
        return _WORKER_PIPELINES[model]


def annotate_batch(batch: list[TextAndId], model: str, updated_at: str) -> list[ArticleRows]:
    """Return the rows of each article of ``batch``, in order (a Dask task; runs on a worker)."""
    nlp = worker_pipeline(model)
    return list(annotate_texts(nlp, batch, updated_at, processes=1, batch_size=len(batch)))


def dask_rows(
    client: Client, articles: Iterable[TextAndId], model: str, updated_at: str, batch_size: int
) -> Iterator[ArticleRows]:
    """Return each article's rows, in input order, parsed in batches on the client's Dask cluster.

    Only a few batches per worker thread are in flight at once, so the texts are read as the cluster
    needs them and never all held in memory.
    """
    window = 2 * max(sum(client.nthreads().values()), 1)
    pending: deque[Any] = deque()  # Dask futures, oldest first
    for batch in batched(articles, batch_size):
        pending.append(client.submit(annotate_batch, batch, model, updated_at, pure=False))
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


# --- output ----------------------------------------------------------------------------------------


@dataclass
class RunSummary:
    """What a run wrote: how many articles and spans, and how many of the articles had no span."""

    articles: int = 0
    spans: int = 0
    without_spans: int = 0


def write_rows(
    rows: Iterable[ArticleRows], output: BinaryIO, on_article: Callable[[], None] | None = None
) -> RunSummary:
    """Return the summary of writing the header and then each article's rows to ``output``, as they come."""
    summary = RunSummary()
    output.write(CSV_HEADER)
    for article in rows:
        output.write(article.records)
        summary.articles += 1
        summary.spans += article.spans
        summary.without_spans += not article.spans
        if on_article is not None:
            on_article()
    return summary


def write_csv(
    rows: Iterable[ArticleRows], out: Path, on_article: Callable[[], None] | None = None
) -> RunSummary:
    """Return the summary of writing ``rows`` to ``out``; a failed run leaves no half-written file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    try:
        with partial.open("wb") as output:
            summary = write_rows(rows, output, on_article)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return summary


# --- the command -----------------------------------------------------------------------------------


def _timestamp(value: str) -> str:
    """Return ``value`` if it is an ISO 8601 UTC time as the schema writes it (argparse type)."""
    try:
        datetime.strptime(value, TIMESTAMP_FORMAT)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a UTC time like 2026-11-25T12:00:00Z") from None
    return value


def _positive(value: str) -> int:
    """Return ``value`` as an integer of at least 1 (argparse type)."""
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number")
    return number


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m components.cli", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    annotate = commands.add_parser("annotate", help="write the model's annotations of articles as CSV")
    annotate.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help=".txt articles, folders (their .txt files) or quoted glob patterns ('archive/**/*.txt')",
    )
    annotate.add_argument("--out", type=Path, required=True, help="the CSV file to write")
    annotate.add_argument(
        "--model", default=None, help="spaCy pipeline (default: SPACY_MODEL or en_core_web_sm)"
    )
    where = annotate.add_mutually_exclusive_group()
    where.add_argument(
        "--processes",
        type=_positive,
        default=1,
        metavar="N",
        help="parse in N processes (spaCy's nlp.pipe(n_process=N)); default 1",
    )
    where.add_argument(
        "--dask",
        metavar="ADDRESS",
        default=None,
        help="parse on the Dask cluster whose scheduler is at ADDRESS (e.g. tcp://10.0.0.5:8786)",
    )
    annotate.add_argument(
        "--batch-size",
        type=_positive,
        default=DEFAULT_BATCH_SIZE,
        metavar="N",
        help=f"articles per batch sent to a process or a Dask worker; default {DEFAULT_BATCH_SIZE}",
    )
    annotate.add_argument(
        "--updated-at",
        type=_timestamp,
        default=None,
        metavar="TIME",
        help="the updated_at of every row, e.g. 2026-11-25T12:00:00Z; default: when the run starts",
    )
    annotate.add_argument("--quiet", action="store_true", help="no progress bar")
    bring = commands.add_parser("import", help="bring an annotation file back into the articles")
    bring.add_argument("file", type=Path, metavar="FILE", help=".csv, .xlsx, .jsonl or .json")
    target = bring.add_mutually_exclusive_group(required=True)
    target.add_argument("--article", metavar="ID", help="the article the whole file is for")
    target.add_argument("--corpus", action="store_true", help="each span goes to the article id it names")
    bring.add_argument(
        "--complete", action="store_true", help="the file holds every annotation: reject the rest"
    )
    bring.add_argument("--dry-run", action="store_true", help="print what would change, save nothing")
    bring.add_argument("--annotator", default="", help="the name in the edit log")
    bring.add_argument(
        "--model", default=None, help="spaCy pipeline (default: SPACY_MODEL or en_core_web_sm)"
    )
    return parser


def _import(args: argparse.Namespace) -> int:
    """Return the exit status of importing ``args.file``, after printing what it changed, per article."""
    settings = load_settings()
    try:
        imported = read_annotation_file(args.file.name, args.file.read_bytes())
        nlp = load_pipeline(args.model or settings.spacy_model)
    except (OSError, ImportFormatError, ModelNotFoundError) as error:
        print(f"error: {args.file}: {error}", file=sys.stderr)
        return 2
    library = ArticleLibrary(settings.articles_dir, settings.annotations_dir / "uploads")
    store = AnnotationStore(settings.annotations_dir)
    outcomes = import_annotations(
        imported,
        library,
        store,
        lambda article_id, text: doc_to_table(nlp(text), article_id),
        article_id=args.article,
        complete=args.complete,
        apply=not args.dry_run,
        annotator=args.annotator,
    )
    for line in report_lines(str(args.file), imported, outcomes):
        print(line, file=sys.stderr)
    return 0 if all(outcome.plan and not outcome.problem for outcome in outcomes) else 1


def _connect(address: str) -> Client:
    """Return a Dask client of the scheduler at ``address``; ``ClusterUnreachableError`` or ``DaskNotInstalledError``."""
    # Imported here: distributed takes a second or more to import, local runs never need it, and it
    # is an optional install (requirements-scale.txt).
    try:
        from distributed import Client
    except ImportError as error:
        raise DaskNotInstalledError(
            f"--dask needs Dask, which is not installed ({error}). Install it with "
            "`pip install -r requirements-scale.txt` (or `make install-scale`)."
        ) from None

    try:
        # How long to keep trying is Dask's setting: distributed.comm.timeouts.connect (30 s).
        return Client(address)
    except (OSError, ValueError) as error:
        raise ClusterUnreachableError(f"the Dask scheduler at {address} cannot be reached: {error}") from None


def _run(
    args: argparse.Namespace, paths: list[Path], errors: list[str], on_article: Callable[[], None]
) -> RunSummary:
    """Return the summary of annotating ``paths`` as ``args`` say, locally or on Dask."""
    model = resolve_model_name(args.model or load_settings().spacy_model)
    updated_at = args.updated_at or utc_now()
    articles = read_articles(paths, errors)
    if args.dask is None:
        nlp = cli_pipeline(model)
        rows = annotate_texts(nlp, articles, updated_at, args.processes, args.batch_size)
        return write_csv(rows, args.out, on_article)
    with _connect(args.dask) as client:
        return write_csv(
            dask_rows(client, articles, model, updated_at, args.batch_size), args.out, on_article
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    args = _build_parser().parse_args(argv)
    if args.command == "import":
        return _import(args)
    errors: list[str] = []
    paths = expand_inputs(args.inputs, errors)
    clashes = duplicate_ids(paths)
    if clashes:
        for article_id, found in clashes.items():
            print(
                f"error: {len(found)} files would all be article {article_id!r}: "
                + ", ".join(str(path) for path in found),
                file=sys.stderr,
            )
        print(
            "error: an article id is the file name without .txt, so each must be unique; rename the "
            "files or annotate each folder into its own CSV. Nothing was written.",
            file=sys.stderr,
        )
        return 2
    show_progress = not args.quiet and len(paths) > 1 and sys.stderr.isatty()
    inputs_without_files = len(errors)  # messages about inputs that named no file are not files
    with tqdm(total=len(paths), unit="article", disable=not show_progress) as bar:
        counted = len(errors)

        def on_article() -> None:
            # One article written, plus any files skipped since the last one.
            nonlocal counted
            bar.update(1 + len(errors) - counted)
            counted = len(errors)

        try:
            summary = _run(args, paths, errors, on_article)
        except (ModelNotFoundError, ClusterUnreachableError, DaskNotInstalledError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        bar.update(len(errors) - counted)  # files skipped after the last article
    for message in errors:
        print(f"skipped {message}", file=sys.stderr)
    skipped = len(errors) - inputs_without_files
    no_spans = f" ({summary.without_spans} with no span)" if summary.without_spans else ""
    print(
        f"wrote {summary.spans} spans of {summary.articles} article(s){no_spans} to {args.out}; "
        f"{len(paths)} file(s) found, {skipped} skipped",
        file=sys.stderr,
    )
    return 1 if errors and summary.spans == 0 else 0


if __name__ == "__main__":
    # Run the importable copy of this module, not ``__main__``: Dask sends ``annotate_batch`` to its
    # workers by module name, which must be one they can import.
    from components.cli import main as cli_main

    sys.exit(cli_main())
