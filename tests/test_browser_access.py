"""Sign-in and roles in a real browser: Chromium signs in through a real OpenID Connect provider.

The provider (``tests/oidc_provider``, on loopback) shows its own login form; the app signs in with
Streamlit's ``st.login`` as a newsroom would configure it. Rita is a reader, Ana and Omar are
annotators and Edith is an editor (``tests.signin.ROLES_TOML``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, WebSocketRoute, expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from components.access.roles import Role, User
from components.annotations.store import AnnotationStore
from components.corpus.listing import reviewed_ids
from components.ui import state
from tests import test_browser
from tests.servers import ARTICLE_LISTENING, SCRIPT_FINISHED, streamlit_server
from tests.signin import (
    ANA,
    EDITH,
    OMAR,
    RITA,
    ROLES_TOML,
    Account,
    block_outside_requests,
    sign_in,
    signing_in_app,
)
from tests.test_browser import SCREENSHOTS, download, open_dialog, side_tab, wait_for_rerun
from tests.test_store import row, rows

pytestmark = pytest.mark.browser
browser = test_browser.browser  # the fixture: Debian's Chromium, launched once per module


ARTICLE = "summit"
TEXT = (
    "Angela Merkel met Emmanuel Macron in Paris on Monday to talk about trade with China.\n\n"
    "“We agree on almost everything,” Merkel said after the talks. Macron said France would "
    "“work with Berlin and Brussels” on the rules."
)
UPLOADED = "Officials in Nairobi said the talks with Ethiopia would resume in Addis Ababa next week."


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("access")


@pytest.fixture(scope="module")
def roles_file(root: Path) -> Path:
    path = root / "roles.toml"
    path.write_text(ROLES_TOML, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(root: Path, roles_file: Path) -> Iterator[str]:
    articles = root / "articles"
    articles.mkdir()
    (articles / f"{ARTICLE}.txt").write_text(TEXT, encoding="utf-8")
    env = {
        "ARTICLES_DIR": str(articles),
        "ANNOTATIONS_DIR": str(root / "annotations"),
        "ROLES_FILE": str(roles_file),
    }
    with signing_in_app(root) as options, streamlit_server(env, root / "streamlit.log", options) as url:
        yield url


def new_page(browser: Browser) -> Page:
    """Return a page in a fresh browser context: its own cookies, so its own sign-in."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    block_outside_requests(context)
    return context.new_page()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    opened = new_page(browser)
    yield opened
    opened.context.close()


def open_article(page: Page, url: str) -> None:
    page.goto(f"{url}/?article={ARTICLE}")
    page.wait_for_selector(SCRIPT_FINISHED, timeout=120_000)
    page.wait_for_selector(".article", timeout=60_000)
    page.wait_for_selector(ARTICLE_LISTENING, timeout=60_000)


def signed_in(page: Page, url: str, account: Account) -> Page:
    """Sign in as ``account``: the app comes back on its first page, the only article."""
    sign_in(page, url, account)
    page.wait_for_selector(".article", timeout=60_000)
    page.wait_for_selector(ARTICLE_LISTENING, timeout=60_000)
    expect(page.locator(".st-key-account")).to_contain_text(account.name)
    return page


def relabel(page: Page, word: str, label: str) -> None:
    """Click ``word`` in the text, type a label of one's own and save it, as an annotator does."""
    page.locator(".article mark.ent", has_text=word).first.click()
    wait_for_rerun(page)
    box = page.locator(".st-key-label_choice").get_by_role("combobox")
    box.click()
    box.fill(label)
    page.get_by_role("option", name=label).first.click()
    page.locator(".st-key-save_label button").click()
    wait_for_rerun(page)


def written(root: Path) -> dict[str, bytes]:
    """Return every file the app keeps (lock files aside: taking a lock writes nothing)."""
    folder = root / "annotations"
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.endswith(".lock") and ".model-cache" not in path.parts
    }


