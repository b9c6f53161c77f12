"""The Streamlit pieces of the page: pages, sidebar, reading view, editors, panels.

The only package (with ``app.py``) that imports Streamlit; may import every other package.
"""
