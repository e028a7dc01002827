"""Supervision: audit rounds and their findings, a coding's provenance ("why is this passage
coded so?"), a code's history, the audit timeline and its verification, the audit
report.

Owns AuditRound and AuditFinding. May import `coding`, `deliberation`, `agreement`,
`themes`, `interviews` and `dyads`; nothing in `analysis` imports it.
"""
