"""Network tests: each module serves its own request handler on a free local port
(tests/helpers/http.py `serving`); private addresses are allowed per test (KPI_LINKCHECK_PRIVATE)."""
