"""Article text from bytes: UTF-8, UTF-16/32 with a mark, and the 8-bit encodings news comes in.

Bad input becomes an :class:`ArticleError` whose message says what is wrong, never a traceback.
No Streamlit here.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
_WORD = re.compile(r"[^\W\d_]+")
_NON_ASCII_BETWEEN_LETTERS = re.compile(r"(?<=[^\W\d_])[^\x00-\x7f](?=[^\W\d_])")
# Bytes no 8-bit text encoding uses for letters: C0 controls other than tab, line feed, carriage return.
_CONTROL_BYTES = frozenset({*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F})
_INSIDE_WORDS = frozenset("’‘–—…·")  # apostrophes and dashes do sit between letters in Western text
_LEGACY_CODE_PAGES = (
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "iso8859_2",
    "iso8859_5",
    "iso8859_7",
    "koi8_r",
)
# Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 (byte-order mark)"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 (byte-order mark)"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 (byte-order mark)"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 (byte-order mark)"),
)


class ArticleError(ValueError):
    """The input cannot be read as an article; the message says why, in words for the reader."""


@dataclass(frozen=True)
class DecodedText:
    """Text read from bytes, with the encoding it was read as."""

    text: str
    encoding: str  # a name for the reader: "UTF-8", "UTF-16 LE (no byte-order mark)", …
    guessed: bool = False  # no byte-order mark or valid UTF-8 said so: the encoding was inferred


def _check_size(data: bytes, name: str) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise ArticleError(
            f"{name} is {len(data) / 1_048_576:.1f} MB; articles up to {MAX_UPLOAD_BYTES // 1_048_576} MB are accepted."
        )


def _decode_marked(data: bytes) -> DecodedText | None:
    """Return the text if ``data`` starts with a byte-order mark, None if it has none."""
    for bom, codec, described in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(codec), described)
            except UnicodeDecodeError:
                return None  # a mark followed by something else: not text in that encoding
    return None


def _control_characters(text: str) -> int:
    return sum(1 for char in text if unicodedata.category(char) == "Cc" and char not in "\n\r\t")


def _looks_like_text(text: str) -> bool:
    """Return whether decoded text reads as prose: no control or unassigned characters, and spaces."""
    text = text[:100_000]  # a sample is enough to tell, and keeps a 5 MB upload quick
    if not text.strip() or _control_characters(text):
        return False
    if any(unicodedata.category(char) in ("Cn", "Co", "Cs") for char in text):
        return False
    # Prose has a space or a line break every few words in every alphabetic script; the other byte
    # order of UTF-16 turns them into U+2000 or U+0A00 and the letters into CJK-looking noise.
    breaks = text.count(" ") + text.count("\n")
    return breaks >= max(1, len(text) // 60)


def _decode_utf16_without_bom(data: bytes) -> DecodedText | None:
    """Return the text if ``data`` reads as UTF-16 prose in exactly one byte order, else None."""
    if len(data) % 2:
        return None
    readings = []
    for codec, described in (("utf-16-le", "UTF-16 LE"), ("utf-16-be", "UTF-16 BE")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            readings.append(DecodedText(text, f"{described} (no byte-order mark)", guessed=True))
    return readings[0] if len(readings) == 1 else None


def _latin_words_are_plausible(text: str) -> bool:
    """Return whether the non-ASCII characters of a Windows-1252 reading sit in words as Latin letters do.

    French, German, Spanish… mix accented letters with plain ones (“déclaré”, “Straße”). Other 8-bit
    encodings read as Windows-1252 give words made only of accented letters (Cyrillic: “Ìýð Ìîñêâû”)
    or symbols between letters (Polish ł, ż: “by³a”, “mo¿e”).
    """
    for match in _NON_ASCII_BETWEEN_LETTERS.finditer(text):
        char = match.group()
        if not char.isalpha() and char not in _INSIDE_WORDS:
            return False
    foreign = [word for word in _WORD.findall(text) if not word.isascii()]
    all_accented = [word for word in foreign if len(word) >= 3 and not any(char.isascii() for char in word)]
    return len(all_accented) <= len(foreign) // 4


def _decode_single_byte(data: bytes) -> DecodedText | None:
    """Return the text of a legacy 8-bit file: Windows-1252 by a careful rule, else a clear detection."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    # Latin-1 is Windows-1252 but for 0x80–0x9F, which Latin-1 maps to control characters no text
    # holds: reading it as Windows-1252 is right for both, and keeps curly quotes and dashes.
    if text is not None and not _control_characters(text) and _latin_words_are_plausible(text):
        return DecodedText(text, "Windows-1252 / Latin-1 (Western European)", guessed=True)
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed with Streamlit (requests)
        return None
    # Only the 8-bit code pages news text comes in; a language must be recognised, and no other
    # reading may come close (short texts are ambiguous: refusing beats showing the wrong letters).
    found = [
        match
        for match in from_bytes(data, cp_isolation=list(_LEGACY_CODE_PAGES))
        if match.chaos <= 0.1 and match.languages and match.coherence >= 0.25
    ]
    if not found:
        return None
    found.sort(key=lambda match: (match.chaos, -match.coherence))
    best, detected = found[0], str(found[0])
    if _control_characters(detected):
        return None
    for rival in found[1:]:
        close = rival.chaos <= best.chaos + 0.03 and rival.coherence >= best.coherence - 0.1
        if close and str(rival) != detected:
            return None
    languages = ", ".join(best.languages[:2])
    return DecodedText(detected, f"{best.encoding} ({languages}; detected from the letters)", guessed=True)


