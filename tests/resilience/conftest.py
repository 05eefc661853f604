"""Resilience tests (faults, kills, memory caps, concurrent writers) each start their own processes
on a private copy (`fresh_data`); the memory-capped ones run in one xdist group so two 1 GiB
children never run side by side (see pyproject.toml's xdist_group use)."""
