"""Configuration read from the environment, in one place.

| variable          | default             | what it is                                   |
|-------------------|---------------------|----------------------------------------------|
| ``ARTICLES_DIR``    | ``assets/articles/``  | folder of ``.txt`` articles listed in the sidebar |
| ``ANNOTATIONS_DIR`` | ``annotations/``      | folder of per-article correction CSV files   |
| ``SPACY_MODEL``     | (see ``pipeline``)    | name or path of the spaCy pipeline to load   |
| ``ROLES_FILE``      | ``.streamlit/roles.toml`` | who may correct and change articles, once sign-in is on |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    articles_dir: Path
    annotations_dir: Path
    spacy_model: str | None
    roles_file: Path


def _path_from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    path = Path(value).expanduser() if value else default
    # Relative paths are read from the project root so `streamlit run` from anywhere finds the same files.
    return path if path.is_absolute() else PROJECT_ROOT / path


def load_settings() -> Settings:
    """Return the settings from the environment, with the project's defaults."""
    return Settings(
        articles_dir=_path_from_env("ARTICLES_DIR", PROJECT_ROOT / "assets" / "articles"),
        annotations_dir=_path_from_env("ANNOTATIONS_DIR", PROJECT_ROOT / "annotations"),
        spacy_model=os.environ.get("SPACY_MODEL", "").strip() or None,
        roles_file=_path_from_env("ROLES_FILE", PROJECT_ROOT / ".streamlit" / "roles.toml"),
    )
