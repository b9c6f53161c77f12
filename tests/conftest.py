"""Shared fixtures: the real spaCy model, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from components.config import PROJECT_ROOT
from components.pipeline import load_pipeline

BUNDLED_ARTICLE = PROJECT_ROOT / "assets" / "articles" / "aleppo-rebels-reject-russian-demands.txt"


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The app's full pipeline (the model plus our components), loaded once."""
    return load_pipeline()


@pytest.fixture(scope="session")
def bundled_text() -> str:
    return BUNDLED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture()
def annotations_dir(tmp_path: Path) -> Path:
    path = tmp_path / "annotations"
    path.mkdir()
    return path
