"""The CSV codec (lossless, every cell as it is) and the downloads: CSV, Prodigy-style JSONL, spaCy DocBin."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pandas as pd
import pytest
import spacy
from spacy.tokens import DocBin
from spacy.training import Corpus

from components.annotations.csv_codec import (
    TableFormatError,
    decode_table,
    encode_table,
    unescape_legacy_cell,
)
from components.annotations.exports import (
    QUOTES_SPAN_KEY,
    USER_DATA_ARTICLE_ID,
    USER_DATA_SPEAKERS,
    build_docbin,
    history_to_csv_bytes,
    to_csv_bytes,
    to_docbin_bytes,
    to_jsonl_bytes,
)
from components.annotations.schema import COLUMNS, KINDS, SOURCES, STATUSES, model_span_id

TEXT = "Angela Merkel met Emmanuel Macron in Paris. “We will not give up,” Merkel said in Berlin."

HAND_CASES = [
    '=HYPERLINK("http://evil.example","click")',
    "-5",
    "+1",
    "@SUM(A1:A3)",
    "\tx",
    "\rx",
    "'quoted",
    "'",
    "''",
    "'=already escaped?",
    "a,b,c",
    'he said "no"',
    "line one\nline two\r\nline three\rend",
    "emoji 🙂👍🏽 family 👨‍👩‍👧",
    "RTL: مرحبا بالعالم and שלום",
    "\u202eevil\u202c",
    "NA",
    "null",
    "",
    " leading space",
    "trailing comma,",
    "\ufeffbom inside",
    "nul\x00byte",
]


def row(
    span_id: str,
    start: int,
    end: int,
    label: str = "",
    *,
    kind: str = "entity",
    status: str = "active",
    source: str = "model",
    speaker: str = "",
    text: str = TEXT,
    article_id: str = "a1",
) -> dict:
    return dict.fromkeys(COLUMNS, "") | {
        "article_id": article_id,
        "span_id": span_id,
        "kind": kind,
        "start": start,
        "end": end,
        "text": text[start:end],
        "label": label,
        "speaker": speaker,
        "country": "",
        "source": source,
        "status": status,
        "updated_at": "2026-11-25T12:00:00Z",
    }


def table(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(COLUMNS))


def span_of(needle: str, text: str = TEXT, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def merged_table() -> pd.DataFrame:
    merkel, macron, paris = span_of("Angela Merkel"), span_of("Emmanuel Macron"), span_of("Paris")
    quote, berlin = span_of("“We will not give up,”"), span_of("Berlin")
    return table(
        row(model_span_id("entity", *merkel), *merkel, "PERSON"),
        row(model_span_id("entity", *macron), *macron, "PERSON", source="human"),
        row(model_span_id("entity", *paris), *paris, "GPE", status="rejected", source="human"),
        row(model_span_id("quote", *quote), *quote, kind="quote", speaker="Merkel"),
        row(model_span_id("entity", *berlin), *berlin, "GPE"),
    )


def cells(data: bytes) -> list[list[str]]:
    """The raw cells of CSV bytes as any CSV reader sees them."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- the codec -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "text"),
    [("'=1+1", "=1+1"), ("'-5", "-5"), ("''quoted", "'quoted"), ("'quoted", "'quoted"), ("=raw", "=raw")],
)
def test_a_file_written_before_the_new_columns_loses_only_its_added_quote(written: str, text: str) -> None:
    assert unescape_legacy_cell(written) == text
    old = ",".join(f'"{name}"' for name in COLUMNS[:12]) + "\r\n"
    old += f'"a1","e-0-6","entity","0","6","Angela","{written}","","","model","active",""\r\n'
    assert decode_table(old.encode()).loc[0, "label"] == text
    new = encode_table(decode_table(old.encode()))
    assert decode_table(new).loc[0, "label"] == text  # written whole, it stays as it is


