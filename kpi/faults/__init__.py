"""Faults from outside the program (OS errors, damaged state files, interrupted writes): how they
are worded for the office and how writes stay whole when they happen."""
