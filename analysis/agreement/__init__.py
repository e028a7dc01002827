"""Agreement: inter-coder statistics, passages, adjudication, the consensus layer and
calibration.

Owns the models Resolution, AgendaDisagreement, CalibrationReference and
CalibrationAttempt. May import `coding` and `deliberation` (a disagreement goes on a
meeting's agenda), `interviews` and `dyads`.

The statistics (`coefficients`, `units`, `tallies`) and `passages` import nothing from
Django, so that each can be checked against the literature on its own; this package
re-exports the statistics, so `from analysis.agreement import krippendorff_alpha` works
without loading Django.
"""

from analysis.agreement.coefficients import (
    LEVELS,
    Coincidences,
    alpha_from_coincidences,
    cohen_kappa,
    cohen_kappa_from_table,
    coincidences,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
)
from analysis.agreement.tallies import BinaryTally, Coefficients, binary_tally
from analysis.agreement.units import character_units, coverage_runs, turn_units

__all__ = [
    "LEVELS",
    "BinaryTally",
    "Coefficients",
    "Coincidences",
    "alpha_from_coincidences",
    "binary_tally",
    "character_units",
    "cohen_kappa",
    "cohen_kappa_from_table",
    "coincidences",
    "coverage_runs",
    "fleiss_kappa",
    "krippendorff_alpha",
    "percent_agreement",
    "turn_units",
]
