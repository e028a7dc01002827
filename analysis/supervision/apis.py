"""The supervisor's API: audit comments, audit rounds and their findings, a coding's
provenance, a code's history and the audit chain's verification."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from analysis.coding.apis import AnalysisViewSet
from analysis.coding.models import Code, Coding
from analysis.deliberation.apis import DecisionSerializer
from analysis.supervision import services as audit_rounds
from analysis.supervision.models import AuditFinding, AuditRound, AuditStratum, AuditVerdict
from analysis.supervision.selectors import code_history, coding_provenance
from dyads.apibase import StudyScopedField
from dyads.audit import audit_verify
from dyads.audit_comments import audit_comment_create
from dyads.models import AuditComment, Study
from dyads.permissions import Action, study_access


class AuditCommentSerializer(serializers.ModelSerializer):
    study = StudyScopedField(Study.objects.all(), study_path="pk")
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = AuditComment
        fields = ["id", "study", "object_type", "object_id", "text", "author", "created_at"]
        read_only_fields = ["created_at"]


class FindingSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True, default=None)

    class Meta:
        model = AuditFinding
        fields = [
            "id",
            "round",
            "coding",
            "position",
            "stratum",
            "verdict",
            "comment",
            "recorded_by",
            "recorded_at",
            "coder_reply",
            "replied_at",
        ]


class AuditRoundSerializer(serializers.ModelSerializer):
    study = StudyScopedField(Study.objects.all(), study_path="pk")
    strata = serializers.ListField(
        child=serializers.ChoiceField(choices=AuditStratum.choices), required=False, default=list
    )
    seed = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    findings = FindingSerializer(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    signed_off_by = serializers.CharField(
        source="signed_off_by.username", read_only=True, default=None
    )

    class Meta:
        model = AuditRound
        fields = [
            "id",
            "study",
            "title",
            "seed",
            "strata",
            "per_stratum",
            "population_at",
            "population_size",
            "created_by",
            "created_at",
            "signed_off_by",
            "signed_off_at",
            "sign_off_note",
            "findings",
        ]
        read_only_fields = ["population_at", "population_size", "created_at", "sign_off_note"]
        validators = []


class RecordSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=AuditVerdict.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReplySerializer(serializers.Serializer):
    reply = serializers.CharField(allow_blank=True)


class SignOffSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AuditCommentViewSet(AnalysisViewSet, mixins.CreateModelMixin):
    """Auditors' comments on objects of the study; the auditor's write."""

    queryset = AuditComment.objects.select_related("author")
    serializer_class = AuditCommentSerializer
    filterset_fields = ["object_type", "object_id"]

    def create(self, request, *args, **kwargs):
        return self.created(audit_comment_create(actor=request.user, **self.validated()))


class AuditRoundViewSet(AnalysisViewSet, mixins.CreateModelMixin):
    """Audit rounds: `POST` draws the sample; `sign_off` closes the round."""

    queryset = AuditRound.objects.select_related("created_by", "signed_off_by").prefetch_related(
        "findings__recorded_by"
    )
    serializer_class = AuditRoundSerializer
    read_action = Action.VIEW_AUDIT

    def create(self, request, *args, **kwargs):
        data = self.validated()
        return self.created(audit_rounds.audit_round_draw(actor=request.user, **data))

    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        audit_round = self.get_object()
        data = self.validated(SignOffSerializer)
        audit_round = audit_rounds.audit_round_sign_off(
            actor=request.user, audit_round=audit_round, **data
        )
        return Response(self.get_serializer(audit_round).data)


class AuditFindingViewSet(AnalysisViewSet):
    """Findings of audit rounds; the auditor `record`s one, the coder `reply`s."""

    queryset = AuditFinding.objects.select_related("recorded_by")
    serializer_class = FindingSerializer
    study_path = "round__study"
    filterset_fields = ["round", "coding", "verdict"]

    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        finding = self.get_object()
        data = self.validated(RecordSerializer)
        finding = audit_rounds.audit_finding_record(actor=request.user, finding=finding, **data)
        return Response(self.get_serializer(finding).data)

    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        finding = self.get_object()
        data = self.validated(ReplySerializer)
        finding = audit_rounds.audit_finding_reply(actor=request.user, finding=finding, **data)
        return Response(self.get_serializer(finding).data)


# Reads that are not lists ---------------------------------------------------------------------


def _coding_study(request, pk: int) -> tuple:
    study_id = Coding.objects.filter(pk=pk).values_list("study_id", flat=True).first()
    return study_access(request.user, study_id or 0, Action.VIEW_ANALYSIS)


def _resolution(resolution) -> dict | None:
    if resolution is None:
        return None
    return {"id": resolution.pk, "kind": resolution.kind, "reason": resolution.reason}


class CodingProvenanceView(APIView):
    """`GET /api/v1/codings/{id}/provenance/`: why the passage is coded as it is."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int) -> Response:
        study, role = _coding_study(request, pk)
        found = coding_provenance(user=request.user, role=role, study=study, coding_id=pk)
        coding = found.coding
        view = found.passage
        return Response(
            {
                "coding": {
                    "id": coding.pk,
                    "code": {"id": coding.code_id, "name": coding.code.name},
                    "coder": coding.coder.username,
                    "session": coding.session
                    and {
                        "id": coding.session_id,
                        "name": coding.session.name,
                        "mode": coding.session.mode,
                        "state": coding.session.state,
                    },
                    "revision": coding.revision_id,
                    "start": coding.start,
                    "end": coding.end,
                    "created_at": coding.created_at,
                    "text": found.text,
                },
                "agreement": {
                    "state": view.state if view else None,
                    "coders": list(view.coders) if view else [],
                    "resolution": _resolution(view.resolution) if view else None,
                    "note": found.passage_note,
                },
                "other_codings": [
                    {
                        "id": other.pk,
                        "code": other.code_id,
                        "coder": other.coder.username,
                        "start": other.start,
                        "end": other.end,
                        "session": other.session_id,
                    }
                    for other in found.others
                ],
                "decisions": DecisionSerializer(found.decisions, many=True).data,
                "decisions_since_coding": [d.pk for d in found.decisions_since],
                "audit_findings": FindingSerializer(found.findings, many=True).data,
                "audit_comments": AuditCommentSerializer(found.comments, many=True).data,
            }
        )


