"""Running the dashboard as a service: health, backup and restore, the local load-balanced server.

Kept out of kpi/'s top level: none of it computes a figure; it watches, copies and starts things.
"""
