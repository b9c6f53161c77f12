"""A real ``streamlit run`` on a loopback port the system chooses, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from components.config import PROJECT_ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without these Chromium keeps trying to reach Google's hosts, which a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCRIPT_FINISHED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# The article's click, selection and key handlers are attached (assets/js/article_view.js marks the
# container it listens on). The text is drawn a moment earlier, and a click before this is not heard.
ARTICLE_LISTENING = '.st-key-article_text[data-listening="true"]'


# Streamlit prints this once its socket is bound, with the port the system gave it for port 0.
_SERVING = re.compile(r"URL: (http://127\.0\.0\.1:[1-9][0-9]*)")


@contextmanager
def refused_port() -> Iterator[int]:
    """Yield a loopback port that refuses connections: bound by this process, not listening, so
    nothing else can take it while the test runs."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]


def _wait_until_healthy(process: subprocess.Popen, log: Path, timeout: float = 90) -> str:
    """Return the server's base URL once it has said where it listens and answers its health check."""
    deadline = time.monotonic() + timeout
    url = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{log.read_text()}")
        if url is None and (serving := _SERVING.search(log.read_text(errors="replace"))):
            url = serving[1]
        if url is not None:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return url
            except OSError:
                pass
        time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer within {timeout} s:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    """Stop a server process started by a test: politely, then for sure."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def logged_process(
    command: list[str],
    log: Path,
    ready: Callable[[subprocess.Popen, Path], str],
    **popen: Any,
) -> Iterator[str]:
    """Run ``command`` with its output in ``log``; yield what ``ready(process, log)`` returns once it is
    up (its address), and stop it on the way out, whatever happened."""
    with log.open("w") as output:
        process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **popen
        )
    try:
        yield ready(process, log)
    finally:
        stop(process)


@contextmanager
def streamlit_server(
    env: dict[str, str], log: Path, options: dict[str, str] | None = None, script: Path | None = None
) -> Iterator[str]:
    """Yield the base URL of ``streamlit run app.py`` (or ``script``) serving on loopback, then stop it.

    Port 0: the system gives the server a free port when it binds, so no other process can take it
    in between (as it could if a test picked a free port and let it go); the server prints which.
    ``options`` are more ``--name value`` settings, e.g. ``{"secrets.files": path}``.
    """
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script or PROJECT_ROOT / "app.py"),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        "0",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *(item for name, value in (options or {}).items() for item in (f"--{name}", value)),
    ]
    with logged_process(
        command,
        log,
        _wait_until_healthy,
        cwd=PROJECT_ROOT,
        env=os.environ | {"PYTHONUNBUFFERED": "1"} | env,  # its address reaches the log at once
    ) as url:
        yield url
