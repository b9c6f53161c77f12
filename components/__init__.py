"""The article reading-and-annotation dashboard, as packages with one direction of dependency.

text → spaCy ``Doc`` (``nlp``) → the annotation table (``annotations``) → many articles (``corpus``),
what is drawn (``views``) and the Streamlit page (``ui``). ``config`` is read by all of them;
``access`` (who may change what) by the store, the article library and the page.
``tests/test_layout.py`` keeps each package to the imports its docstring allows.
"""
