"""The country benchmark's scorer: markup, matching, layout variants, and its independence from components/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from benchmarks import countries_benchmark as bench
from benchmarks.text_variants import VARIANTS
from components.config import PROJECT_ROOT

PASSAGE = """## own-x | US | a test passage
[[TALLAHASSEE|USA|city]], [[Fla.|USA|abbreviation]] — [[Obama|-|person]] met officials of the
[[Florida|USA?|subdivision]] Department of Law Enforcement.
"""


def _article(tmp_path: Path) -> bench.Article:
    path = tmp_path / "gold.txt"
    path.write_text(PASSAGE, encoding="utf-8")
    (article,) = bench.parse_passages(path)
    return article


def test_markup_becomes_text_and_offsets(tmp_path: Path) -> None:
    article = _article(tmp_path)
    assert article.text.startswith("TALLAHASSEE, Fla. — Obama met")
    assert [(article.text[m.start : m.end], m.iso3, m.optional) for m in article.mentions] == [
        ("TALLAHASSEE", "USA", False),
        ("Fla.", "USA", False),
        ("Obama", None, False),
        ("Florida", "USA", True),
    ]


def _entity(article: bench.Article, text: str, iso3: str | None, label: str = "GPE") -> dict:
    start = article.text.index(text)
    return {"start": start, "end": start + len(text), "text": text, "label": label, "iso3": iso3}


def test_scoring_counts_right_wrong_optional_and_negative(tmp_path: Path) -> None:
    article = _article(tmp_path)
    entities = [
        _entity(article, "TALLAHASSEE", "USA"),  # right
        _entity(article, "Fla.", "BFA"),  # wrong country: a miss and a wrong prediction
        _entity(article, "Obama", "JPN", "PERSON"),  # not a place
        _entity(article, "Florida", "USA"),  # optional: counts neither way
    ]
    score = bench.score_article(article, entities)
    assert (score.right, score.predicted, score.gold) == (1, 3, 2)
    assert score.error_classes == {
        "wrong country": 1,
        "not a place (person)": 1,
        "missed, no or another country": 1,
    }
    assert (score.set_right, score.set_predicted, score.set_gold) == (1, 3, 1)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_variants_keep_every_mention_on_its_words(tmp_path: Path, name: str) -> None:
    article = _article(tmp_path)
    (moved,) = bench.variant_articles([article], name)
    for old, new in zip(article.mentions, moved.mentions, strict=True):
        assert " ".join(moved.text[new.start : new.end].split()) == " ".join(old.text.split())


def test_the_scorer_imports_nothing_from_components() -> None:
    for module in ("countries_benchmark.py", "text_variants.py"):
        tree = ast.parse((PROJECT_ROOT / "benchmarks" / module).read_text(encoding="utf-8"))
        imported = [
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        ]
        assert not any((name or "").startswith("components") for name in imported), module


def test_the_gold_files_parse_and_match_their_texts() -> None:
    articles = bench.load_gold()
    assert sum(1 for a in articles for m in a.mentions if m.iso3 and not m.optional) >= 300
    for article in articles:
        for mention in article.mentions:
            assert article.text[mention.start : mention.end] == mention.text
