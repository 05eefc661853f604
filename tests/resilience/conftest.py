"""Resilience tests (faults, kills, memory caps, concurrent writers) each start their own processes
on a private copy of the built template (`fresh_data`, tests/conftest.py). The ones bound by a 1 GiB
cap on 100–200 MB files are marked `serial`: scripts/test.sh runs them alone, after the parallel run;
the rest here is `slow` (the full suite runs it, the quick loop does not)."""
