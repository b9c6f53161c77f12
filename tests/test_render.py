"""The renderer, with hand-made spans and no model: escaping, nesting, overlaps, offsets."""

from __future__ import annotations

import itertools
import random
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from components.annotations.schema import COLUMNS
from components.config import PROJECT_ROOT
from components.views.labels import LABEL_PLAIN_NAMES, label_code, label_colour, label_name
from components.views.render import (
    ViewSpan,
    paginate,
    paragraph_bounds,
    render_article,
    render_label_colours,
    view_spans,
)

HOSTILE = (
    '<script>window.__pwned = 1</script> <img src=x onerror="window.__pwned=2"> [x](javascript:alert(1))'
)


class _Collector(HTMLParser):
    """Collects the text, the elements and the span ids of rendered markup, and checks it is well formed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.in_badge = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        self.stack.append(tag)
        classes = (attributes.get("class") or "").split()
        if "ent-label" in classes or "quote-speaker" in classes or self.in_badge:
            self.in_badge += 1

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()
        if self.in_badge:
            self.in_badge -= 1

    def handle_data(self, data):
        if not self.in_badge:
            self.text.append(data)


def parse(markup: str) -> _Collector:
    collector = _Collector()
    collector.feed(markup)
    collector.close()
    assert collector.stack == [], f"unclosed elements: {collector.stack}"
    return collector


def body_text(text: str) -> str:
    return "".join(text[start:end] for start, end in paragraph_bounds(text))


def test_plain_text_is_escaped_and_nothing_becomes_an_element() -> None:
    markup = render_article(HOSTILE, [])
    assert "<script" not in markup and "<img" not in markup
    assert "&lt;script&gt;" in markup
    collector = parse(markup)
    assert {tag for tag, _ in collector.tags} == {"div", "p"}
    assert "".join(collector.text) == HOSTILE


def test_labels_speakers_and_ids_from_readers_are_escaped() -> None:
    span = ViewSpan('"><img src=x onerror=alert(1)>', "entity", 0, 4, '<b onmouseover="x">LBL', country="<i>")
    quote = ViewSpan("q", "quote", 5, 12, "QUOTE", speaker="</span><script>alert(1)</script>")
    markup = render_article("Some “words”", [span, quote])
    collector = parse(markup)
    assert {tag for tag, _ in collector.tags} <= {"div", "p", "mark", "span"}
    assert not any(name.startswith("on") for _, attributes in collector.tags for name in attributes)
    assert "<script" not in markup and "<img" not in markup and "<b " not in markup
    ids = {attributes.get("data-span-id") for _, attributes in collector.tags}
    assert '"><img src=x onerror=alert(1)>' in ids


def test_entity_shows_its_label_and_colour() -> None:
    markup = render_article("Lavrov spoke.", [ViewSpan("e-0-6", "entity", 0, 6, "PERSON")])
    assert re.search(r'<mark class="ent"[^>]*data-label="PERSON"[^>]*--ent-colour: #aa9cfc', markup)
    assert '<span class="ent-label">PERSON</span></mark> spoke.' in markup


def test_quote_shows_its_speaker_on_hover_and_as_a_marker() -> None:
    text = "“We will not,” he said."
    markup = render_article(text, [ViewSpan("q-0-14", "quote", 0, 14, "QUOTE", speaker="Zakaria Malahifji")])
    assert 'title="Quote by Zakaria Malahifji"' in markup
    assert '<span class="quote-speaker">Zakaria Malahifji</span></span> he said.' in markup


def test_entity_nested_in_quote_nests_in_markup() -> None:
    text = "“Give up Aleppo,” he said."
    spans = [ViewSpan("q", "quote", 0, 17, "QUOTE", speaker="X"), ViewSpan("e", "entity", 9, 15, "GPE")]
    collector = parse(render_article(text, spans))
    opened = [(tag, attributes.get("data-span-id")) for tag, attributes in collector.tags if tag != "p"]
    assert opened == [("div", None), ("span", "q"), ("mark", "e"), ("span", None), ("span", None)]
    assert "".join(collector.text) == text


def test_crossing_spans_are_split_and_reopened() -> None:
    text = "abcdefghij"
    spans = [ViewSpan("a", "entity", 0, 6, "X"), ViewSpan("b", "entity", 3, 9, "Y")]
    markup = render_article(text, spans)
    collector = parse(markup)
    assert "".join(collector.text) == text
    fragments = [attributes["data-span-id"] for tag, attributes in collector.tags if tag == "mark"]
    assert fragments == ["a", "b", "b"]  # b opens inside a, is closed with it, and reopens after
    assert markup.count('<span class="ent-label">X</span>') == 1
    assert markup.count('<span class="ent-label">Y</span>') == 1


def test_quote_across_paragraphs_is_drawn_in_each_paragraph() -> None:
    text = "“First part\n“second part,” she said."
    quote = ViewSpan("q", "quote", 0, 26, "QUOTE", speaker="Ann")
    markup = render_article(text, [quote])
    assert markup.count('data-span-id="q"') == 2
    assert markup.count("quote-speaker") == 1 and "quote cont" in markup
    assert "".join(parse(markup).text) == body_text(text)


def test_random_overlapping_spans_keep_every_character_once_and_well_formed() -> None:
    rng = random.Random(20261125)
    alphabet = "ab <>&\"'“”‘’\n\n é😀"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        spans = []
        for index in range(rng.randint(0, 8)):
            start = rng.randint(0, len(text))
            end = rng.randint(start, len(text))
            kind = rng.choice(["entity", "quote"])
            spans.append(
                ViewSpan(f"s{index}", kind, start, end, rng.choice(["GPE", "<x>", "QUOTE"]), speaker="<s>")
            )
        collector = parse(render_article(text, spans))
        assert "".join(collector.text) == body_text(text)


def test_paragraph_offsets_point_into_the_text() -> None:
    text = "\n\nFirst line.\nSecond line.\n\n\nThird.\n  \n"
    bounds = paragraph_bounds(text)
    assert [text[start:end] for start, end in bounds] == ["First line.", "Second line.", "Third."]
    markup = render_article(text, [])
    for start, _ in bounds:
        assert f'data-start="{start}"' in markup


def _table(rows: list[dict]) -> pd.DataFrame:
    defaults = dict.fromkeys(COLUMNS, "") | {"source": "model", "status": "active"}
    return pd.DataFrame([defaults | row for row in rows], columns=list(COLUMNS))


def test_view_spans_drop_rejected_and_hidden_labels_and_other_speakers() -> None:
    table = _table(
        [
            {"span_id": "e1", "kind": "entity", "start": 0, "end": 3, "label": "GPE"},
            {"span_id": "e2", "kind": "entity", "start": 4, "end": 6, "label": "ORG", "status": "rejected"},
            {"span_id": "e3", "kind": "entity", "start": 7, "end": 9, "label": "DATE"},
            {"span_id": "q1", "kind": "quote", "start": 10, "end": 20, "label": "QUOTE", "speaker": "Ann"},
            {"span_id": "q2", "kind": "quote", "start": 21, "end": 30, "label": "QUOTE", "speaker": "Bob"},
        ]
    )
    assert [s.span_id for s in view_spans(table)] == ["e1", "e3", "q1", "q2"]
    assert [s.span_id for s in view_spans(table, visible_labels=["GPE", "QUOTE"])] == ["e1", "q1", "q2"]
    assert [s.span_id for s in view_spans(table, speaker="Bob")] == ["e1", "e3", "q2"]


@pytest.mark.parametrize("label", ["GPE", "MY<LABEL>", "</style><script>alert(1)</script>", "ÉTIQUETTE"])
def test_label_colours_reach_the_style_by_position_never_as_text(label: str) -> None:
    style = render_label_colours(["ORG", label], "st-key-label_filter")
    assert style.count("<") == 2 and style.startswith("<style>") and style.endswith("</style>")
    assert label not in style  # a label's text (a reader's, say) never reaches the style
    assert f"button:nth-of-type(1) {{ --ent-colour: {label_colour('ORG')}; }}" in style
    assert f"button:nth-of-type(2) {{ --ent-colour: {label_colour(label)}; }}" in style


def test_long_text_is_paged_by_whole_paragraphs_and_nothing_is_left_out() -> None:
    text = "\n".join(f"Paragraph {index} " + "word " * (index % 7 + 3) for index in range(200))
    bounds = paragraph_bounds(text)
    pages = paginate(bounds, max_chars=500)
    assert len(pages) > 5
    assert pages[0][0] == bounds[0][0] and pages[-1][1] == bounds[-1][1]
    covered = [bound for start, end in pages for bound in bounds if start <= bound[0] and bound[1] <= end]
    assert covered == bounds  # every paragraph on exactly one page, in order
    assert all(end - start <= 500 for start, end in pages[:-1]) and pages[-1][1] - pages[-1][0] <= 600
    span = ViewSpan("q", "quote", pages[1][0] - 5, pages[1][0] + 8, "QUOTE", speaker="Ann")
    second = render_article(text, [span], pages[1])
    assert second.count('data-span-id="q"') == 1 and "quote cont" in second
    on_page = [text[start:end] for start, end in bounds if pages[1][0] <= start and end <= pages[1][1]]
    assert "".join(parse(second).text) == "".join(on_page)


@pytest.mark.parametrize(("paragraphs", "parts"), [(26, 1), (30, 2)])
def test_a_short_last_part_joins_the_part_before_it(paragraphs: int, parts: int) -> None:
    # Paragraphs of 100 characters, a page of 2,500: 24 fit. Two more (200 characters, under a
    # fifth of a page) join the first part; six more (600) are a part of their own.
    text = "\n".join("word " * 19 + "word!" for _ in range(paragraphs))
    bounds = paragraph_bounds(text)
    pages = paginate(bounds, max_chars=2_500)
    assert len(pages) == parts
    assert pages[0][0] == bounds[0][0] and pages[-1][1] == bounds[-1][1]
    assert all(left[1] <= right[0] for left, right in itertools.pairwise(pages))


def test_a_wrapped_paragraph_is_one_paragraph_and_a_new_one_starts_at_an_indent() -> None:
    line = "The minister said the talks would resume on Monday and that"
    text = (
        f"    {line}\nboth sides had agreed to a timetable for the next round of\n"
        "negotiations in Geneva.\n"
        f"    {line}\nthe delegations would meet again before the end of the\nmonth.\n"
    )
    bounds = paragraph_bounds(text)
    assert [text[start:end].split()[:2] for start, end in bounds] == [
        ["The", "minister"],
        ["The", "minister"],
    ]
    assert all(text[end - 1] == "." for _, end in bounds)
    markup = render_article(text, [])
    assert markup.count("<p") == 2


def test_labels_read_as_plain_names_with_spacys_code_beside() -> None:
    assert [label_name(code) for code in ("GPE", "NORP", "ORG", "PERSON", "DATE", "FAC")] == [
        "Place (GPE)",
        "Nationality or group (NORP)",
        "Organisation (ORG)",
        "Person (PERSON)",
        "Date",
        "Building or landmark (FAC)",
    ]
    assert label_name("ARMED_GROUP") == "ARMED_GROUP"  # a reader's own label, as typed
    span = ViewSpan("e", "entity", 0, 6, "GPE")
    assert 'title="Place (GPE) · Countries, cities, states"' in render_article("Aleppo", [span])


def test_the_readme_names_every_label_as_the_page_does() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    shown = dict(re.findall(r"^\| `([A-Z_]+)` \| ([^|`]+?) \|$", readme, flags=re.MULTILINE))
    assert shown == {code: label_name(code) for code in LABEL_PLAIN_NAMES}


@pytest.mark.parametrize("typed", ["place", " Place (GPE)", "GPE", "gpe"])
def test_a_plain_name_typed_by_the_reader_is_the_label_it_names(typed: str) -> None:
    assert label_code(typed) == "GPE"
    assert label_code("Armed  group") == "Armed group"
