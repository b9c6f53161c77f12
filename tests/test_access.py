"""Roles: the roles file is read strictly, and each role may do exactly what the README says."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from components.access.roles import (
    LOCAL_USER,
    PERMISSIONS,
    AccessDenied,
    Action,
    Role,
    RoleMap,
    RolesFileError,
    User,
    parse_roles,
    read_roles,
    refusal,
    require,
    role_summary,
    signed_in_user,
)
from components.config import PROJECT_ROOT, load_settings
from components.ui.signin import served_locally

NEWSROOM = """
default = "reader"

[roles]
"@newsroom.test" = "annotator"
"Edith@Newsroom.test" = "editor"
"intern@newsroom.test" = "reader"
"""


@pytest.fixture(scope="module")
def roles() -> RoleMap:
    return parse_roles(NEWSROOM)


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("ana@newsroom.test", Role.ANNOTATOR),  # by domain
        ("ANA@NEWSROOM.TEST", Role.ANNOTATOR),  # case does not matter
        ("edith@newsroom.test", Role.EDITOR),  # an address wins over its domain …
        ("intern@newsroom.test", Role.READER),  # … in both directions
        ("rita@freelance.test", Role.READER),  # unknown: the default
        ("ana@sub.newsroom.test", Role.READER),  # a domain is not its subdomains
        ("ana@newsroom.test.evil.example", Role.READER),
        ("newsroom.test", Role.READER),  # not an address at all
        ("", Role.READER),
    ],
)
def test_an_address_gets_its_own_role_then_its_domains_then_the_default(
    roles: RoleMap, email: str, role: Role
) -> None:
    assert roles.role_of(email) is role


def test_an_unverified_address_matches_nothing(roles: RoleMap) -> None:
    assert roles.role_of("edith@newsroom.test", verified=False) is Role.READER
    claims = {"name": "Edith Stone", "email": "edith@newsroom.test", "email_verified": False}
    pretender = signed_in_user(claims, roles)
    assert pretender.role is Role.READER
    assert pretender.label == "Edith Stone (unverified address edith@newsroom.test)"
    assert not pretender.is_author("edith@newsroom.test")  # owns none of Edith's changes
    assert signed_in_user({**claims, "email_verified": "false"}, roles).role is Role.READER
    assert signed_in_user({**claims, "email_verified": True}, roles).role is Role.EDITOR
    # With a generous default, an unverified address still owns nobody's changes.
    generous = parse_roles('default = "annotator"')
    assert signed_in_user(claims, generous).role is Role.ANNOTATOR
    assert not signed_in_user(claims, generous).is_author("edith@newsroom.test")


def test_the_file_may_give_unknown_people_another_default() -> None:
    assert parse_roles('default = "annotator"').role_of("anyone@anywhere.test") is Role.ANNOTATOR
    assert parse_roles("").role_of("anyone@anywhere.test") is Role.READER


def test_no_roles_file_means_everyone_signed_in_is_a_reader(tmp_path: Path) -> None:
    assert read_roles(tmp_path / "absent.toml").role_of("edith@newsroom.test") is Role.READER


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('default = "admin"', "'admin' is not a role"),
        ('[roles]\n"ana@newsroom.test" = "editer"', "'editer' is not a role"),
        ('[roles]\n"newsroom.test" = "annotator"', "neither an e-mail address"),
        ('[roles]\n"ana@@newsroom.test" = "annotator"', "neither an e-mail address"),
        ('[roles]\n"ana@localhost" = "annotator"', "neither an e-mail address"),
        ('[roles]\n"ana@newsroom.test" = 3', "3 is not a role"),
        ('[roles]\n"Ana@newsroom.test" = "editor"\n"ana@newsroom.test" = "reader"', "two roles"),
        ('roles = "editor"', "'roles' must be a table"),
        ('editors = ["ana@newsroom.test"]', "unknown setting 'editors'"),
        ("[roles\n", "not valid TOML"),
    ],
)
def test_a_malformed_roles_file_is_refused_with_every_problem(text: str, problem: str) -> None:
    with pytest.raises(RolesFileError) as raised:
        parse_roles(text, "/srv/roles.toml")
    assert problem in str(raised.value)
    assert "/srv/roles.toml" in str(raised.value)
    assert "everyone is a reader" in str(raised.value)


def test_an_unreadable_roles_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roles.toml"
    path.write_bytes(b'default = "\xff"')
    with pytest.raises(RolesFileError, match="cannot be read"):
        read_roles(path)


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(RolesFileError) as raised:
        parse_roles('default = "boss"\n[roles]\n"x" = "reader"\n"a@b.test" = "god"')
    assert len(raised.value.problems) == 3


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.READER, set()),
        (Role.ANNOTATOR, {Action.CORRECT, Action.UNDO_OWN, Action.REVIEW}),
        (Role.EDITOR, set(Action)),
    ],
)
def test_each_role_may_do_what_the_issue_says(role: Role, allowed: set[Action]) -> None:
    user = User(role, "Someone", "someone@newsroom.test", signed_in=True)
    assert {action for action in Action if user.may(action)} == allowed


def test_roles_only_add_rights_from_reader_to_editor() -> None:
    assert PERMISSIONS[Role.READER] <= PERMISSIONS[Role.ANNOTATOR] <= PERMISSIONS[Role.EDITOR]


def test_a_refusal_says_who_what_and_which_role_it_needs() -> None:
    reader = User(Role.READER, "Rita Reyes", "rita@freelance.test", signed_in=True)
    message = refusal(reader, Action.CORRECT)
    assert message == (
        "Only an annotator or an editor may correct spans; Rita Reyes <rita@freelance.test> is a reader. "
        "Nothing was changed. Roles are set in the server's roles file."
    )
    with pytest.raises(AccessDenied, match="Only an editor may upload or paste articles"):
        require(User(Role.ANNOTATOR, "Ana", "ana@newsroom.test", True), Action.ADD_ARTICLE)
    assert refusal(reader, Action.CORRECT) and refusal(LOCAL_USER, Action.DELETE_ARTICLE) is None


def test_the_single_local_user_may_do_everything_as_before() -> None:
    assert all(LOCAL_USER.may(action) for action in Action)
    assert not LOCAL_USER.signed_in and LOCAL_USER.label == ""


def test_the_edit_log_names_a_signed_in_user_by_name_and_address(roles: RoleMap) -> None:
    ana = signed_in_user({"name": "Ana Duarte", "email": "ana@newsroom.test", "sub": "1"}, roles)
    assert ana.label == "Ana Duarte <ana@newsroom.test>" and ana.signed_in
    assert signed_in_user({"email": "ana@newsroom.test"}, roles).label == "ana@newsroom.test"
    assert signed_in_user({"preferred_username": "ana"}, roles).label == "ana"
    assert signed_in_user({"sub": "248289761001"}, roles).label == "248289761001"


def test_own_changes_are_told_by_address_and_never_for_the_local_user(roles: RoleMap) -> None:
    ana = signed_in_user({"name": "Ana", "email": "ana@newsroom.test"}, roles)
    assert ana.is_author("Ana@Newsroom.test")
    assert not ana.is_author("omar@newsroom.test")
    assert not ana.is_author("")
    assert not LOCAL_USER.is_author("")


def test_the_default_roles_file_sits_beside_the_streamlit_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROLES_FILE", raising=False)
    assert load_settings().roles_file == PROJECT_ROOT / ".streamlit" / "roles.toml"
    monkeypatch.setenv("ROLES_FILE", "/srv/newsroom/roles.toml")
    assert load_settings().roles_file == Path("/srv/newsroom/roles.toml")


@pytest.mark.parametrize(
    ("address", "local"),
    [
        ("127.0.0.1", True),
        ("127.0.1.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("", False),  # Streamlit's default: every interface
        ("0.0.0.0", False),
        ("::", False),
        ("192.0.2.10", False),
        ("newsroom-desk.example", False),
    ],
)
def test_only_a_loopback_address_counts_as_serving_locally(address: str, local: bool) -> None:
    assert served_locally(address) is local


def test_the_project_serves_locally_by_default() -> None:
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert served_locally(config["server"]["address"])
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "ADDRESS ?= 127.0.0.1" in makefile and "--server.address $(ADDRESS)" in makefile


def test_each_role_is_summed_up_from_its_permissions() -> None:
    assert role_summary(Role.READER) == "Reads, filters and downloads."
    assert role_summary(Role.ANNOTATOR) == (
        "Reads, filters and downloads; may also correct spans, undo their own changes and mark articles reviewed."
    )
    assert role_summary(Role.EDITOR).endswith("delete and restore articles and undo anyone's change.")


def readme_roles_table() -> dict[str, set[Role]]:
    """Return the README's roles table (Serving a team) as what → the roles it ticks."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Serving a team") :].split("\n## ", 1)[0]
    lines = [line.strip() for line in section.splitlines() if line.strip().startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header == ["may …", "reader", "annotator", "editor"]
    table = {}
    for line in lines[1:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        table[cells[0]] = {
            Role(role) for role, cell in zip(header[1:], cells[1:], strict=True) if cell == "✓"
        }
    return table


def test_the_readme_states_the_roles_table_the_code_enforces() -> None:
    expected = {"read, filter and download": set(Role)} | {
        action.value: {role for role in Role if action in PERMISSIONS[role]} for action in Action
    }
    assert readme_roles_table() == expected
