"""Who may do what: the roles file, the person at the keyboard and what each role may change.

Pure and small. The store (``annotations``) and the article library (``corpus``) ask it before each
write and refuse with its message; the page (``ui``) asks it which tools to draw. May import
``components.config`` only; never the other packages or Streamlit.
"""
