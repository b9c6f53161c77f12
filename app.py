"""The article reading-and-annotation dashboard: page layout and wiring only.

Run with ``make run`` or ``streamlit run app.py``.
"""

from __future__ import annotations

import streamlit as st

from components.config import PROJECT_ROOT
from components.ui import signin, state

PAGES = PROJECT_ROOT / "components" / "ui" / "pages"
STYLES = PROJECT_ROOT / "assets" / "styles"

st.set_page_config(page_title="Article annotations", page_icon="📰", layout="wide")
state.init_state()
st.html(STYLES / "page.css")
# The article, legend and chart-pick styles, in the page before any text arrives.
st.html(STYLES / "reading.css")
signin.require_sign_in()  # with sign-in configured, nothing below is drawn for a stranger
signin.warn_if_open_to_all()
navigation = st.navigation(
    [
        st.Page(PAGES / "read.py", title="Read & correct", icon=":material/article:", default=True),
        st.Page(PAGES / "desk.py", title="Desk", icon=":material/inventory_2:", url_path="desk"),
        st.Page(
            PAGES / "scorecard.py", title="Scorecard", icon=":material/fact_check:", url_path="scorecard"
        ),
    ]
)
signin.draw_account()
navigation.run()
