"""An article's title: its own headline, else its file name cased as the article writes the words.

A headline is a short first line standing apart from the text: a handful of words with no full stop
at its end (a first paragraph is a sentence). A file name is all lower case by habit ("aleppo-rebels-
reject-russian-demands"): each word takes the case the article gives it ("Aleppo", "Russian", "US"),
and keeps lower case where the article uses it so too. A pasted article has no file name: its first
line is its title, shortened at a word. No Streamlit here.
"""

from __future__ import annotations

import re
from collections import Counter

HEADLINE_MAX_WORDS = 16
HEADLINE_MAX_CHARS = 120
PASTED_TITLE_CHARS = 80
# How much of an article a title is read from: the headline is its first line, and the words of a
# file name are nearly always in its opening paragraphs. Reading no more keeps a long listing quick.
TITLE_SAMPLE_CHARS = 8_000

_WORDS = re.compile(r"[^\W_]+(?:[’'.-][^\W_]+)*", re.UNICODE)
_SENTENCE_END = (".", ";", ":", ",")


def first_line(text: str) -> str:
    """Return the first line of ``text`` that has words in it, without surrounding space."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def headline(text: str) -> str | None:
    """Return the article's own headline (a short first line followed by more text), else None."""
    line = first_line(text)
    rest = text.strip()[len(line) :].strip()
    words = line.split()
    if not rest or not words or len(words) > HEADLINE_MAX_WORDS or len(line) > HEADLINE_MAX_CHARS:
        return None
    # A first sentence ends with a full stop; a quotation opening the article is no headline either.
    if line.endswith(_SENTENCE_END) or line[0] in "“\"‘'«":
        return None
    return line


def cased_as_written(word: str, text: str) -> str:
    """Return ``word`` in the case the article writes it: lower case when the article ever does."""
    forms = Counter(match for match in _WORDS.findall(text) if match.lower() == word.lower())
    if not forms or word.lower() in forms:
        return word.lower()
    return forms.most_common(1)[0][0]


def title_from_file_name(article_id: str, text: str) -> str:
    """Return a title from the article's id, each word cased as the article writes it, the first capitalised."""
    words = [word for word in re.split(r"[-_\s]+", article_id) if word]
    if not words:
        return "Untitled article"
    sample = text[:TITLE_SAMPLE_CHARS]
    cased = [cased_as_written(word, sample) for word in words]
    cased[0] = cased[0][:1].upper() + cased[0][1:]
    return " ".join(cased)


def shortened(line: str, limit: int = PASTED_TITLE_CHARS) -> str:
    """Return ``line`` cut at a word to at most ``limit`` characters, with "…" when cut."""
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return f"{cut or line[: limit - 1]}…"


def article_title(article_id: str, text: str, pasted: bool = False) -> str:
    """Return the article's title: its headline, else (pasted) its first line, else its file name cased."""
    own = headline(text)
    if own:
        return own
    if pasted and first_line(text):
        return shortened(first_line(text))
    return title_from_file_name(article_id, text)
