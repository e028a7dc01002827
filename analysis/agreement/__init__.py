"""Agreement: inter-coder statistics, passages, adjudication, the consensus layer and
calibration.

Owns the models Resolution, AgendaDisagreement, CalibrationReference and
CalibrationAttempt. May import `coding` and `deliberation` (a disagreement goes on a
meeting's agenda), `interviews` and `dyads`.

The statistics (`coefficients`, `units`, `tallies`) and `passages` import nothing from
Django, so that each can be checked against the literature on its own. The package
exports them, so `from analysis.agreement import krippendorff_alpha` works without
loading Django; lazily (PEP 562), since they need numpy, which a web process loads only
when a page computes agreement.
"""

from importlib import import_module

_EXPORTS = {
    "LEVELS": "coefficients",
    "Coincidences": "coefficients",
    "alpha_from_coincidences": "coefficients",
    "cohen_kappa": "coefficients",
    "cohen_kappa_from_table": "coefficients",
    "coincidences": "coefficients",
    "fleiss_kappa": "coefficients",
    "krippendorff_alpha": "coefficients",
    "percent_agreement": "coefficients",
    "BinaryTally": "tallies",
    "Coefficients": "tallies",
    "binary_tally": "tallies",
    "character_units": "units",
    "coverage_runs": "units",
    "turn_units": "units",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
