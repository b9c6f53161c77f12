"""The data side: the table schema, ``Doc`` → table, corrections, the store, the CSV codec, exports.

The table is the contract between the language side and everything else. May import
``components.nlp`` and ``components.config``; never the corpus, the views or Streamlit.
"""
