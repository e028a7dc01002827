"""Deliberation: analytic meetings, the passages reviewed in them, decisions (the record
behind every codebook and theme change) and proposals, and the reflexivity journal.

Owns MeetingRecord, Decision, MeetingPassage and JournalEntry. May import `coding`,
`dyads` and `interviews`; accepting a proposal applies it through the `coding` or
`themes` service that owns the change.
"""
