"""Sign-in with Streamlit's own ``st.login`` (OpenID Connect), and the person using this session.

Sign-in is on when ``secrets.toml`` has an ``[auth]`` section (README, "Serving a team"); then the
page shows nothing but the sign-in screen until the provider says who this is, and their role
comes from the roles file. Without it the app has one local user who may do everything, as before.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

from components.access.roles import (
    LOCAL_USER,
    Role,
    RoleMap,
    RolesFileError,
    User,
    read_roles,
    role_summary,
    signed_in_user,
)
from components.config import load_settings
from components.ui import state
from components.ui.markdown import plain


def sign_in_configured() -> bool:
    """Return whether the server's secrets configure sign-in (an ``[auth]`` section)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all: the single-user app
        return False


def _sign_in() -> None:
    try:
        st.login()
    except StreamlitAPIException as error:  # secrets.toml's [auth] lacks a setting, or Authlib is missing
        st.session_state[state.SIGN_IN_PROBLEM] = " ".join(str(error).split())


def require_sign_in() -> None:
    """Return when the page may be drawn; otherwise draw the sign-in screen and stop the run."""
    if not sign_in_configured() or st.user.is_logged_in:
        return
    st.title("Article annotations")
    st.write(
        "This desk is shared by a team: sign in to read the articles. Corrections you make are "
        "recorded under your name and e-mail address."
    )
    st.button("Sign in", key=state.SIGN_IN, on_click=_sign_in, type="primary", icon=":material/login:")
    problem = st.session_state.pop(state.SIGN_IN_PROBLEM, None)
    if problem:
        st.error(f"Sign-in is not set up correctly on this server: {plain(problem)}")
    st.stop()


def served_locally(address: str) -> bool:
    """Return whether a server address (``server.address``) lets only this machine in."""
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:  # "" (every interface), a host name or an outside address
        return False


def warn_if_open_to_all() -> None:
    """Draw a warning at the top of every page when the app is served to the network without sign-in."""
    if sign_in_configured() or served_locally(str(st.get_option("server.address") or "")):
        return
    st.warning(
        "This app is served to the network without sign-in: anyone who can reach it can correct, "
        "undo, upload and mark articles reviewed. Serve it on 127.0.0.1, or set up sign-in and roles "
        "(README, “Serving a team”).",
        icon=":material/public:",
    )


def session_user(roles_file: Path) -> tuple[User, str | None]:
    """Return this session's user, and what is wrong with the roles file (None when nothing is).

    A roles file that cannot be used makes everyone a reader until it is fixed: refusing writes
    is the safe way to be wrong.
    """
    if not sign_in_configured():
        return LOCAL_USER, None
    if not st.user.is_logged_in:  # no page is drawn then; a stray callback may write nothing
        return User(Role.READER), None
    try:
        roles, problem = read_roles(roles_file), None
    except RolesFileError as error:
        roles, problem = RoleMap(), str(error)
    return signed_in_user(st.user.to_dict(), roles), problem


def current_user() -> User:
    """Return who is using this session right now (the local user without sign-in); a ``Writer``."""
    return session_user(load_settings().roles_file)[0]


def draw_account() -> None:
    """Draw, in the sidebar, who is signed in with their role and the sign-out button (nothing locally)."""
    user, roles_problem = session_user(load_settings().roles_file)
    if not user.signed_in:
        return
    with st.sidebar.container(key="account"):
        st.markdown(f"**{plain(user.name or user.email)}** · {user.role}", help=role_summary(user.role))
        if user.name and user.email:
            st.caption(plain(user.email))
        if roles_problem:
            st.error(plain(roles_problem))
        st.button("Sign out", key=state.SIGN_OUT, on_click=st.logout, icon=":material/logout:")
