"""Download buttons that deliver on every click: the files are made when the page is drawn.

Streamlit 1.67 offers two kinds of download button. A deferred one (``data`` a callable) registers
a new placeholder id on every run and drops the previous run's ids when the run ends
(``MediaFileManager.remove_orphaned_files``); a click that reaches the server after that, which a
click's own rerun, another button's rerun or a correction make likely, finds no file and the button
spins for ever (``MediaFileStorageError: Deferred file … not found``). So every button here gets its
bytes at once, and:

* the bytes are made once per state of the data (``st.cache_data`` keyed by the table and text),
  so a rerun that changed nothing costs a cache lookup;
* a file's id is a hash of its bytes, mime type and name, so the same content keeps the same URL
  across reruns, sessions and tab switches, and a click on a button drawn a run ago still finds it.
  Streamlit hashes only samples of a file over 1 MiB: a same-length edit in the middle of a big
  corpus file would keep the old file's id and serve the old bytes, so the mime type carries a
  digest of the whole content (``; digest=…``, a parameter browsers ignore);
* ``on_click="ignore"``: a click downloads and nothing else, so it starts no rerun to race with.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from streamlit.delta_generator import DeltaGenerator

# The file for spreadsheets: every cell text, never a formula (``annotations.xlsx_export``).
XLSX_LABEL = "Download for Excel (.xlsx)"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class DownloadFile:
    """A file to download: its bytes, its name, and its mime type tagged with a digest of the bytes."""

    data: bytes
    file_name: str
    mime: str

    @classmethod
    def of(cls, data: bytes, file_name: str, mime: str) -> DownloadFile:
        """Return the file, its mime type tagged with the SHA-256 of ``data`` (see the module docstring)."""
        return cls(data, file_name, f"{mime}; digest={hashlib.sha256(data).hexdigest()[:32]}")


def download_button(container: DeltaGenerator, label: str, file: DownloadFile, key: str) -> None:
    """Draw a download button for ``file`` in ``container`` that delivers on every click."""
    container.download_button(
        label, file.data, file_name=file.file_name, mime=file.mime, key=key, on_click="ignore"
    )
