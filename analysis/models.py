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
    Code,
    Coding,
    CodingSession,
    Memo,
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
    ReportClearance,
    StudyReportSettings,
    Theme,
    ThemeLevel,
)

__all__ = [
    "AgendaDisagreement",
    "AuditFinding",
    "AuditRound",
    "AuditStratum",
    "AuditVerdict",
    "CalibrationAttempt",
    "CalibrationReference",
    "Code",
    "Coding",
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
    "ReportClearance",
    "Resolution",
    "ResolutionKind",
    "SessionMode",
    "SessionProgress",
    "SessionState",
    "StudyReportSettings",
    "Theme",
    "ThemeLevel",
]
