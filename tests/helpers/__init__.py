"""Helpers shared by the test folders (plain functions and constants, no fixtures: those live in
each folder's conftest.py). A test module imports from here, never from another test module."""
