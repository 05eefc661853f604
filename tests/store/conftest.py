"""Store tests: builds, the query cache, year files and the write service, on the private copy of
the built template (`fresh_data`, tests/conftest.py) whenever they write."""
