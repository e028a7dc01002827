"""What the kernel knows of the apps built on it: their audit actions and what may be commented on.

`dyads` owns the audit log and the audit comments but knows nothing of its
dependants. Each app (each sub-domain of `analysis`) registers, in its own
`registrations` module imported from its AppConfig.ready(), as apps register
admin classes:

- the audit actions it records, and whether each may change a closed coding
  round (its codings, resolutions, transcripts or codes). `audit_record` stores
  the answer on the event, and the consensus cache finds the last event that
  may change a round through a partial index on it. An action nobody registered
  counts as one that may change a round: a stale cache is worse than a slow one;
- the models auditors may comment on, each with its lookup path to the study.
"""

from collections.abc import Mapping
from types import MappingProxyType

from django.core.exceptions import ImproperlyConfigured

_may_change_rounds: dict[str, bool] = {}
_commentable: dict[str, str] = {}


def register_audit_actions(*actions: str, may_change_rounds: bool) -> None:
    """Register audit actions an app records; say whether they may change a closed round."""
    for action in actions:
        if _may_change_rounds.get(action, may_change_rounds) != may_change_rounds:
            raise ImproperlyConfigured(
                f"Audit action '{action}' is registered twice, once as changing rounds and "
                "once as not."
            )
        _may_change_rounds[action] = may_change_rounds


def register_commentable(label: str, *, study_path: str) -> None:
    """Let auditors comment on the model `label` ('app.model'), which reaches its study
    through the lookup `study_path` ('study', 'round__study', …)."""
    if _commentable.get(label, study_path) != study_path:
        raise ImproperlyConfigured(f"'{label}' is registered twice with different study paths.")
    _commentable[label] = study_path


def may_change_rounds(action: str) -> bool:
    """Whether an event of `action` may change a closed coding round (unknown: yes)."""
    return _may_change_rounds.get(action, True)


def audit_actions() -> Mapping[str, bool]:
    """Every registered audit action -> whether it may change a closed coding round."""
    return MappingProxyType(_may_change_rounds)


def commentable() -> Mapping[str, str]:
    """Every model label auditors may comment on -> its lookup path to the study."""
    return MappingProxyType(_commentable)
