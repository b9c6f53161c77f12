"""Layout is not language: paragraphs told from wrapped lines, wrapped text parsed unwrapped, and the
same quotes and speakers whatever the line breaks, quote marks or line endings.

The passages are written for these tests.
"""

from __future__ import annotations

import textwrap

import pytest
import spacy
from spacy.language import Language

from components.nlp.layout import paragraphs, unwrap
from components.nlp.quotes import find_quotes
from components.nlp.unwrapped_parse import add_layout_components

STORY = [
    "Harbour master Ian Cole said on Tuesday that the storm had torn three fishing boats from their "
    "moorings overnight and that nobody had been hurt in the harbour.",
    "“We counted every boat twice before we let anyone go home, and I can tell you that every crew "
    "is safe,” Cole told reporters at the quay, adding that the damage was “far worse than last winter”.",
    "Fisherman Tomas Berg, who lost his boat, was less calm. “Thirty years I have fished from this "
    "harbour and I have never seen the sea like that,” he said.",
]
ONE_PER_LINE = "\n".join(STORY)
EXPECTED = [
    ("“We counted every boat", "Ian Cole"),
    ("“far worse than last", "Ian Cole"),
    ("“Thirty years I have", "Tomas Berg"),
]


def wrapped(width: int, separator: str) -> str:
    """The story hard-wrapped at ``width``, paragraphs apart by a blank line or an indent."""
    if separator == "blank":
        return "\n\n".join(textwrap.fill(p, width) for p in STORY)
    return "\n".join(textwrap.fill(p, width, initial_indent="    ") for p in STORY)


LAYOUTS = {
    "one-per-line": ONE_PER_LINE,
    "blank-lines": "\n\n".join(STORY),
    "wrap60-blank": wrapped(60, "blank"),
    "wrap72-indent": wrapped(72, "indent"),
    "wrap80-blank": wrapped(80, "blank"),
    "crlf-wrap72": wrapped(72, "blank").replace("\n", "\r\n"),
    "british-wrap72": wrapped(72, "indent").replace("“", "‘").replace("”", "’"),
}


def _words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize("name", LAYOUTS)
def test_paragraphs_are_the_story_paragraphs_in_every_layout(name: str) -> None:
    text = LAYOUTS[name]
    found = [_words(text[start:end]) for start, end in paragraphs(text)]
    expected = [_words(p.replace("“", "‘").replace("”", "’") if "british" in name else p) for p in STORY]
    assert found == expected


def test_short_lines_that_end_sentences_are_paragraphs_not_wraps() -> None:
    text = "Storm warning.\nBoats stay in port.\nThe quay is closed until Friday."
    assert [text[s:e] for s, e in paragraphs(text)] == text.split("\n")


def test_unwrap_maps_every_character_back() -> None:
    text = wrapped(60, "indent").replace("\n", "\r\n")
    result = unwrap(text)
    assert result is not None
    assert "\n" not in result.text.replace("\n\n", "")
    for k, ch in enumerate(result.text):
        if not ch.isspace():
            assert text[result.origin[k]] == ch
    assert unwrap(ONE_PER_LINE) is None


@pytest.mark.parametrize("name", LAYOUTS)
def test_same_quotes_and_speakers_in_every_layout(nlp: Language, name: str) -> None:
    text = LAYOUTS[name]
    doc = nlp(text)
    assert doc.text == text
    quotes, problems = find_quotes(doc)
    assert problems == []
    assert [(_words(q.text[1:])[:3], q.speaker) for q in quotes] == [
        (_words(prefix[1:])[:3], speaker) for prefix, speaker in EXPECTED
    ]
    for q in quotes:
        assert text[q.start : q.end] == q.text
        assert text[q.speaker_start : q.speaker_end] == q.mention


def test_wrapped_text_is_parsed_as_unwrapped_and_the_doc_keeps_the_original(nlp: Language) -> None:
    text = wrapped(60, "blank")
    doc = nlp(text)
    flat = nlp("\n\n".join(STORY))
    assert doc.text == text
    assert [(e.text.split(), e.label_) for e in doc.ents] == [(e.text.split(), e.label_) for e in flat.ents]
    words = [(t.text, t.dep_, t.head.text) for t in doc if not t.is_space]
    assert words == [(t.text, t.dep_, t.head.text) for t in flat if not t.is_space]
    assert all(text[e.start_char : e.end_char] == e.text for e in doc.ents)
    assert any("\n" in t.text for t in doc if t.is_space)


def test_layout_components_keep_the_context_of_pipe_as_tuples(nlp: Language) -> None:
    [(doc, context)] = list(nlp.pipe([(wrapped(72, "indent"), "article-7")], as_tuples=True))
    assert context == "article-7" and doc.text == wrapped(72, "indent")


def test_layout_components_work_in_a_pipeline_of_their_own() -> None:
    blank = spacy.blank("en")
    add_layout_components(blank)
    assert blank.pipe_names == ["layout_unwrap", "layout_restore"]
    text = wrapped(60, "indent")
    assert blank(text).text == text
