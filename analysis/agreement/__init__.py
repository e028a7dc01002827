"""Agreement: inter-coder statistics, passages, adjudication, the consensus layer and
calibration.

Owns the models Resolution, AgendaDisagreement, CalibrationReference and
CalibrationAttempt. May import `coding` and `deliberation` (a disagreement goes on a
meeting's agenda), `interviews` and `dyads`.

The statistics (`coefficients`, `units`, `tallies`) and `passages` import nothing from
Django, so that each can be checked against the literature on its own. This package
does not re-export them: they need numpy, which a web process loads only when a page
computes agreement.
"""
