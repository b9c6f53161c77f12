"""Shared fixtures: the real spaCy model, loaded once per test session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from spacy.language import Language

from components.config import PROJECT_ROOT
from components.nlp.pipeline import load_pipeline

BUNDLED_ARTICLE = PROJECT_ROOT / "assets" / "articles" / "aleppo-rebels-reject-russian-demands.txt"


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The app's full pipeline (the model plus our components), loaded once."""
    return load_pipeline()


@pytest.fixture(scope="session")
def bundled_text() -> str:
    return BUNDLED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture()
def app_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., dict[str, Path]]:
    """Return a function that lays out an articles folder (the bundled article plus ``extra`` files)
    and an annotations folder on disk, and points the app at them."""

    def lay_out(extra: dict[str, str | bytes] | None = None) -> dict[str, Path]:
        articles, annotations = tmp_path / "articles", tmp_path / "annotations"
        articles.mkdir(exist_ok=True)
        (articles / BUNDLED_ARTICLE.name).write_bytes(BUNDLED_ARTICLE.read_bytes())
        for name, content in (extra or {}).items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            (articles / name).write_bytes(data)
        monkeypatch.setenv("ARTICLES_DIR", str(articles))
        monkeypatch.setenv("ANNOTATIONS_DIR", str(annotations))
        monkeypatch.delenv("SPACY_MODEL", raising=False)
        return {"articles": articles, "annotations": annotations}

    return lay_out


@pytest.fixture()
def annotations_dir(tmp_path: Path) -> Path:
    path = tmp_path / "annotations"
    path.mkdir()
    return path


def open_dialog(app, button_key: str):
    """Click the button that opens a dialog (AppTest ``app``) and run, as a reader does before using its tools."""
    app.button(key=button_key).click().run()
    assert not app.exception, app.exception
    return app
