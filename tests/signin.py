"""Sign-in for the browser tests: a real OpenID Connect provider on loopback, and the app set up for it.

The provider is panva's ``oidc-provider`` on Node (``tests/oidc_provider/``, installed by ``make
test`` with ``npm ci``); the app signs in through it with Streamlit's own ``st.login``, configured
by a ``secrets.toml`` written for the test, exactly as a newsroom would configure its own provider.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import BrowserContext, Page

from components.config import PROJECT_ROOT
from tests.servers import SCRIPT_FINISHED, logged_process

PROVIDER_DIR = PROJECT_ROOT / "tests" / "oidc_provider"
CLIENT_ID = "article-annotations"
SIGN_IN_BUTTON = "Sign in"


@dataclass(frozen=True)
class Account:
    name: str
    email: str
    email_verified: bool = True


# The newsroom of the tests: its roles file gives the domain "annotator" and Edith "editor";
# Rita, a freelancer, is in no line of it, so she is a reader.
RITA = Account("Rita Reyes", "rita@freelance.test")
ANA = Account("Ana Duarte", "ana@newsroom.test")
OMAR = Account("Omar Haddad", "omar@newsroom.test")
EDITH = Account("Edith Stone", "edith@newsroom.test")
ACCOUNTS = (RITA, ANA, OMAR, EDITH)
ROLES_TOML = """\
default = "reader"

[roles]
"@newsroom.test" = "annotator"
"edith@newsroom.test" = "editor"
"""


def _wait_for_ready(process: subprocess.Popen, log: Path, timeout: float = 60) -> str:
    """Return the issuer the provider printed once listening; raise with its log if it did not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("ready "):
                return line.split(" ", 1)[1].strip()
        if process.poll() is not None:
            raise RuntimeError(f"the OpenID provider exited with {process.returncode}:\n{log.read_text()}")
        time.sleep(0.1)
    raise TimeoutError(f"the OpenID provider did not start within {timeout} s:\n{log.read_text()}")


# The app binds port 0, so its port is known only once it runs: the provider accepts this callback
# on any loopback port (as RFC 8252 section 7.3 does for native apps), and Streamlit fills in {port}.
CALLBACK = "http://127.0.0.1/oauth2callback"


@contextmanager
def oidc_provider(client_secret: str, folder: Path) -> Iterator[str]:
    """Yield the issuer URL of the OpenID Connect provider running on a loopback port, then stop it."""
    node = shutil.which("node")
    if node is None or not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError(
            "The sign-in tests need Node.js and the test identity provider: run `make test` (which runs "
            f"`npm ci --prefix {PROVIDER_DIR.relative_to(PROJECT_ROOT)}`)."
        )
    config = {
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": client_secret,
            "redirect_uris": [CALLBACK],
            "post_logout_redirect_uris": [CALLBACK],
        },
        "accounts": {
            account.email: {
                "name": account.name,
                "email": account.email,
                "email_verified": account.email_verified,
            }
            for account in ACCOUNTS
        },
    }
    config_path, log = folder / "provider.json", folder / "provider.log"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    with logged_process(
        [node, str(PROVIDER_DIR / "provider.mjs"), str(config_path)], log, _wait_for_ready, cwd=PROVIDER_DIR
    ) as issuer:
        yield issuer


def secrets_toml(issuer: str, client_secret: str) -> str:
    """Return the app's ``secrets.toml`` for signing in through ``issuer``, as the README shows it."""
    return f"""\
[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "{CLIENT_ID}"
client_secret = "{client_secret}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
# Streamlit asks for an account chooser by default; this provider knows the standard "login" prompt.
client_kwargs = {{ prompt = "login" }}
"""


@contextmanager
def signing_in_app(folder: Path) -> Iterator[dict[str, str]]:
    """Yield the Streamlit options that make the app sign in through a provider now running for it."""
    client_secret = secrets.token_urlsafe(24)
    with oidc_provider(client_secret, folder) as issuer:
        secrets_path = folder / "secrets.toml"
        secrets_path.write_text(secrets_toml(issuer, client_secret), encoding="utf-8")
        yield {"secrets.files": str(secrets_path)}


def block_outside_requests(context: BrowserContext) -> None:
    """Keep the browser on loopback: the provider's login page asks for web fonts, which never come."""
    context.route("https://**/*", lambda route: route.abort())


def sign_in(page: Page, app_url: str, account: Account) -> None:
    """Sign in as ``account`` through the provider's login form; back on the app's first page when done."""
    page.goto(app_url)
    page.get_by_role("button", name=SIGN_IN_BUTTON).click()
    page.wait_for_url("**/interaction/**", timeout=60_000)
    page.fill('input[name="login"]', account.email)
    page.fill('input[name="password"]', "any password: the test provider checks none")
    page.locator('button[type="submit"]').click()
    page.wait_for_url(f"{app_url}/**", timeout=60_000)
    page.wait_for_selector(SCRIPT_FINISHED, timeout=120_000)
