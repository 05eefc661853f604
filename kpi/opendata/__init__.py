"""The yearly statistics as an open dataset (issue 25): tables, files and the data package."""
