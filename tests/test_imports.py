"""Bringing annotations back in: every format round-trips, other tools' real files import as expected,
the preview says what will change, and an import is one change in the edit log, undone as one."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from components.annotations.corrections import new_span, reject, relabel, set_speaker
from components.annotations.exports import (
    to_csv_bytes,
    to_doccano_jsonl,
    to_jsonl_bytes,
    to_label_studio_json,
)
from components.annotations.import_formats import ImportFormatError, read_annotation_file
from components.annotations.imports import plan_import
from components.annotations.store import AnnotationStore
from components.annotations.table import doc_to_table, merge_corrections
from components.annotations.xlsx_export import to_xlsx_bytes
from components.config import PROJECT_ROOT
from tests.conftest import BUNDLED_ARTICLE

DATA = PROJECT_ROOT / "tests" / "data" / "interchange"
TALKS = (DATA / "article.txt").read_text(encoding="utf-8")
ALEPPO = BUNDLED_ARTICLE.stem
COMPARED = ["kind", "start", "end", "label", "speaker", "country", "status"]


@pytest.fixture(scope="module")
def model(nlp, bundled_text: str) -> pd.DataFrame:
    return doc_to_table(nlp(bundled_text), ALEPPO)


@pytest.fixture(scope="module")
def talks_model(nlp) -> pd.DataFrame:
    return doc_to_table(nlp(TALKS), "talks")


@pytest.fixture(scope="module")
def corrected(model: pd.DataFrame, bundled_text: str) -> pd.DataFrame:
    """The bundled article with a relabel, a rejection, a speaker changed and a span added."""
    lavrov = model[(model["text"] == "Lavrov") & (model["label"] == "ORG")].iloc[0]["span_id"]
    moscow = model[model["text"] == "Moscow"].iloc[0]["span_id"]
    quote = model[model["kind"] == "quote"].iloc[0]["span_id"]
    start = bundled_text.index("defence ministry")
    human = pd.concat(
        [
            relabel(model, bundled_text, lavrov, "PERSON"),
            reject(model, bundled_text, moscow),
            set_speaker(model, quote, "John Kerry"),
            new_span(bundled_text, ALEPPO, start, start + len("defence ministry"), "entity", "ORG"),
        ]
    )
    return merge_corrections(model, human)


def shown(table: pd.DataFrame, columns: list[str], active_only: bool = False) -> list[tuple]:
    rows = table[table["status"] == "active"] if active_only else table
    return sorted(rows[columns].astype(str).itertuples(index=False, name=None))


FORMATS = [
    # name, file name, writer, what the format carries
    ("our CSV", "a.csv", lambda text, table: to_csv_bytes(table, bom=True), COMPARED, False),
    ("our .xlsx", "a.xlsx", lambda text, table: to_xlsx_bytes(table), COMPARED, False),
    ("our JSONL", "a.jsonl", lambda text, table: to_jsonl_bytes([(ALEPPO, text, table)]), COMPARED, False),
    (
        "Label Studio JSON",
        "a.json",
        lambda text, table: to_label_studio_json([(ALEPPO, text, table)]),
        COMPARED[:4],
        True,
    ),
    (
        "doccano JSONL",
        "a.jsonl",
        lambda text, table: to_doccano_jsonl([(ALEPPO, text, table)]),
        COMPARED[:4],
        True,
    ),
]


@pytest.mark.parametrize(
    ("name", "file_name", "write", "carried", "active_only"), FORMATS, ids=[f[0] for f in FORMATS]
)
def test_a_round_trip_through_each_format_gives_back_the_same_annotations(
    name, file_name, write, carried, active_only, model, corrected, bundled_text
) -> None:
    data = write(bundled_text, corrected)
    imported = read_annotation_file(file_name, data)
    assert imported.unreadable == []
    # A format with no place for a rejection is imported as the article's every annotation.
    plan = plan_import(imported.spans, ALEPPO, bundled_text, model, complete=active_only)
    assert plan.count("refused") == plan.count("conflicting") == 0
    back = merge_corrections(model, plan.rows)
    rows_out = len(corrected[corrected["status"] == "active"]) if active_only else len(corrected)
    print(f"{name}: {rows_out} rows out, {len(imported.spans)} rows in, {plan.summary()}")
    assert len(imported.spans) == rows_out
    assert shown(back, carried, active_only) == shown(corrected, carried, active_only)
    # What the format does not say (a quote's speaker in Label Studio or doccano) stays as it was.
    assert set(back["speaker"]) <= set(corrected["speaker"]) | set(model["speaker"])


def test_a_spreadsheet_edited_csv_imports_its_edits_and_refuses_what_no_longer_matches(talks_model) -> None:
    imported = read_annotation_file("spreadsheet-edited.csv", (DATA / "spreadsheet-edited.csv").read_bytes())
    plan = plan_import(imported.spans, "talks", TALKS, talks_model)
    outcomes = {(line["text"], line["outcome"]) for line in plan.preview}
    assert {
        ("Paris", "relabelled"),
        ("Berlin", "rejected"),
        ("Élysée Palace", "added"),
        ("Geneva", "refused"),
    } <= outcomes
    refused = next(line for line in plan.preview if line["outcome"] == "refused")
    assert "'Genf' is not the article's text there" in str(refused["reason"])
    back = merge_corrections(talks_model, plan.rows).set_index(["start", "end"])
    assert back.loc[(13, 18), "label"] == "LOC" and back.loc[(50, 56), "status"] == "rejected"
    assert back.loc[(221, 227), "label"] == "GPE"  # the refused row changed nothing


def test_a_label_studio_export_imports_its_latest_annotation(talks_model) -> None:
    imported = read_annotation_file("project-3.json", (DATA / "label-studio-export.json").read_bytes())
    assert imported.format == "Label Studio JSON" and imported.unreadable == []
    plan = plan_import(imported.spans, "talks", TALKS, talks_model)
    by_text = {line["text"]: line for line in plan.preview}
    assert (
        by_text["Paris"]["outcome"] == "relabelled" and by_text["Paris"]["after"] == "LOC"
    )  # not the cancelled ORG
    assert by_text["Élysée Palace"]["outcome"] == "added"
    assert by_text["Geneva"]["outcome"] == "refused"  # the export says "Genf" there
    back = merge_corrections(talks_model, plan.rows)
    elysee = back[(back["start"] == 157) & (back["end"] == 170)]
    assert elysee[["label", "source"]].values.tolist() == [["FAC", "human"]]


def test_doccano_exports_in_both_shapes_import_and_a_span_stated_twice_differently_conflicts(
    talks_model,
) -> None:
    triples = read_annotation_file("doccano.jsonl", (DATA / "doccano.jsonl").read_bytes())
    plan = plan_import(triples.spans, "talks", TALKS, talks_model)
    by_text = {(line["text"], line["after"]): line["outcome"] for line in plan.preview}
    assert by_text[("Berlin", "LOC")] == "relabelled"
    assert by_text[("Élysée Palace", "FAC")] == by_text[("Élysée Palace", "ORG")] == "conflicting"
    assert len(plan.rows) == 1  # only Berlin: a conflicting span is never applied
    entities = read_annotation_file("doccano.jsonl", (DATA / "doccano-entities.jsonl").read_bytes())
    plan = plan_import(entities.spans, "talks", TALKS, talks_model)
    assert {(line["text"], line["outcome"]) for line in plan.preview} == {
        ("Geneva", "unchanged"),
        ("French", "unchanged"),
    }


def test_a_prodigy_file_imports_accepted_tasks_only(talks_model) -> None:
    imported = read_annotation_file("ner.jsonl", (DATA / "prodigy.jsonl").read_bytes())
    assert imported.format == "span JSONL (ours, Prodigy, spaCy)"
    assert imported.unreadable == ["line 2: answered 'reject' in Prodigy, so not an annotation"]
    plan = plan_import(imported.spans, "talks", TALKS, talks_model)
    assert {(line["text"], line["outcome"]) for line in plan.preview} == {
        ("Paris", "unchanged"),
        ("“We are ready,”", "unchanged"),  # the speaker is not in the file: it stays
        ("Geneva", "unchanged"),
    }
    assert plan.rows.empty


def test_a_human_row_at_a_model_spans_offsets_supersedes_it_whatever_its_id(talks_model) -> None:
    paris = talks_model[talks_model["text"] == "Paris"].iloc[0]
    human = paris.to_frame().T.assign(span_id="h-from-another-tool", label="LOC", source="human")
    merged = merge_corrections(talks_model, human.astype({"start": "int64", "end": "int64"}))
    at_paris = merged[(merged["start"] == paris["start"]) & (merged["end"] == paris["end"])]
    assert at_paris[["span_id", "label"]].values.tolist() == [["h-from-another-tool", "LOC"]]


def test_an_import_is_one_change_in_the_edit_log_and_one_undo(tmp_path: Path, talks_model) -> None:
    store = AnnotationStore(tmp_path)
    imported = read_annotation_file("project-3.json", (DATA / "label-studio-export.json").read_bytes())
    plan = plan_import(imported.spans, "talks", TALKS, talks_model)
    saved = store.save("talks", TALKS, plan.rows, None, "importer", model_rows=talks_model)
    assert len(saved.changed_span_ids) == len(plan.rows) == 2  # Paris relabelled, Élysée Palace added
    assert store.history("talks")["change_id"].nunique() == 1
    undone = store.undo("talks", TALKS, saved.version, "importer")
    assert undone.rows.empty


def test_files_that_are_no_format_are_refused_plainly() -> None:
    with pytest.raises(ImportFormatError, match=r"not a \.csv, \.xlsx, \.jsonl or \.json"):
        read_annotation_file("notes.txt", b"hello")
    with pytest.raises(ImportFormatError, match="missing column"):
        read_annotation_file("other.csv", b"id,text\r\n1,x\r\n")
    with pytest.raises(ImportFormatError, match=r"not an \.xlsx workbook"):
        read_annotation_file("fake.xlsx", b"PK not really")
    with pytest.raises(ImportFormatError, match="JSON list"):
        read_annotation_file("x.json", b'{"text": "a"}')
