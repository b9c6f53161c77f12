"""The Streamlit pieces of the page. Only this package (and ``app.py``) imports Streamlit."""