def test_hand_cases_round_trip_through_a_file_with_every_cell_as_it_is() -> None:
    # Quotes, because an active entity may not have an empty label.
    rows = [
        row(f"s{i}", 0, 6, label=value, speaker=value, kind="quote") | {"country": value, "text": value}
        for i, value in enumerate(HAND_CASES)
    ]
    original = table(*rows)
    data = encode_table(original)
    assert data.startswith(b'"article_id","span_id","kind"')
    raw = cells(data)
    assert raw[0] == list(COLUMNS)
    assert [record[COLUMNS.index("label")] for record in raw[1:]] == HAND_CASES
    assert [record[COLUMNS.index("text")] for record in raw[1:]] == HAND_CASES
    decoded = decode_table(data)
    assert decoded.to_dict("records") == original.to_dict("records")
    assert decoded.loc[16, "label"] == "NA" and decoded.loc[18, "label"] == ""  # no NaN guessing


def random_text(rng: random.Random) -> str:
    pieces = [
        "=",
        "+",
        "-",
        "@",
        "\t",
        "\r",
        "\n",
        "\r\n",
        "'",
        '"',
        ",",
        ";",
        " ",
        "a",
        "Z",
        "0",
        "9",
        "🙂",
        "👨‍👩‍👧",
        "مرحبا",
        "שלום",
        "\u200f",
        "\u202e",
        "é",
        "e\u0301",
        "\x00",
        "\ufeff",
        "NA",
        "null",
        "\\",
        "HYPERLINK(",
        "\x85",
        "\u2028",
    ]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) + (
        chr(rng.randint(0x20, 0xD7FF)) if rng.random() < 0.3 else ""
    )


def test_randomized_tables_round_trip_byte_for_byte() -> None:
    rng = random.Random(20261125)
    for _ in range(120):
        rows = []
        for i in range(rng.randint(0, 8)):
            start = rng.randint(0, 50)
            rows.append(
                {
                    "article_id": random_text(rng),
                    "span_id": f"{random_text(rng)}#{i}",
                    "kind": rng.choice(KINDS),
                    "start": start,
                    "end": start + rng.randint(0, 20),
                    "text": random_text(rng),
                    "label": random_text(rng) + "L",
                    "speaker": random_text(rng),
                    "country": random_text(rng),
                    "source": rng.choice(SOURCES),
                    "status": rng.choice(STATUSES),
                    "updated_at": random_text(rng),
                }
                | {name: random_text(rng) for name in COLUMNS[12:]}
            )
        original = table(*rows)
        bom = rng.random() < 0.5
        data = encode_table(original, bom=bom)
        decoded = decode_table(data)
        assert decoded.to_dict("records") == original.to_dict("records")
        assert list(decoded.columns) == list(COLUMNS)
        assert encode_table(decoded, bom=bom) == data  # and writing it again gives the same bytes


def test_decoding_rejects_foreign_and_broken_files_with_every_problem() -> None:
    good = encode_table(merged_table())
    with pytest.raises(TableFormatError, match="unexpected column"):
        decode_table(b"a,b\r\n1,2\r\n")
    with pytest.raises(TableFormatError, match=r"line 1: not UTF-8 text \(byte 0xff"):
        decode_table(b"\xff\xfe" + good)
    with pytest.raises(TableFormatError, match="is the last line truncated"):
        decode_table(good[: good.rindex(b'00Z"')])  # inside the last row's updated_at
    broken = good.replace(b'"PERSON"', b'"PERSON","extra"', 1).replace(b'"quote"', b'"citation"')
    with pytest.raises(TableFormatError) as caught:
        decode_table(broken)
    assert any("line 2: 19 field(s) instead of 18" in p for p in caught.value.problems)
    assert any("line 5: unknown kind 'citation'" in p for p in caught.value.problems)


def test_encoding_refuses_missing_or_extra_columns() -> None:
    with pytest.raises(TableFormatError, match="missing column"):
        encode_table(merged_table().drop(columns=["speaker"]))
    with pytest.raises(TableFormatError, match="unexpected column"):
        encode_table(merged_table().assign(extra=1))


# --- CSV download ----------------------------------------------------------------------------------


