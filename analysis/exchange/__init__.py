"""Exchange with other tools: REFI-QDA (.qdpx, .qdc) both ways, codebook spreadsheets in,
coded segments (CSV, XLSX) and excerpt reports (DOCX) out. The writes of an import are
services (analysis.exchange.services.transfers); the study backup is analysis.backup."""
