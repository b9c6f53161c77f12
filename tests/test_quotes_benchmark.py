"""The quote benchmark's scorer and variants: honest (no code shared with the component) and exact.

No model here: the scorer and the variant maker are plain functions of text.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from benchmarks import quotes_scoring, quotes_variants
from benchmarks.quotes_scoring import (
    BOUNDARY,
    MISSED,
    SPURIOUS,
    QuoteSpan,
    normalise_name,
    score_article,
    speaker_lenient,
    speaker_strict,
)
from benchmarks.quotes_variants import VARIANT_NAMES, make_variant
from components.config import PROJECT_ROOT

ARTICLE = (
    "Monday, March 2, 2026\n\n\n"
    '"We will not sign this deal," Trade Minister Ana Duarte told reporters on Monday, adding that the '
    'terms were "unfair to our farmers."  The ambassador\'s staff said nothing.\n\n\n'
    "Her deputy, Rui Costa, was blunter. \"It's the farmers' livelihoods at stake, and we won't trade them "
    "for 'market access' that never comes,\" he said."
)
GOLD = [
    (ARTICLE.index('"We will'), ARTICLE.index('," Trade') + 2, "Ana Duarte"),
    (ARTICLE.index('"unfair'), ARTICLE.index('farmers."') + 9, "Ana Duarte"),
    (ARTICLE.index("\"It's"), ARTICLE.index('comes,"') + 7, "Rui Costa"),
]


def test_the_scorer_and_the_variants_import_nothing_from_components() -> None:
    for module in (quotes_scoring, quotes_variants):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        names = {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        }
        names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not any(name.startswith("components") for name in names), module.__name__


def _collapsed(text: str) -> str:
    """The words of a span, marks made straight: what must survive every variant."""
    return re.sub(r"\s+", " ", text).translate(str.maketrans("“”‘’", "\"\"''")).replace('"', "'")


@pytest.mark.parametrize("name", VARIANT_NAMES)
def test_every_variant_maps_every_gold_quote_onto_the_same_words(name: str) -> None:
    variant = make_variant(name, ARTICLE, [(s, e) for s, e, _ in GOLD])
    for start, end, _ in GOLD:
        new_start, new_end = variant.span(start, end)
        assert _collapsed(variant.text[new_start:new_end]) == _collapsed(ARTICLE[start:end])
    assert _collapsed(variant.text).split() == _collapsed(ARTICLE).split()


@pytest.mark.parametrize("width", quotes_variants.WRAP_WIDTHS)
def test_wrapped_variants_keep_to_their_width_and_break_inside_quotes(width: int) -> None:
    for separator in ("blank", "indent"):
        variant = make_variant(f"wrap{width}-{separator}", ARTICLE, [])
        lines = variant.text.split("\n")
        assert max(map(len, lines)) <= width
        assert any(line.count('"') % 2 for line in lines), "no quote crosses a line break"
        if separator == "indent":
            assert "\n\n" not in variant.text and variant.text.count("\n    ") == 2
        else:
            assert variant.text.count("\n\n") == 2


def test_british_variant_swaps_outer_and_inner_marks_and_keeps_apostrophes() -> None:
    variant = make_variant("british-curly", ARTICLE, [(s, e) for s, e, _ in GOLD])
    assert (
        "‘It’s the farmers’ livelihoods at stake, and we won’t trade them for “market access” that never comes,’"
        in variant.text
    )
    assert "The ambassador’s staff" in variant.text and '"' not in variant.text
    straight = make_variant("british-straight", ARTICLE, [(s, e) for s, e, _ in GOLD])
    assert "'It's the farmers' livelihoods" in straight.text and '"market access"' in straight.text


def test_crlf_variant_shifts_offsets_by_the_line_breaks_before() -> None:
    variant = make_variant("crlf", ARTICLE, [])
    assert variant.text == ARTICLE.replace("\n", "\r\n")
    start, end, _ = GOLD[-1]
    assert variant.text[slice(*variant.span(start, end))] == ARTICLE[start:end]


@pytest.mark.parametrize(
    ("predicted", "gold", "strict", "lenient"),
    [
        ("Sergei Lavrov", "Sergei Lavrov", True, True),
        ("Foreign Minister Sergei Lavrov", "Sergei Lavrov", True, True),
        ("the Kremlin", "Kremlin", True, True),
        ("Kama Melly QC", "Kama Melly", True, True),
        ("José Núñez", "Jose Nunez", True, True),
        ("Lavrov", "Sergei Lavrov", False, True),
        ("Ford", "Ford Motor Company", False, True),
        ("WHO", "World Health Organization", False, True),
        ("he", "Sergei Lavrov", False, False),
        ("Maria Lavrova", "Sergei Lavrov", False, False),
        (None, None, True, True),
        ("Someone", None, False, False),
    ],
)
def test_strict_and_lenient_speaker_scores(predicted, gold, strict: bool, lenient: bool) -> None:
    assert speaker_strict(predicted, gold) is strict
    assert speaker_lenient(predicted, gold) is lenient


def test_names_are_normalised_by_the_scorers_own_list() -> None:
    assert normalise_name("U.S. President Donald Trump's") == "donald trump"
    assert normalise_name("Dr. Jane O’Neil-Smith Jr.") == "jane o'neil smith"


def test_a_quote_matches_only_with_the_same_boundaries() -> None:
    text = 'She said "we will win the vote tomorrow" and left.'
    gold = [QuoteSpan(9, 39, "Ann")]
    exact = score_article("a", text, [QuoteSpan(9, 39, "Ann")], gold)
    assert (exact.matched, exact.strict, exact.errors) == (1, 1, [])
    # Overlapping most of the gold span is a boundary error, not a match.
    part = score_article("a", text, [QuoteSpan(9, 28, "Ann")], gold)
    assert part.matched == 0 and [e.kind for e in part.errors] == [BOUNDARY]
    assert [e.kind for e in score_article("a", text, [], gold).errors] == [MISSED]
    spurious = score_article("a", text, [QuoteSpan(0, 8, None)], [])
    assert [e.kind for e in spurious.errors] == [SPURIOUS]


@pytest.mark.parametrize(
    ("text", "mention", "predicted", "kind"),
    [
        ('The mayor spoke. "We are ready," he said.', "he", None, "pronoun"),
        ('"Paris is ready," said Lea Roux.', "Lea Roux", "Paris", "speaker inside quote"),
        ('"We are ready," said Lea Roux.', "Lea Roux", "Lyon", "place"),
        ('"We are ready," Lea Roux, the mayor of Lyon, said.', "Lea Roux", "mayor", "after-quote apposition"),
        ('"We are ready," replied campaign manager Lea Roux.', "Lea Roux", None, "inverted cue"),
        (
            'Lea Roux accused the board of "dragging its feet".',
            "Lea Roux",
            "board",
            "partial quote in reported speech",
        ),
        ('"We are ready," the mayor said.', "the mayor", None, "role noun"),
        (
            '"We are ready," a spokesman for the city council said.',
            "a spokesman for the city council",
            None,
            "organisation",
        ),
    ],
)
def test_wrong_speakers_are_classified(text: str, mention: str, predicted: str | None, kind: str) -> None:
    start = text.index('"')
    end = text.index('"', start + 1) + 1
    speaker = "City Council" if kind == "organisation" else "Lea Roux"
    gold = QuoteSpan(start, end, speaker, mention)
    [error] = score_article("a", text, [QuoteSpan(start, end, predicted)], [gold]).errors
    assert error.kind == kind


def test_bundled_gold_holds_its_offsets() -> None:
    from benchmarks.quotes_benchmark import load_datasets

    bundled = next(d for d in load_datasets(PROJECT_ROOT / "no-such-dir") if d.name == "bundled")
    [article] = bundled.articles
    assert len(article.quotes) == 13
