"""Articles: where they come from (a folder, an upload, pasted text), their ids, and the checks that
turn bad input into a clear message instead of a traceback. No Streamlit here."""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from components.access.roles import LOCAL_USER, AccessDenied, Action, Writer, require, user_now
from components.annotations.atomic_files import write_atomically
from components.annotations.correction_file import check_article_id
from components.corpus.article_titles import article_title, title_from_file_name
from components.corpus.removed_articles import (
    ArticlePlaces,
    RemovedArticle,
    move_aside,
    move_back,
    removed_articles,
)
from components.corpus.text_decoding import (
    ArticleError,
    decode_article,
    decode_upload,
    normalise_text,
)

# spaCy refuses texts longer than ``nlp.max_length`` (1,000,000 characters by default).
DEFAULT_MAX_CHARS = 1_000_000
# An id becomes file names (``<id>.csv``, ``.<id>.csv.<random>.tmp``, ``uploads/<id>.txt``): the store
# refuses ids over 200 UTF-8 bytes, and a clash adds ``-<6 hex>``, so ids are cut well below that.
MAX_ID_CHARS = 120
MAX_TITLE_CHARS = 200
PASTED_PREFIX = "pasted-"
MAX_ID_BYTES = 150

_UNSAFE_ID_CHARACTERS = re.compile(r"[^\w.-]+", re.UNICODE)


class ArticleAccessError(ArticleError, AccessDenied):
    """The library's user may not change the articles (their role); nothing was stored."""


@dataclass(frozen=True)
class Article:
    article_id: str
    text: str
    origin: str  # "folder", "upload" or "paste"
    # How an upload was decoded when it was not plain UTF-8, e.g. "Windows-1252 (Western European)";
    # empty for UTF-8. The stored copy is UTF-8 either way.
    encoding: str = ""
    encoding_guessed: bool = False  # True when no byte-order mark said so: the reader should check


def article_id_from_name(file_name: str) -> str:
    """Return the article id for a file name: its name without folders and ``.txt``, made safe for a file name.

    Letters of any script are kept (an article about Gdańsk stays ``gdańsk``); anything that could
    climb out of a folder (``../``, slashes, NUL) becomes ``-``.
    """
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    if name.lower().endswith(".txt"):
        name = name[:-4]
    name = unicodedata.normalize("NFC", name)
    safe = _UNSAFE_ID_CHARACTERS.sub("-", name).strip(".-")[:MAX_ID_CHARS]
    # Cut by UTF-8 bytes too: 120 Cyrillic or CJK letters are 240–360 bytes, too long for a file name.
    while len(safe.encode("utf-8")) > MAX_ID_BYTES:
        safe = safe[:-1]
    return safe.rstrip(".-") or "article"


