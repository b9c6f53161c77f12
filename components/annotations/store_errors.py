"""The store's errors: each message is meant for the reader and says what was (not) written."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from components.access.roles import AccessDenied


class StoreError(Exception):
    """Base class of the store's errors; the message is meant for the reader."""


class AnnotationFileError(StoreError):
    """A correction file cannot be used as it is; the message names the file and every problem."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = list(problems)
        listing = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(
            f"The annotation file {self.path} cannot be used ({len(self.problems)} problem(s)); "
            f"it was left unchanged:\n{listing}"
        )


class InvalidRowsError(StoreError, ValueError):
    """The rows given to ``save`` break the schema or do not match the article."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("These corrections cannot be saved: " + "; ".join(self.problems))


class Clash(NamedTuple):
    """A span someone else changed since this session loaded the article: by whom, when (ISO 8601 UTC)."""

    span_id: str
    annotator: str
    time: str


class ConflictError(StoreError):
    """Someone else changed the same span(s) since this session loaded the article; nothing was written.

    ``clashes`` says which spans, by whom and when, so the page can name each span by its text and
    say the time on the reader's clock.
    """

    def __init__(self, message: str, clashes: tuple[Clash, ...] = ()) -> None:
        super().__init__(message)
        self.clashes = clashes


class StoreLockedError(StoreError):
    """Another session kept the article's lock longer than the timeout; nothing was written."""


class StoreWriteError(StoreError):
    """Writing failed (read-only folder, disk full, …); the previous file is unchanged."""


class AccessRefusedError(StoreError, AccessDenied):
    """The store's user may not make this change (their role); nothing was written."""
