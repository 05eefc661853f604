"""Codebase tests read the source tree only (layering, module sizes); no data, no fixture."""
