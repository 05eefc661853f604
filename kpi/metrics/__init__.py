"""KPI marts: parameterised DuckDB queries over the core views, one module per indicator family."""