def pasted_article_id(text: str) -> str:
    """Return a stable id for pasted text: the same text always opens the same annotations."""
    return PASTED_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def check_article_text(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> None:
    """Raise :class:`ArticleError` if the text is empty, binary-looking or too long to parse."""
    if not text.strip():
        raise ArticleError("The article is empty: there is no text to read.")
    if len(text) > max_chars:
        raise ArticleError(
            f"The article has {len(text):,} characters; the model reads at most {max_chars:,}. "
            "Split it into several articles."
        )
    control = sum(1 for char in text[:10_000] if unicodedata.category(char) == "Cc" and char not in "\n\t")
    if control > 10:
        raise ArticleError("The text is full of control characters: it looks like a binary file.")


def list_article_files(folder: Path) -> list[Path]:
    """Return the ``.txt`` files of a folder, sorted by name; an absent folder has none."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.suffix.lower() == ".txt" and path.is_file())


def read_article_file(path: Path) -> Article:
    """Return the article stored in ``path``, or raise :class:`ArticleError`."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ArticleError(f"{path.name} cannot be read: {error.strerror}.") from None
    text = decode_article(data, path.name)
    return Article(article_id_from_name(path.name), text, "folder")


def _holds_text(path: Path, text: str) -> bool:
    """Return whether the article stored at ``path`` has exactly this text (False if it is unreadable)."""
    try:
        return read_article_file(path).text == text
    except ArticleError:
        return False


class ArticleLibrary:
    """The articles a reader can open: the ``.txt`` files of the articles folder and those they added.

    Uploaded and pasted articles are written to ``uploads_dir`` so that their address
    (``?article=<id>``) works in any session and after a restart. An added article never takes the
    id of another article with different text, so it never inherits or overwrites its annotations.
    Adding one is refused (``ArticleAccessError``) unless ``user``'s role may add articles.
    """

    def __init__(
        self,
        articles_dir: Path,
        uploads_dir: Path,
        user: Writer = LOCAL_USER,
        corrections_dir: Path | None = None,
    ) -> None:
        self.articles_dir = articles_dir
        self.uploads_dir = uploads_dir
        self.user = user
        # Where the corrections live (``ANNOTATIONS_DIR``, the uploads folder's parent by default):
        # deleting an article moves them aside with it.
        self.corrections_dir = corrections_dir or uploads_dir.parent

    def paths(self) -> dict[str, Path]:
        """Return every article's file by id; the articles folder wins over an upload of the same id."""
        found: dict[str, Path] = {}
        for folder in (self.articles_dir, self.uploads_dir):
            for path in list_article_files(folder):
                found.setdefault(article_id_from_name(path.name), path)
        return found

    def ids(self) -> list[str]:
        """Return the ids of all articles, sorted."""
        return sorted(self.paths())

    def get(self, article_id: str, read: Callable[[Path], Article] = read_article_file) -> Article:
        """Return the article with this id, or raise :class:`ArticleError` if there is none.

        ``read`` reads its file (the page passes one that rereads a file only when it changed).
        """
        path = self.paths().get(article_id)
        if path is None:
            raise ArticleError(f"There is no article called {article_id!r}.")
        article = read(path)
        origin = "folder" if path.parent == self.articles_dir else "upload"
        return Article(article_id, article.text, origin)

    def add(self, article_id: str, text: str, origin: str) -> Article:
        """Return the stored article for this text, saving it under a free id if it is new."""
        require(user_now(self.user), Action.ADD_ARTICLE, ArticleAccessError)
        check_article_text(text)
        existing = self.paths()
        candidate = article_id
        if candidate in existing and not _holds_text(existing[candidate], text):
            candidate = f"{article_id}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:6]}"
        if candidate not in existing:
            target = self.uploads_dir / f"{candidate}.txt"
            temporary = self.uploads_dir / f".{candidate}.{secrets.token_hex(6)}.tmp"
            try:
                self.uploads_dir.mkdir(parents=True, exist_ok=True)
                temporary.write_text(text, encoding="utf-8", newline="")
                temporary.replace(target)
            except OSError as error:
                with suppress(OSError):
                    temporary.unlink()
                raise ArticleError(
                    f"The article could not be stored in {self.uploads_dir}: {error.strerror or error}. "
                    "Nothing was saved; check that the annotations folder is writable and the disk is not "
                    "full."
                ) from None
        return Article(candidate, text, origin)

    def add_upload(self, file_name: str, data: bytes) -> Article:
        """Return the uploaded article, stored, or raise :class:`ArticleError`."""
        decoded = decode_upload(data, file_name)
        article = self.add(article_id_from_name(file_name), decoded.text, "upload")
        encoding = "" if decoded.encoding == "UTF-8" else decoded.encoding
        return Article(article.article_id, article.text, article.origin, encoding, decoded.guessed)

    def add_paste(self, text: str) -> Article:
        """Return the pasted article, stored, or raise :class:`ArticleError`."""
        text = normalise_text(text)
        check_article_text(text)
        return self.add(pasted_article_id(text), text, "paste")

    # titles, rename, delete and restore: an editor's, for uploaded and pasted articles only

    def title(self, article_id: str) -> str:
        """Return the article's title: the one an editor gave it, else its headline or cased file name
        (the id itself when there is no such article)."""
        # This article's alone, not every title of the folder (24 ms on each page load with 1,000 articles).
        path = self.paths().get(article_id)
        return article_id if path is None else titled(article_id, path, self._places(article_id).title_file)

    def titles(self) -> dict[str, str]:
        """Return every article's title by id (one folder scan; each file read once while unchanged)."""
        return {
            article_id: titled(article_id, path, self._places(article_id).title_file)
            for article_id, path in self.paths().items()
        }

    def rename(self, article_id: str, title: str) -> str:
        """Return the article's new title, stored; its id, address and corrections stay as they are."""
        require(user_now(self.user), Action.RENAME_ARTICLE, ArticleAccessError)
        self._own_upload(article_id, "renamed")
        title = " ".join(title.split())
        if not title:
            raise ArticleError("A title needs at least one word; the article keeps its title.")
        if len(title) > MAX_TITLE_CHARS:
            raise ArticleError(
                f"A title has at most {MAX_TITLE_CHARS} characters; this one has {len(title)}."
            )
        path = self._places(article_id).title_file
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, title.encode("utf-8"))
        except OSError as error:
            raise ArticleError(f"The title could not be saved: {error.strerror or error} ({path}).") from None
        return title

    def delete(self, article_id: str) -> None:
        """Move the article, with its corrections, edit log and review mark, to the removed articles."""
        require(user_now(self.user), Action.DELETE_ARTICLE, ArticleAccessError)
        self._own_upload(article_id, "deleted")
        places = self._places(article_id)
        if places.removed_dir.exists():
            raise ArticleError(f"An article called “{article_id}” is already among the removed ones.")
        try:
            move_aside(places)
        except OSError as error:
            raise ArticleError(str(error)) from None

    def removed(self) -> list[RemovedArticle]:
        """Return the removed articles, newest first, with their titles, each restorable."""
        return removed_articles(
            self.corrections_dir,
            lambda article_id, folder: titled(article_id, folder / f"{article_id}.txt", folder / "title"),
        )

    def restore(self, article_id: str) -> None:
        """Move a removed article back, with its corrections, under its own id and address."""
        require(user_now(self.user), Action.DELETE_ARTICLE, ArticleAccessError)
        places = self._places(check_article_id(article_id))
        if not (places.removed_dir / f"{article_id}.txt").is_file():
            raise ArticleError(f"There is no removed article called “{article_id}”.")
        if article_id in self.paths():
            raise ArticleError(
                f"“{article_id}” cannot be restored: an article with that id is in the library again. "
                "It stays among the removed articles."
            )
        try:
            move_back(places)
        except OSError as error:
            raise ArticleError(str(error)) from None

    def _places(self, article_id: str) -> ArticlePlaces:
        return ArticlePlaces(article_id, self.uploads_dir, self.corrections_dir)

    def _own_upload(self, article_id: str, what: str) -> None:
        """Raise ArticleError unless the article was uploaded or pasted (the articles folder is read-only)."""
        path = self.paths().get(article_id)
        if path is None:
            raise ArticleError(f"There is no article called “{article_id}”.")
        if path.parent != self.uploads_dir:
            raise ArticleError(
                f"“{article_id}” is in the articles folder, which the app never changes: only uploaded "
                f"or pasted articles can be {what}."
            )


@functools.lru_cache(maxsize=4096)
def _title_of_file(article_id: str, path: str, stamp: tuple[int, int], pasted: bool) -> str:
    # ``stamp`` (mtime, size) makes a changed file a new key; a listing of thousands reads each once.
    try:
        text = read_article_file(Path(path)).text
    except ArticleError:
        return title_from_file_name(article_id, "")
    return article_title(article_id, text, pasted)


def titled(article_id: str, path: Path, title_file: Path) -> str:
    """Return the title of the article stored at ``path``: the renamed one in ``title_file``, else its own."""
    with suppress(OSError, UnicodeDecodeError):
        renamed = title_file.read_text(encoding="utf-8").strip()
        if renamed:
            return renamed
    try:
        status = path.stat()
    except OSError:
        return title_from_file_name(article_id, "")
    pasted = article_id.startswith(PASTED_PREFIX)
    return _title_of_file(article_id, str(path), (status.st_mtime_ns, status.st_size), pasted)
