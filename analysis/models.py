"""The analysis app's models, defined in its sub-domains and gathered here so that Django
finds them under the one app label `analysis` (no table was renamed when they moved)."""

from analysis.agreement.models import (
    AgendaDisagreement,
    CalibrationAttempt,
    CalibrationReference,
    Resolution,
    ResolutionKind,
)
from analysis.coding.models import (
    AnchorState,
    Code,
    Coding,
    CodingReview,
    CodingSession,
    Memo,
    ReviewOutcome,
    SessionMode,
    SessionProgress,
    SessionState,
)
from analysis.deliberation.models import (
    Decision,
    DecisionKind,
    DecisionState,
    JournalEntry,
    MeetingPassage,
    MeetingRecord,
)
from analysis.exchange.models import ExchangeFormat, ExchangeJob, ExchangeKind, ExchangeState
from analysis.supervision.models import AuditFinding, AuditRound, AuditStratum, AuditVerdict
from analysis.themes.models import (
    ConvergenceMark,
    ConvergenceVerdict,
    ExemplaryQuote,
    Pronoun,
    QuestionCoverage,
    StudyReportSettings,
    Theme,
    ThemeLevel,
)

__all__ = [
    "AgendaDisagreement",
    "AnchorState",
    "AuditFinding",
    "AuditRound",
    "AuditStratum",
    "AuditVerdict",
    "CalibrationAttempt",
    "CalibrationReference",
    "Code",
    "Coding",
    "CodingReview",
    "CodingSession",
    "ConvergenceMark",
    "ConvergenceVerdict",
    "Decision",
    "DecisionKind",
    "DecisionState",
    "ExchangeFormat",
    "ExchangeJob",
    "ExchangeKind",
    "ExchangeState",
    "ExemplaryQuote",
    "JournalEntry",
    "MeetingPassage",
    "MeetingRecord",
    "Memo",
    "Pronoun",
    "QuestionCoverage",
    "Resolution",
    "ResolutionKind",
    "ReviewOutcome",
    "SessionMode",
    "SessionProgress",
    "SessionState",
    "StudyReportSettings",
    "Theme",
    "ThemeLevel",
]
