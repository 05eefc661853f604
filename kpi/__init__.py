"""KPI engine of the open-data dashboard: parsing, store, formulas, exports (no streamlit here)."""

__all__ = ["__version__"]
__version__ = "0.1.0"
