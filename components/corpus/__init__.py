"""Many articles: the article library, the desk listing and review states, the scorecard, learning.

May import ``components.nlp``, ``components.annotations``, ``components.views`` and
``components.config``; never Streamlit.
"""