def decode_upload(data: bytes, name: str = "the file") -> DecodedText:
    """Return the text of an uploaded file and the encoding it was read as, or raise :class:`ArticleError`.

    In order: a byte-order mark (UTF-8, UTF-16, UTF-32) says the encoding; valid UTF-8 is UTF-8;
    UTF-16 without a mark is read when exactly one byte order gives prose; an 8-bit file is read as
    Windows-1252 (which covers Latin-1) when its accented letters sit in Latin-script words, else
    as the encoding ``charset_normalizer`` recognises with a language. ``guessed`` tells the caller
    to say which encoding was assumed. Anything else is refused with a message saying why.
    """
    _check_size(data, name)
    marked = _decode_marked(data)
    if marked is not None:
        return DecodedText(normalise_text(marked.text), marked.encoding, marked.guessed)
    error: UnicodeDecodeError | None = None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as caught:
        text, error = None, caught
    # Valid UTF-8 full of control bytes may be UTF-16 without a mark (Cyrillic "Ж" is b"\x16\x04").
    if text is not None and b"\x00" not in data and _control_characters(text[:10_000]) <= 10:
        return DecodedText(normalise_text(text), "UTF-8")
    utf16 = _decode_utf16_without_bom(data)
    if utf16 is not None:
        return DecodedText(normalise_text(utf16.text), utf16.encoding, guessed=True)
    if b"\x00" in data:
        raise ArticleError(f"{name} looks like a binary file, not a text article.")
    if text is not None:
        # Valid UTF-8, just full of control characters: check_article_text says so.
        return DecodedText(normalise_text(text), "UTF-8")
    if sum(1 for byte in data[:10_000] if byte in _CONTROL_BYTES) > 10:
        raise ArticleError(f"{name} looks like a binary file, not a text article.")
    legacy = _decode_single_byte(data)
    if legacy is not None:
        return DecodedText(normalise_text(legacy.text), legacy.encoding, guessed=True)
    where = f" (byte {error.start} cannot be read)" if error is not None else ""
    raise ArticleError(
        f"{name} is not UTF-8 text{where}, and its encoding could not be told with confidence. "
        "Save it as UTF-8 and upload it again."
    )


def decode_article(data: bytes, name: str = "the file") -> str:
    """Return the text of a stored article, or raise :class:`ArticleError` saying what is wrong.

    UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are read; anything
    else that is not valid UTF-8 is refused rather than guessed, so offsets never silently shift.
    (Uploads go through :func:`decode_upload`, which also reads other encodings and says so, and
    are stored as UTF-8.) The message names the encoding the file seems to be in.
    """
    _check_size(data, name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(
        (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    ):
        try:
            return normalise_text(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise ArticleError(f"{name} starts like UTF-16 text but cannot be read as UTF-16.") from None
    if b"\x00" in data:
        hint = _encoding_hint(data)
        if not hint:
            raise ArticleError(f"{name} looks like a binary file, not a text article.")
        raise ArticleError(f"{name} is not UTF-8 text{hint}. {_SAVE_AS_UTF8}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        where = f"byte {error.start} cannot be read"
        raise ArticleError(
            f"{name} is not UTF-8 text ({where}){_encoding_hint(data)}. {_SAVE_AS_UTF8}"
        ) from None
    return normalise_text(text)


_SAVE_AS_UTF8 = (
    "Save it as UTF-8, or upload it: an upload in another encoding is converted, and you are told which."
)


def _encoding_hint(data: bytes) -> str:
    """Return ``"; it looks like <encoding>"`` when the upload rules would read the bytes, else ``""``."""
    try:
        decoded = decode_upload(data)
    except ArticleError:
        return ""
    return f"; it looks like {decoded.encoding}" if decoded.encoding != "UTF-8" else ""


def normalise_text(text: str) -> str:
    """Return the text with Windows and old Mac line endings made ``\\n``, so offsets mean one thing."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
