"""Pure specs of what is drawn: the article's escaped HTML, Altair chart specs, label colours.

Read the annotation table; may import ``components.annotations``, ``components.nlp`` and
``components.config``; never the corpus or Streamlit.
"""