def test_csv_download_is_the_full_table_and_keeps_the_text() -> None:
    merged = merged_table().assign(label=lambda t: t["label"].where(t.index != 4, "=1+1"))
    data = to_csv_bytes(merged, bom=True)
    assert data.startswith("\ufeff".encode())
    assert cells(data)[5][COLUMNS.index("label")] == "=1+1"
    assert decode_table(data).to_dict("records") == merged.to_dict("records")


def test_every_row_keeps_the_article_text_read_by_the_csv_module_or_pandas() -> None:
    text = "'We will not give up,' she said. “=1+1” -5 @home\r\n\t'quoted' ‘curly’ مرحبا"
    spans = [text.index(piece) for piece in ("'We will not give up,'", "“=1+1”", "-5", "@home", "\t'quoted'")]
    pieces = ["'We will not give up,'", "“=1+1”", "-5", "@home", "\t'quoted'"]
    rows = [
        row(f"s{i}", start, start + len(piece), "X", text=text)
        for i, (start, piece) in enumerate(zip(spans, pieces, strict=True))
    ]
    data = to_csv_bytes(table(*rows), bom=True)
    with io.StringIO(data.decode("utf-8-sig"), newline="") as file:
        for record in csv.DictReader(file):
            assert record["text"] == text[int(record["start"]) : int(record["end"])]
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    assert list(frame["text"]) == pieces
    assert all(
        text[int(s) : int(e)] == t
        for s, e, t in zip(frame["start"], frame["end"], frame["text"], strict=True)
    )


def test_history_download_keeps_every_value() -> None:
    history = pd.DataFrame([{"time": "t", "span_id": "e-1-2", "field": "label", "old": "-GPE", "new": "@x"}])
    raw = cells(history_to_csv_bytes(history))
    assert raw == [["time", "span_id", "field", "old", "new"], ["t", "e-1-2", "label", "-GPE", "@x"]]


# --- JSONL -----------------------------------------------------------------------------------------


def test_jsonl_has_one_task_per_article_with_active_spans_and_rejected_in_meta() -> None:
    other_text = "Nothing here."
    data = to_jsonl_bytes([("a1", TEXT, merged_table()), ("a2", other_text, table())])
    assert "“We will not give up,”".encode() in data  # ensure_ascii=False
    lines = data.decode("utf-8").splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["text"] == TEXT and first["meta"]["article_id"] == "a1"
    assert [(s["label"], TEXT[s["start"] : s["end"]]) for s in first["spans"]] == [
        ("PERSON", "Angela Merkel"),
        ("PERSON", "Emmanuel Macron"),
        ("QUOTE", "“We will not give up,”"),
        ("GPE", "Berlin"),
    ]
    assert first["spans"][2]["speaker"] == "Merkel" and "speaker" not in first["spans"][0]
    paris = span_of("Paris")
    assert first["meta"]["rejected"] == [
        {
            "start": paris[0],
            "end": paris[1],
            "label": "GPE",
            "kind": "entity",
            "span_id": model_span_id("entity", *paris),
        }
    ]
    assert second == {"text": other_text, "spans": [], "meta": {"article_id": "a2", "rejected": []}}


def test_jsonl_with_a_tokenizer_adds_prodigy_tokens_and_inclusive_token_ends() -> None:
    task = json.loads(to_jsonl_bytes([("a1", TEXT, merged_table())], tokenizer=spacy.blank("en")))
    tokens = task["tokens"]
    assert all(TEXT[t["start"] : t["end"]] == t["text"] for t in tokens)
    merkel = task["spans"][0]
    assert (merkel["token_start"], merkel["token_end"]) == (0, 1)
    for span in task["spans"]:
        assert tokens[span["token_start"]]["start"] == span["start"]
        assert tokens[span["token_end"]]["end"] == span["end"]


# --- DocBin ----------------------------------------------------------------------------------------


def read_docs(data: bytes, vocab=None) -> list:
    vocab = vocab or spacy.blank("en").vocab
    return list(DocBin().from_bytes(data).get_docs(vocab))


