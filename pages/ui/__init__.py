"""Streamlit glue shared by the page scripts (kept out of pages/*.py so it is never a page)."""
