"""Analysis pages, one module per page area."""
