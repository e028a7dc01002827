"""Writes to the analysis, one module per area; each write is one audited transaction."""