class CodeHistoryView(APIView):
    """`GET /api/v1/codes/{id}/history/`: every decision, wording over time, weekly counts."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int) -> Response:
        study_id = Code.objects.filter(pk=pk).values_list("study_id", flat=True).first()
        study, _ = study_access(request.user, study_id or 0, Action.VIEW_ANALYSIS)
        history = code_history(study=study, code_id=pk)
        return Response(
            {
                "code": {"id": history.code.pk, "name": history.code.name},
                "decisions": DecisionSerializer(history.decisions, many=True).data,
                "definitions": [
                    {"decision": state.decision.pk, "at": state.decision.created_at, **state.texts}
                    for state in history.definitions
                ],
                "weeks": [
                    {"week": w.week, "added": w.added, "removed": w.removed, "total": w.total}
                    for w in history.weeks
                ],
            }
        )


class AuditVerifyView(APIView):
    """`GET /api/v1/studies/{id}/audit-verify/`: recompute the chain, name the first broken link."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: str) -> Response:
        study, _ = study_access(request.user, pk, Action.VIEW_AUDIT)
        report = audit_verify(study=study)
        broken = report.first_broken
        return Response(
            {
                "intact": report.intact,
                "events_checked": report.events_checked,
                "payloads_scrubbed": report.payloads_scrubbed,
                "problem": report.problem,
                "first_broken": broken
                and {"id": broken.pk, "sequence": broken.sequence, "action": broken.action},
            }
        )
