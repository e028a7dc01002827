"""Themes: the theme hierarchy and its two perspectives, exemplary quotes, the dyad ×
constituent matrix, the dual-perspective view, waves, convergence marks, interview-guide
coverage, the methods tables, charts and the results report.

Owns Theme, ExemplaryQuote, ConvergenceMark, QuestionCoverage and StudyReportSettings.
May import `coding`, `deliberation` (theme changes are decisions), `agreement` (the
views count the consensus layer), `interviews` and `dyads`.
"""
