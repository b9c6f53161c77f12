"""Roles: readers read, annotators correct, editors also change the articles, from a small TOML file.

The roles file (``ROLES_FILE``, by default ``.streamlit/roles.toml``, beside ``secrets.toml``)::

    default = "reader"                      # anyone signed in who is not listed (optional)

    [roles]
    "@newsroom.example" = "annotator"       # every address at that domain
    "edith@newsroom.example" = "editor"     # one person: an address wins over its domain

Addresses and domains match without regard to case; a domain matches its own addresses, not its
subdomains'. An address the identity provider says is unverified (``email_verified = false``)
matches nothing, so an account cannot claim a colleague's address to get their role.

Without sign-in the app has one user, on their own machine, who may do everything (``LOCAL_USER``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Final


class Role(StrEnum):
    READER = "reader"
    ANNOTATOR = "annotator"
    EDITOR = "editor"


class Action(StrEnum):
    """A change to the data; the value is how the README's roles table and the refusals name it."""

    CORRECT = "correct spans"
    UNDO_OWN = "undo their own changes"
    REVIEW = "mark articles reviewed"
    ADD_ARTICLE = "upload or paste articles"
    IMPORT = "import annotations"
    RENAME_ARTICLE = "rename articles"
    DELETE_ARTICLE = "delete and restore articles"
    UNDO_ANY = "undo anyone's change"


# Reading, filtering and downloading need no permission: every role (and every page) has them.
_ANNOTATING: Final = frozenset({Action.CORRECT, Action.UNDO_OWN, Action.REVIEW})
PERMISSIONS: Final[Mapping[Role, frozenset[Action]]] = {
    Role.READER: frozenset(),
    Role.ANNOTATOR: _ANNOTATING,
    Role.EDITOR: frozenset(Action),
}


def role_summary(role: Role) -> str:
    """Return what ``role`` may do, in a sentence for the page: "Reads, filters and downloads; may …"."""
    allowed = [action.value for action in Action if action in PERMISSIONS[role]]
    if not allowed:
        return "Reads, filters and downloads."
    listed = ", ".join(allowed[:-1]) + (" and " if len(allowed) > 1 else "") + allowed[-1]
    return f"Reads, filters and downloads; may also {listed}."


def roles_allowed(action: Action) -> list[Role]:
    """Return the roles that may do ``action``, from reader up."""
    return [role for role in Role if action in PERMISSIONS[role]]


def _with_article(role: Role) -> str:
    return f"{'an' if role[0] in 'aeiou' else 'a'} {role}"


class AccessDenied(Exception):
    """Someone tried a change their role does not allow; the message says who, what and how to get it."""


@dataclass(frozen=True)
class User:
    """The person using this session: a signed-in identity with a role, or the single local user."""

    role: Role
    name: str = ""
    email: str = ""
    signed_in: bool = False

    def may(self, action: Action) -> bool:
        """Return whether this user's role allows ``action``."""
        return action in PERMISSIONS[self.role]

    @property
    def label(self) -> str:
        """Return the user as the edit log names them: ``Name <e-mail>``, or whichever is known."""
        if self.name and self.email:
            return f"{self.name} <{self.email}>"
        return self.name or self.email

    def is_author(self, email: str) -> bool:
        """Return whether a change recorded under ``email`` is this signed-in user's own."""
        return bool(self.signed_in and self.email and email) and self.email.casefold() == email.casefold()


# No sign-in configured: one person on their own machine, who may do everything, as before roles.
LOCAL_USER: Final = User(Role.EDITOR)

# Who writes: a user, or a function saying who it is at the moment of each write. The page passes
# a function, so sign-in and the roles file are asked again when a button is pressed, and a role
# taken away applies at once, even to a button drawn before.
Writer = User | Callable[[], User]


def user_now(writer: Writer) -> User:
    """Return the user ``writer`` stands for at this moment."""
    return writer() if callable(writer) else writer


def refusal(user: User, action: Action) -> str | None:
    """Return why ``user`` may not do ``action`` (a sentence for the page), None when they may."""
    if user.may(action):
        return None
    allowed = " or ".join(_with_article(role) for role in roles_allowed(action))
    return (
        f"Only {allowed} may {action}; {user.label or 'this account'} is {_with_article(user.role)}. "
        "Nothing was changed. Roles are set in the server's roles file."
    )


