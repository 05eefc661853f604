"""Importing portal exports: read any encoding or XLSX, validate, preview, archive, rebuild."""
