"""Export tests (Excel, PDF) read the shared built store (`gw`, tests/conftest.py) and write only to
tmp_path; no fixture of their own."""