def test_docbin_holds_entities_quotes_speakers_and_ids() -> None:
    nlp = spacy.blank("en")
    docs = read_docs(to_docbin_bytes([("a1", TEXT, merged_table())], nlp), nlp.vocab)
    assert len(docs) == 1
    doc = docs[0]
    assert doc.text == TEXT
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Angela Merkel", "PERSON"),
        ("Emmanuel Macron", "PERSON"),
        ("Berlin", "GPE"),
    ]  # the rejected "Paris" is not an entity
    assert [(s.text, s.label_) for s in doc.spans[QUOTES_SPAN_KEY]] == [("“We will not give up,”", "QUOTE")]
    quote_start, quote_end = span_of("“We will not give up,”")
    # msgpack gives lists back as tuples
    assert list(doc.user_data[USER_DATA_SPEAKERS]) == [
        {
            "start": quote_start,
            "end": quote_end,
            "speaker": "Merkel",
            "span_id": f"q-{quote_start}-{quote_end}",
        }
    ]
    assert doc.user_data[USER_DATA_ARTICLE_ID] == "a1"


def test_docbin_drops_overlaps_deterministically_and_expands_to_tokens() -> None:
    merkel, angela = span_of("Angela Merkel"), span_of("Angela")
    macron, macron_in = span_of("Emmanuel Macron"), span_of("Macron in")
    rows = table(
        row("short", *angela, "PERSON"),  # inside a longer one: dropped
        row("long", *merkel, "PER"),
        row("tie-a", *macron, "PERSON"),  # two tokens, earlier: kept
        row("tie-b", *macron_in, "ORG"),  # two tokens, later: dropped
        row("partial", span_of("Berl")[0], span_of("Berl")[1], "GPE"),  # mid-token: widened to "Berlin"
        row("space", angela[1], angela[1] + 1, "GPE"),  # only a space: no token
        row("blank-quote", angela[1], angela[1] + 1, kind="quote"),
    )
    export = build_docbin([("a1", TEXT, rows)])
    assert export.docs == 1
    assert export.dropped == [
        "a1: entity 'space' covers no token",
        "a1: entity 'short' (PERSON 'Angela') overlaps a kept one",
        "a1: entity 'tie-b' (ORG 'Macron in') overlaps a kept one",
        "a1: quote 'blank-quote' covers no token",
    ]
    doc = read_docs(export.data)[0]
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Angela Merkel", "PER"),
        ("Emmanuel Macron", "PERSON"),
        ("Berlin", "GPE"),
    ]
    assert (
        build_docbin([("a1", TEXT, rows.iloc[::-1])]).dropped == export.dropped
    )  # row order does not matter


def test_docbin_is_readable_by_spacy_train_corpus_reader(tmp_path: Path) -> None:
    path = tmp_path / "train.spacy"
    path.write_bytes(to_docbin_bytes([("a1", TEXT, merged_table()), ("a2", "No entities.", table())]))
    nlp = spacy.blank("en")
    examples = list(Corpus(path)(nlp))
    assert len(examples) == 2
    assert [e.text for e in examples[0].reference.ents] == ["Angela Merkel", "Emmanuel Macron", "Berlin"]
    assert examples[1].reference.ents == ()


def test_docbin_with_the_real_model_on_the_bundled_article(nlp, bundled_text: str) -> None:
    parsed = nlp(bundled_text)
    rows = table(
        *[
            row(
                model_span_id("entity", e.start_char, e.end_char),
                e.start_char,
                e.end_char,
                e.label_,
                text=bundled_text,
                article_id="aleppo",
            )
            for e in parsed.ents
        ]
    )
    assert len(rows) > 10
    export = build_docbin([("aleppo", bundled_text, rows)], nlp)
    doc = read_docs(export.data, nlp.vocab)[0]
    assert export.dropped == []
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
        (e.start_char, e.end_char, e.label_) for e in parsed.ents
    ]
    assert not doc.has_annotation("DEP")  # tokenized only: a training file, not a parse
