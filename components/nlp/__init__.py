"""The language side, usable without the app: pipeline loading and our registered spaCy components.

Holds the ``article_quotes`` and ``article_countries`` factories with their ``Doc``/``Span``
extensions, the speaker logic and the country tables. May import spaCy and ``components.config``;
never the annotation table, the corpus, the views or Streamlit.
"""
