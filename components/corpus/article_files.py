"""Article files named on a command line: files, folders (their ``.txt`` files) and glob patterns.

An input is a file, a folder or a quoted glob pattern (``'archive/**/*.txt'``, ``**`` crossing
folders). Each file is named once, in the order given; an article id is the file name without
``.txt``, as in the app, so ``duplicate_ids`` finds files that would be the same article.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from components.corpus.articles import (
    ArticleError,
    article_id_from_name,
    check_article_text,
    list_article_files,
    read_article_file,
)

_GLOB_CHARACTERS: Final = frozenset("*?[")
# A pair as spaCy's ``nlp.pipe(as_tuples=True)`` takes it: the text, and the article id as context.
TextAndId = tuple[str, str]


def expand_inputs(inputs: Iterable[str], errors: list[str]) -> list[Path]:
    """Return the files named by ``inputs`` (files, folders' ``.txt`` files, glob matches), each once.

    A folder without ``.txt`` files or a pattern that matches nothing adds a message to ``errors``.
    A file that does not exist is returned: reading it says what is wrong, as for any unreadable file.
    """
    found: dict[Path, None] = {}  # an ordered set
    for text in inputs:
        path = Path(text)
        if path.is_dir():
            files = list_article_files(path)
            if not files:
                errors.append(f"{text}: no .txt files in this folder")
            found.update(dict.fromkeys(files))
        elif not path.exists() and _GLOB_CHARACTERS & set(text):
            matches = _glob_files(text)
            if not matches:
                errors.append(f"{text}: no file matches this pattern")
            found.update(dict.fromkeys(matches))
        else:
            found[path] = None
    return list(found)


def _glob_files(pattern: str) -> list[Path]:
    """Return the files matching ``pattern`` (``**`` crosses folders) and the ``.txt`` of matching folders."""
    files: list[Path] = []
    for match in sorted(glob.glob(pattern, recursive=True)):
        path = Path(match)
        files.extend(list_article_files(path) if path.is_dir() else [path])
    return files


def duplicate_ids(paths: Iterable[Path]) -> dict[str, list[Path]]:
    """Return each article id that more than one of ``paths`` would get, with those paths."""
    by_id: dict[str, list[Path]] = {}
    for path in paths:
        by_id.setdefault(article_id_from_name(path.name), []).append(path)
    return {article_id: found for article_id, found in by_id.items() if len(found) > 1}


def read_articles(paths: Iterable[Path], errors: list[str]) -> Iterator[TextAndId]:
    """Return (text, article id) for each readable file, one at a time; unreadable ones go to ``errors``."""
    for path in paths:
        try:
            article = read_article_file(path)
            check_article_text(article.text)
        except ArticleError as error:
            errors.append(f"{path}: {error}")
            continue
        yield article.text, article.article_id
