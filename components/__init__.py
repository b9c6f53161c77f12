"""The parts of the article reading-and-annotation dashboard: pure logic, and ``ui/`` for Streamlit."""
