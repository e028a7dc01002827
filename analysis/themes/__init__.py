"""Reads of the theme structure and the dyad-aware views built on it: the matrix,
waves, the dual-perspective view, guide coverage, methods tables and charts."""
