"""Coding: the codebook, coding sessions (blind or open), codings, memos, the coding page's
live feed and presence, a code's excerpts and full-text search.

Owns Code, CodingSession, Coding, SessionProgress and Memo. The sub-domain every other
one builds on: it may import `dyads` and `interviews`; inside `analysis` it records the
decision behind a codebook change through `deliberation` and reads calibration attempts
of `agreement` to hide a reference transcript from its trainee (see
docs/architecture.md for these two edges).
"""
