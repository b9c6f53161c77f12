"""Articles: where they come from (a folder, an upload, pasted text), their ids, and the checks that
turn bad input into a clear message instead of a traceback. No Streamlit here."""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# spaCy refuses texts longer than ``nlp.max_length`` (1,000,000 characters by default).
DEFAULT_MAX_CHARS = 1_000_000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

_UNSAFE_ID_CHARACTERS = re.compile(r"[^\w.-]+", re.UNICODE)


class ArticleError(ValueError):
    """The input cannot be read as an article; the message says why, in words for the reader."""


@dataclass(frozen=True)
class Article:
    article_id: str
    text: str
    origin: str  # "folder", "upload" or "paste"


def article_id_from_name(file_name: str) -> str:
    """Return the article id for a file name: its name without folders and ``.txt``, made safe for a file name.

    Letters of any script are kept (an article about Gdańsk stays ``gdańsk``); anything that could
    climb out of a folder (``../``, slashes, NUL) becomes ``-``.
    """
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    if name.lower().endswith(".txt"):
        name = name[:-4]
    name = unicodedata.normalize("NFC", name)
    safe = _UNSAFE_ID_CHARACTERS.sub("-", name).strip(".-")
    return safe[:120] or "article"


def pasted_article_id(text: str) -> str:
    """Return a stable id for pasted text: the same text always opens the same annotations."""
    return "pasted-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def decode_article(data: bytes, name: str = "the file") -> str:
    """Return the text of an uploaded article, or raise :class:`ArticleError` saying what is wrong.

    UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are read; anything
    else that is not valid UTF-8 is refused rather than guessed, so offsets never silently shift.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise ArticleError(
            f"{name} is {len(data) / 1_048_576:.1f} MB; articles up to {MAX_UPLOAD_BYTES // 1_048_576} MB are accepted."
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        if b"\x00" in data:
            raise ArticleError(f"{name} looks like a binary file, not a text article.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ArticleError(
                f"{name} is not UTF-8 text (byte {error.start} cannot be read). "
                "Save it as UTF-8 and upload it again."
            ) from None
    return normalise_text(text)


def normalise_text(text: str) -> str:
    """Return the text with Windows and old Mac line endings made ``\\n``, so offsets mean one thing."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


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


def article_title(article_id: str) -> str:
    """Return a readable title for an article id: dashes as spaces, capitalised."""
    words = article_id.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else "Untitled article"


class ArticleLibrary:
    """The articles a reader can open: the ``.txt`` files of the articles folder and those they added.

    Uploaded and pasted articles are written to ``uploads_dir`` so that their address
    (``?article=<id>``) works in any session and after a restart. An added article never takes the
    id of another article with different text, so it never inherits or overwrites its annotations.
    """

    def __init__(self, articles_dir: Path, uploads_dir: Path) -> None:
        self.articles_dir = articles_dir
        self.uploads_dir = uploads_dir

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

    def get(self, article_id: str) -> Article:
        """Return the article with this id, or raise :class:`ArticleError` if there is none."""
        path = self.paths().get(article_id)
        if path is None:
            raise ArticleError(f"There is no article called {article_id!r}.")
        article = read_article_file(path)
        origin = "folder" if path.parent == self.articles_dir else "upload"
        return Article(article_id, article.text, origin)

    def add(self, article_id: str, text: str, origin: str) -> Article:
        """Return the stored article for this text, saving it under a free id if it is new."""
        check_article_text(text)
        existing = self.paths()
        candidate = article_id
        if candidate in existing and read_article_file(existing[candidate]).text != text:
            candidate = f"{article_id}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:6]}"
        if candidate not in existing:
            self.uploads_dir.mkdir(parents=True, exist_ok=True)
            target = self.uploads_dir / f"{candidate}.txt"
            temporary = target.with_suffix(".txt.tmp")
            temporary.write_text(text, encoding="utf-8", newline="")
            temporary.replace(target)
        return Article(candidate, text, origin)

    def add_upload(self, file_name: str, data: bytes) -> Article:
        """Return the uploaded article, stored, or raise :class:`ArticleError`."""
        text = decode_article(data, file_name)
        return self.add(article_id_from_name(file_name), text, "upload")

    def add_paste(self, text: str) -> Article:
        """Return the pasted article, stored, or raise :class:`ArticleError`."""
        text = normalise_text(text)
        check_article_text(text)
        return self.add(pasted_article_id(text), text, "paste")
