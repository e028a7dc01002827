"""Exchange: data in and out of Duet. REFI-QDA (.qdpx, .qdc) both ways, codebook
spreadsheets in, coded segments (CSV, XLSX) and excerpt reports (DOCX) out, the lossless
backup and restore of a study, and the erasure of a participant's data for good.

Owns ExchangeJob. The top of the dependency order: it may import every other sub-domain,
`interviews` and `dyads`, and nothing in `analysis` imports it.
"""