def no_exception(page: Page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_stranger_sees_only_the_sign_in_button(page: Page, server: str) -> None:
    for path in (f"?article={ARTICLE}", "desk", "scorecard"):
        page.goto(f"{server}/{path}")
        page.wait_for_selector(SCRIPT_FINISHED, timeout=120_000)
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        assert page.locator(".article").count() == 0
        assert page.get_by_text("Merkel").count() == 0
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    page.screenshot(path=str(SCREENSHOTS / "sign-in.png"))


def test_a_reader_reads_filters_and_downloads_with_no_correction_tools(
    page: Page, server: str, root: Path
) -> None:
    before = written(root)
    signed_in(page, server, RITA)
    expect(page.locator(".st-key-account")).to_contain_text("reader")
    expect(page.locator(".article")).to_contain_text("We agree on almost everything")
    assert page.get_by_role("tab").all_inner_texts() == ["Overview", "All spans", "History"]
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_role("button", name="Set your name…").count() == 0  # the identity is known
    assert page.get_by_role("button", name="Undo last correction").count() == 0
    expect(sidebar.get_by_role("switch", name="Reviewed")).to_be_disabled()
    page.screenshot(path=str(SCREENSHOTS / "reader-view.png"), full_page=True)
    dialog = open_dialog(page, "Open an article…")
    expect(dialog.get_by_text("Editors add articles.")).to_be_visible()
    assert dialog.get_by_role("tab").all_inner_texts() == ["From the folder"]
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    # Filter: hide people; their marks leave the text.
    people = page.locator('.article mark.ent[data-label="PERSON"]')
    assert people.count() >= 2
    page.locator(".st-key-label_filter").get_by_role("button", name=re.compile(r"^PERSON|^Person")).click()
    page.wait_for_timeout(300)
    page.wait_for_selector(SCRIPT_FINISHED, timeout=60_000)
    expect(people).to_have_count(0)

    # Download: the model's annotations, as the CSV schema says.
    saved = root / "reader-download.csv"
    download(page).save_as(saved)
    assert saved.read_text(encoding="utf-8-sig").startswith('"article_id","span_id"')

    # The table is there to read, not to edit.
    side_tab(page, "All spans")
    expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible()
    no_exception(page)
    assert written(root) == before


class HandMadeMessages:
    """Sits between the page and the server, as a client written by hand would.

    It learns each widget's id from what the server sends, and adds the values it is given to the
    page's next rerun request: values the page itself would never send (a disabled or absent tool).
    """

    def __init__(self, page: Page) -> None:
        self.widget_ids: dict[str, str] = {}  # widget key -> id
        self.pending: list[WidgetState] = []
        self.sent: list[str] = []
        page.route_web_socket(re.compile(r".*/_stcore/stream$"), self._route)

    def _route(self, socket: WebSocketRoute) -> None:
        server = socket.connect_to_server()
        socket.on_message(lambda message: server.send(self._outgoing(message)))
        server.on_message(lambda message: socket.send(self._incoming(message)))

    def _incoming(self, message: str | bytes) -> str | bytes:
        if isinstance(message, bytes):
            forward = ForwardMsg.FromString(message)
            if forward.HasField("delta") and forward.delta.HasField("new_element"):
                element = forward.delta.new_element
                widget = getattr(element, element.WhichOneof("type") or "", None)
                widget_id = getattr(widget, "id", "")
                if widget_id.startswith("$$ID-"):
                    self.widget_ids[widget_id.split("-", 2)[2]] = widget_id
        return message

    def _outgoing(self, message: str | bytes) -> str | bytes:
        if not isinstance(message, bytes) or not self.pending:
            return message
        back = BackMsg.FromString(message)
        if not back.HasField("rerun_script"):
            return message
        states = back.rerun_script.widget_states.widgets
        for crafted in self.pending:
            kept = [state for state in states if state.id != crafted.id]
            del states[:]
            states.extend([*kept, crafted])
            self.sent.append(crafted.id)
        self.pending.clear()
        return back.SerializeToString()

    def send_with_next_rerun(self, key: str, **value: object) -> None:
        """Send ``value`` (e.g. ``bool_value=True``) as the widget ``key``'s with the next rerun."""
        assert key in self.widget_ids, f"the server drew no widget {key!r}: {sorted(self.widget_ids)}"
        self.pending.append(WidgetState(id=self.widget_ids[key], **value))


def test_a_readers_hand_made_save_and_review_mark_write_nothing(
    browser: Browser, server: str, root: Path
) -> None:
    page = new_page(browser)
    crafted = HandMadeMessages(page)
    before = written(root)
    signed_in(page, server, RITA)
    side_tab(page, "All spans")
    table_key = next(key for key in crafted.widget_ids if key.startswith(state.TABLE_EDITOR))
    edit = {"edited_rows": {"0": {"label": "ORG"}}, "added_rows": [], "deleted_rows": []}
    crafted.send_with_next_rerun(table_key, string_value=json.dumps(edit))
    crafted.send_with_next_rerun(state.REVIEWED_TOGGLE, bool_value=True)
    side_tab(page, "History")  # any rerun carries them
    assert len(crafted.sent) == 2
    page.reload()
    page.wait_for_selector(SCRIPT_FINISHED, timeout=60_000)
    no_exception(page)
    assert written(root) == before
    assert ARTICLE not in reviewed_ids(root / "annotations")
    expect(page.locator(".article")).to_contain_text("Merkel")
    page.context.close()


def test_a_role_taken_away_is_refused_at_the_next_save(
    page: Page, server: str, root: Path, roles_file: Path
) -> None:
    signed_in(page, server, ANA)
    before = written(root)
    page.locator(".article mark.ent", has_text="China").first.click()
    wait_for_rerun(page)
    expect(page.locator(".st-key-save_label button")).to_be_enabled()
    roles_file.write_text(ROLES_TOML + '"ana@newsroom.test" = "reader"\n', encoding="utf-8")
    try:
        box = page.locator(".st-key-label_choice").get_by_role("combobox")
        box.click()
        box.fill("COUNTRY")
        page.get_by_role("option", name="COUNTRY").first.click()
        wait_for_rerun(page)  # the choice reruns the script and draws the Save button again
        page.locator(".st-key-save_label button").click()  # drawn for an annotator, pressed by a reader
        wait_for_rerun(page)
        expect(page.get_by_text("Only an annotator or an editor may correct spans")).to_be_visible()
        expect(page.get_by_text("Ana Duarte <ana@newsroom.test> is a reader", exact=False)).to_be_visible()
    finally:
        roles_file.write_text(ROLES_TOML, encoding="utf-8")
    assert written(root) == before
    no_exception(page)


def test_two_annotators_corrections_are_logged_under_their_names(browser: Browser, server: str) -> None:
    ana, omar = new_page(browser), new_page(browser)
    signed_in(ana, server, ANA)
    assert ana.get_by_label("Your name (for the edit log)").count() == 0
    expect(ana.locator('[data-testid="stSidebar"]').get_by_role("switch", name="Reviewed")).to_be_enabled()
    assert ana.locator('[data-testid="stFileUploader"]').count() == 0  # annotators add no articles
    relabel(ana, "Paris", "CITY")
    expect(ana.get_by_text("Saved", exact=False).first).to_be_visible()
    expect(ana.locator(".st-key-undo button")).to_be_enabled()  # her own change

    signed_in(omar, server, OMAR)
    relabel(omar, "Monday", "WEEKDAY")
    expect(omar.get_by_text("Saved", exact=False).first).to_be_visible()

    open_article(ana, server)
    expect(ana.locator(".st-key-undo button")).to_be_disabled()  # the last change is Omar's
    side_tab(ana, "History")
    log = ana.locator(".st-key-history_list")  # the change list, newest first
    expect(log).to_contain_text("Monday: Date → WEEKDAY · Omar Haddad <omar@newsroom.test>")
    expect(log).to_contain_text(
        "Paris: Place (GPE) → CITY; country France → none · Ana Duarte <ana@newsroom.test>"
    )
    assert log.locator("a").count() == 0  # an e-mail address shows as written, not as a mailto: link
    ana.wait_for_timeout(500)
    log.screenshot(path=str(SCREENSHOTS / "edit-log-two-annotators.png"))
    ana.screenshot(path=str(SCREENSHOTS / "edit-log-page.png"), full_page=True)
    with ana.expect_download() as download_info:
        ana.get_by_role("button", name="Download edit log").click()
    exported = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "Ana Duarte <ana@newsroom.test>" in exported and "Omar Haddad <omar@newsroom.test>" in exported
    for opened in (ana, omar):
        no_exception(opened)
        opened.context.close()


def colleagues_change(root: Path, account: Account, word: str, label: str) -> None:
    """Save a correction as ``account`` through the store, as their own session would."""
    store = AnnotationStore(
        root / "annotations", user=User(Role.ANNOTATOR, account.name, account.email, True)
    )
    start = TEXT.index(word)
    span = row(TEXT, f"e-{start}-{start + len(word)}", start, start + len(word), label, article_id=ARTICLE)
    store.save(ARTICLE, TEXT, rows(span), store.load(ARTICLE, TEXT).version)


def test_an_editor_adds_an_article_and_undoes_anyones_change(page: Page, server: str, root: Path) -> None:
    colleagues_change(root, OMAR, "Brussels", "SEAT")
    signed_in(page, server, EDITH)
    expect(page.locator(".st-key-account")).to_contain_text("editor")
    expect(page.get_by_text("Bring corrections back in")).to_be_visible()  # imports are an editor's
    dialog = open_dialog(page, "Open an article…", "Upload a .txt file")
    dialog.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": "nairobi-talks.txt", "mimeType": "text/plain", "buffer": UPLOADED.encode()}]
    )
    page.wait_for_url("**article=nairobi-talks**", timeout=60_000)
    page.wait_for_selector(SCRIPT_FINISHED, timeout=120_000)
    expect(page.locator(".article")).to_contain_text("Addis Ababa")
    assert (root / "annotations" / "uploads" / "nairobi-talks.txt").read_text(encoding="utf-8") == UPLOADED

    open_article(page, server)
    log_before = (root / "annotations" / f"{ARTICLE}.log.jsonl").read_text(encoding="utf-8").splitlines()
    undo = page.locator(".st-key-undo button")
    expect(undo).to_be_enabled()  # whoever made the last change
    undo.click()
    wait_for_rerun(page)
    expect(page.get_by_text("Undone", exact=False)).to_be_visible()
    last = json.loads(
        (root / "annotations" / f"{ARTICLE}.log.jsonl").read_text(encoding="utf-8").splitlines()[-1]
    )
    omars = json.loads(log_before[-1])
    assert omars["annotator"] == "Omar Haddad <omar@newsroom.test>"
    assert (last["action"], last["annotator"], last["undoes"]) == (
        "undo",
        "Edith Stone <edith@newsroom.test>",
        omars["change_id"],
    )
    no_exception(page)


def test_signing_out_asks_for_sign_in_again(page: Page, server: str) -> None:
    signed_in(page, server, OMAR)
    page.locator(".st-key-account").get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Yes, sign me out").click()  # the provider ends its own session too
    page.wait_for_url(f"{server}/**", timeout=60_000)
    page.wait_for_selector(SCRIPT_FINISHED, timeout=120_000)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert page.locator(".article").count() == 0