def require(user: User, action: Action, refused: type[AccessDenied] = AccessDenied) -> None:
    """Return nothing when ``user`` may do ``action``; raise ``refused`` (an AccessDenied) saying why not.

    Each writer passes its own error class, so its callers' usual ``except`` shows the refusal.
    """
    reason = refusal(user, action)
    if reason is not None:
        raise refused(reason)


# --- the roles file --------------------------------------------------------------------------------


class RolesFileError(ValueError):
    """The roles file cannot be used; the message names the file and every problem."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = list(problems)
        listing = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"The roles file {self.path} cannot be used, so everyone is a reader:\n{listing}")


@dataclass(frozen=True)
class RoleMap:
    """Roles by e-mail address and by ``@domain``, and the role of everyone else."""

    default: Role = Role.READER
    by_address: Mapping[str, Role] = field(default_factory=dict)
    by_domain: Mapping[str, Role] = field(default_factory=dict)

    def role_of(self, email: str, *, verified: bool = True) -> Role:
        """Return the role of the person with this e-mail address (the default if none matches)."""
        address = email.strip().casefold()
        if not verified or address.count("@") != 1:
            return self.default
        domain = address[address.index("@") :]
        return self.by_address.get(address) or self.by_domain.get(domain) or self.default


def _role_problem(where: str, value: Any) -> str | None:
    if isinstance(value, str) and value in Role.__members__.values():
        return None
    return f"{where}: {value!r} is not a role; the roles are {', '.join(Role)}"


def _key_problem(key: str) -> str | None:
    _, at, domain = key.partition("@")
    if not at or "@" in domain or not domain or "." not in domain or any(c.isspace() for c in key):
        return f"{key!r} is neither an e-mail address (ana@newsroom.example) nor a domain (@newsroom.example)"
    return None


def parse_roles(text: str, path: Path | str = "roles.toml") -> RoleMap:
    """Return the roles a roles file's text sets; :class:`RolesFileError` listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RolesFileError(path, [f"it is not valid TOML: {error}"]) from None
    problems = [
        f"unknown setting {key!r} (only 'default' and [roles])"
        for key in data
        if key not in {"default", "roles"}
    ]
    default = data.get("default", Role.READER.value)
    problems += filter(None, [_role_problem("default", default)])
    table = data.get("roles", {})
    if not isinstance(table, dict):
        problems.append('\'roles\' must be a table: [roles] followed by lines "address" = "role"')
        table = {}
    by_address: dict[str, Role] = {}
    by_domain: dict[str, Role] = {}
    for key, value in table.items():
        problem = _key_problem(key) or _role_problem(f"[roles] {key!r}", value)
        if problem:
            problems.append(problem)
            continue
        target = by_domain if key.startswith("@") else by_address
        name = key.casefold()
        if name in target and target[name] != value:
            problems.append(f"{key!r} is given two roles ({target[name]} and {value})")
        target[name] = Role(value)
    if problems:
        raise RolesFileError(path, problems)
    return RoleMap(Role(default), by_address, by_domain)


def read_roles(path: Path) -> RoleMap:
    """Return the roles in ``path``; no file means everyone signed in is a reader. RolesFileError if unusable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return RoleMap()
    except (OSError, UnicodeDecodeError) as error:
        raise RolesFileError(path, [f"it cannot be read: {error}"]) from None
    return parse_roles(text, path)


def signed_in_user(claims: Mapping[str, Any], roles: RoleMap) -> User:
    """Return the user an identity provider's claims describe (OpenID Connect ``name``, ``email``…), with their role.

    ``email_verified`` absent counts as verified: many providers only send addresses they checked.
    An unverified address is no identity: it gets no role, owns no change, and the log shows it
    as unverified, so nobody can pass for a colleague by typing their address at the provider.
    """
    email = str(claims.get("email") or "").strip()
    name = str(claims.get("name") or claims.get("preferred_username") or "").strip()
    if not name and not email:
        name = str(claims.get("sub") or "")
    if email and claims.get("email_verified", True) in (False, "false", "False"):
        return User(roles.default, f"{name or 'someone'} (unverified address {email})", "", signed_in=True)
    return User(roles.role_of(email), name, email, signed_in=True)
