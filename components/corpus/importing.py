"""An annotation file brought into the library's articles: planned per article, then saved as one change each.

Used by the command line (``python -m components.cli import FILE``) and the desk. A file for one
article is imported with ``article_id``; a corpus file is split by the article id each of its spans
carries (our CSV's ``article_id``, a JSONL task's ``meta.article_id``, a Label Studio task's
``data.article_id``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from components.access.roles import Action
from components.annotations.import_formats import ImportedFile, ImportedSpan
from components.annotations.imports import ImportPlan, plan_import
from components.annotations.store import AnnotationStore, SaveResult, StoreError
from components.annotations.table import merge_corrections
from components.corpus.articles import ArticleError, ArticleLibrary

# Gives the model's table of an article from its id and text (a parse, or the desk's cache).
ModelTableOf = Callable[[str, str], pd.DataFrame]


@dataclass
class ArticleImport:
    """One article's part of an import: its plan, what the save did, or why it could not be imported."""

    article_id: str
    plan: ImportPlan | None = None
    result: SaveResult | None = None
    problem: str = ""


def spans_by_article(imported: ImportedFile, article_id: str | None) -> dict[str, list[ImportedSpan]]:
    """Return the file's spans by the article they are for: all for ``article_id`` if given, else each
    span's own article id (``""`` for spans that name none)."""
    if article_id is not None:
        return {article_id: list(imported.spans)}
    groups: dict[str, list[ImportedSpan]] = {}
    for span in imported.spans:
        groups.setdefault(span.article_id or "", []).append(span)
    return groups


def import_annotations(
    imported: ImportedFile,
    library: ArticleLibrary,
    store: AnnotationStore,
    model_table_of: ModelTableOf,
    *,
    article_id: str | None = None,
    complete: bool = False,
    apply: bool = True,
    annotator: str = "",
) -> list[ArticleImport]:
    """Return, per article, the plan of importing the file and (with ``apply``) the result of saving it.

    Each article's accepted rows are saved as one change in its edit log; an article whose file of
    corrections cannot be read, or whose save fails, is reported and the others go on.
    """
    outcomes = []
    for target, spans in spans_by_article(imported, article_id).items():
        if not target:
            outcomes.append(
                ArticleImport(
                    "", problem=f"{len(spans)} span(s) name no article: import them with an article id"
                )
            )
            continue
        try:
            text = library.get(target).text
            model = model_table_of(target, text)
            corrections = store.load(target, text)
        except (ArticleError, StoreError, ValueError) as error:
            outcomes.append(ArticleImport(target, problem=str(error)))
            continue
        table = merge_corrections(model, corrections.rows)
        outcome = ArticleImport(target, plan_import(spans, target, text, table, complete=complete))
        if apply and outcome.plan is not None and not outcome.plan.rows.empty:
            try:
                outcome.result = store.save(
                    target,
                    text,
                    outcome.plan.rows,
                    corrections.version,
                    annotator,
                    model_rows=model,
                    action=Action.IMPORT,
                )
            except StoreError as error:
                outcome.problem = str(error)
        outcomes.append(outcome)
    return outcomes


def report_lines(name: str, imported: ImportedFile, outcomes: list[ArticleImport]) -> list[str]:
    """Return what an import did, in lines for a reader: per article its counts, every refused or
    conflicting span with the reason, and whether it was saved."""
    lines = [f"{name}: {imported.format}, {len(imported.spans)} span(s)"]
    lines += [f"  not read: {message}" for message in imported.unreadable]
    for outcome in outcomes:
        plan = outcome.plan
        lines.append(f"{outcome.article_id or '(no article)'}: {plan.summary() if plan else outcome.problem}")
        for line in plan.preview if plan else ():
            if line["outcome"] in ("refused", "conflicting"):
                lines.append(f"  {line['outcome']} {line['where']}: {line['reason']}")
        if plan and outcome.problem:
            lines.append(f"  not saved: {outcome.problem}")
        elif outcome.result is not None:
            saved = len(outcome.result.changed_span_ids)
            lines.append(f"  saved as one change ({saved} span(s)); Undo in the app reverts it")
    return lines
