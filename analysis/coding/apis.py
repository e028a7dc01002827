"""The coding API: codes, codings, coding sessions, memos, excerpts, search and the live feed
of a transcript revision. `AnalysisViewSet` is the read-scoped base every analysis viewset
shares."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from analysis.coding.models import Code, Coding, CodingSession, Memo
from analysis.coding.selectors.codings import codings_visible_to
from analysis.coding.selectors.excerpts import code_excerpts
from analysis.coding.selectors.live import Feed, presence_list, presence_touch
from analysis.coding.selectors.reviews import review_queue
from analysis.coding.selectors.search import transcript_search
from analysis.coding.selectors.workspace import SessionProgressView, session_progress
from analysis.coding.serializers import (
    CodeMergeSerializer,
    CodeSerializer,
    CodeSplitSerializer,
    CodingRecodeSerializer,
    CodingSerializer,
    CodingSessionSerializer,
    DecisionContextSerializer,
    ExcerptFilterSerializer,
    ExcerptSerializer,
    LiveQuerySerializer,
    MemoSerializer,
    MemoUpdateSerializer,
    ReviewAdjustSerializer,
    ReviewItemSerializer,
    ReviewQuerySerializer,
    SearchHitSerializer,
    SearchQuerySerializer,
    SessionTranscriptSerializer,
)
from analysis.coding.services import codebook, codings, memos, reviews, sessions
from dyads.apibase import ReadViewSet, StudyScopedViewSet
from dyads.permissions import Action, study_access
from interviews.models import TranscriptRevision


class AnalysisViewSet(ReadViewSet):
    read_action = Action.VIEW_ANALYSIS


class ExcerptPagination(PageNumberPagination):
    """All of a code's excerpts usually fit one page; `page_size` goes up to 2,000."""

    page_size = 500
    page_size_query_param = "page_size"
    max_page_size = 2000


class CodeViewSet(AnalysisViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    queryset = Code.objects.filter(retired_at__isnull=True)
    serializer_class = CodeSerializer
    filterset_fields = ["parent"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = self.validated()
        data.pop("version", None)
        return self.created(codebook.code_create(actor=request.user, **data))

    def partial_update(self, request, *args, **kwargs):
        data = self.validated(partial=True)
        data.pop("study", None)
        code = codebook.code_update(actor=request.user, code=self.get_object(), **data)
        return Response(self.get_serializer(code).data)

    def destroy(self, request, *args, **kwargs):
        context = self.validated(DecisionContextSerializer)
        codebook.code_retire(
            actor=request.user,
            code=self.get_object(),
            version=requested_version(request),
            **context,
        )
        return Response(status=204)

    @action(detail=True, methods=["post"], serializer_class=CodeMergeSerializer)
    def merge(self, request, pk=None):
        """Merge this code into `into`; answers the survivor."""
        survivor = codebook.code_merge(
            actor=request.user, code=self.get_object(), **self.validated()
        )
        return Response(CodeSerializer(survivor, context=self.get_serializer_context()).data)

    @action(detail=True, methods=["post"], serializer_class=CodeSplitSerializer)
    def split(self, request, pk=None):
        """Split this code into new codes; answers them."""
        parts = codebook.code_split(actor=request.user, code=self.get_object(), **self.validated())
        context = self.get_serializer_context()
        return Response(CodeSerializer(parts, many=True, context=context).data, status=201)

    @action(
        detail=True,
        methods=["get"],
        serializer_class=ExcerptSerializer,
        pagination_class=ExcerptPagination,
        filter_backends=[],
    )
    def excerpts(self, request, pk=None):
        """The code's coded excerpts with context, filtered by the query parameters."""
        filters = ExcerptFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        excerpts = code_excerpts(
            user=request.user, code=self.get_object(), **filters.validated_data
        )
        page = self.paginate_queryset(excerpts)
        return self.get_paginated_response(ExcerptSerializer(page, many=True).data)


class CodingFilter(filters.FilterSet):
    coder = filters.CharFilter(field_name="coder__username")

    class Meta:
        model = Coding
        fields = ["revision", "code", "session", "coder"]


class CodingViewSet(AnalysisViewSet, mixins.CreateModelMixin, mixins.DestroyModelMixin):
    queryset = Coding.objects.select_related("coder")
    serializer_class = CodingSerializer
    filterset_class = CodingFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "restore":  # a removed coding is found only to be restored
            queryset = queryset.filter(deleted_at__isnull=True)
        return codings_visible_to(self.request.user, queryset)

    def create(self, request, *args, **kwargs):
        return self.created(codings.coding_create(actor=request.user, **self.validated()))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Bring back a removed coding (the coding page's Undo); refused in a closed session
        and when the same coder has since applied the same code to the same span."""
        coding = codings.coding_restore(actor=request.user, coding=self.get_object())
        return Response(self.get_serializer(coding).data)

    def partial_update(self, request, *args, **kwargs):
        """Re-code: `{code}` gives the coding another code, in place."""
        coding = self.get_object()
        data = self.validated(CodingRecodeSerializer)
        coding = codings.coding_recode(actor=request.user, coding=coding, **data)
        return Response(self.get_serializer(coding).data)

    def destroy(self, request, *args, **kwargs):
        codings.coding_delete(actor=request.user, coding=self.get_object())
        return Response(status=204)


class CodingReviewViewSet(StudyScopedViewSet):
    """The review queue of a corrected transcript, by the flagged coding's id.

    `GET ?transcript=` lists the transcript's flagged codings the caller may see;
    `accept`, `adjust` (`{start, end}` on the current revision) and `remove` end one
    review and answer the coding. A coding that is not flagged, or that the caller may
    not see, is 404 like one that does not exist.
    """

    queryset = Coding.objects.filter(needs_review=True, deleted_at__isnull=True)
    read_action = Action.VIEW_ANALYSIS
    serializer_class = ReviewItemSerializer

    def get_queryset(self):
        return codings_visible_to(self.request.user, super().get_queryset())

    @extend_schema(parameters=[ReviewQuerySerializer], responses=ReviewItemSerializer(many=True))
    def list(self, request):
        params = ReviewQuerySerializer(data=request.query_params, context={"request": request})
        params.is_valid(raise_exception=True)
        transcript = params.validated_data["transcript"]
        study_access(request.user, transcript.interview.study, self.read_action)
        items = review_queue(user=request.user, transcript=transcript)
        return Response(ReviewItemSerializer(items, many=True).data)

    @extend_schema(request=None, responses=CodingSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Keep the coding where it now lies."""
        return self._answer(
            reviews.coding_review_accept(actor=request.user, coding=self.get_object())
        )

    @extend_schema(request=ReviewAdjustSerializer, responses=CodingSerializer)
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        """Put the coding on `[start, end)` of the transcript's current revision."""
        coding = self.get_object()
        data = self.validated(ReviewAdjustSerializer)
        return self._answer(reviews.coding_review_adjust(actor=request.user, coding=coding, **data))

    @extend_schema(request=None, responses=CodingSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        """Remove the coding (a soft delete)."""
        return self._answer(
            reviews.coding_review_remove(actor=request.user, coding=self.get_object())
        )

    def _answer(self, coding: Coding) -> Response:
        return Response(CodingSerializer(coding, context=self.get_serializer_context()).data)


class CodingSessionViewSet(AnalysisViewSet, mixins.CreateModelMixin):
    queryset = CodingSession.objects.prefetch_related("coders", "transcripts")
    serializer_class = CodingSessionSerializer
    filterset_fields = ["state", "mode"]

    def create(self, request, *args, **kwargs):
        session = sessions.coding_session_create(actor=request.user, **self.validated())
        return self.created(session)

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the session: a blind session's codings become visible to all."""
        session = sessions.coding_session_close(actor=request.user, session=self.get_object())
        return Response(self.get_serializer(session).data)

    @action(detail=True, methods=["post"], serializer_class=SessionTranscriptSerializer)
    def done(self, request, pk=None):
        """`{transcript}`: the caller has finished coding this transcript of the session."""
        session = self.get_object()
        data = self.validated()
        sessions.session_progress_mark_done(actor=request.user, session=session, **data)
        return Response(_progress_json(session_progress(session=session)))

    @action(detail=True, methods=["post"], serializer_class=SessionTranscriptSerializer)
    def reopen(self, request, pk=None):
        """`{transcript}`: take back the caller's done mark on this transcript."""
        session = self.get_object()
        data = self.validated()
        sessions.session_progress_reopen(actor=request.user, session=session, **data)
        return Response(_progress_json(session_progress(session=session)))

    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        """Per transcript and coder: the done mark and the number of live codings."""
        return Response(_progress_json(session_progress(session=self.get_object())))


def _progress_json(progress: SessionProgressView) -> dict:
    return {
        "session": progress.session.pk,
        "state": progress.session.state,
        "coders": [
            {"coder": row.coder.username, "done": row.done, "codings": row.codings}
            for row in progress.coders
        ],
        "transcripts": [
            {
                "transcript": row.transcript.pk,
                "interview": row.transcript.interview_id,
                "label": str(row.transcript.interview),
                "coders": {
                    coder.coder.username: {"done_at": cell.done_at, "codings": cell.codings}
                    for coder, cell in zip(progress.coders, row.cells, strict=True)
                },
            }
            for row in progress.rows
        ],
    }


class RevisionLiveViewSet(StudyScopedViewSet):
    """What the coding page reads live: a revision's codings, their changes, presence.

    `?session=` narrows to one coding session's codings. Both reads carry an
    ETag and answer 304 to a matching If-None-Match without reading a coding.
    """

    queryset = TranscriptRevision.objects.select_related("transcript__interview__study").defer(
        "text", "original_text"
    )
    study_path = "transcript__interview__study"
    read_action = Action.VIEW_ANALYSIS
    serializer_class = LiveQuerySerializer

    def _feed(self) -> tuple[Feed, dict]:
        """The caller's feed of this revision, and the validated query."""
        revision = self.get_object()
        params = LiveQuerySerializer(
            data=self.request.query_params, context=self.get_serializer_context()
        )
        params.is_valid(raise_exception=True)
        query = params.validated_data
        feed = Feed(user=self.request.user, revision=revision, session=query.get("session"))
        return feed, query

    def _answer(self, feed: Feed, build) -> Response:
        sequence = feed.sequence()
        etag = feed.etag(sequence)
        if etag == self.request.headers.get("If-None-Match"):
            response = Response(status=304)
        else:
            response = Response(build(sequence))
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        return response

    @action(detail=True, methods=["get"])
    def codings(self, request, pk=None):
        """All the codings the caller may see here, with the study's codes and the coders."""
        feed, _ = self._feed()
        return self._answer(feed, feed.everything)

    @action(detail=True, methods=["get"])
    def changes(self, request, pk=None):
        """`?after=<sequence>`: the codings added, re-coded or dropped since then."""
        feed, query = self._feed()
        after = query.get("after", 0)
        return self._answer(feed, lambda sequence: feed.changes(after, sequence))

    @action(detail=True, methods=["post"])
    def presence(self, request, pk=None):
        """The page's heartbeat: note the caller here, answer who else is."""
        revision = self.get_object()
        presence_touch(user=request.user, revision=revision)
        return Response({"present": presence_list(revision=revision)})


class MemoViewSet(AnalysisViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    queryset = Memo.objects.filter(deleted_at__isnull=True).select_related("author")
    serializer_class = MemoSerializer
    filterset_fields = ["code", "coding"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def create(self, request, *args, **kwargs):
        return self.created(memos.memo_create(actor=request.user, **self.validated()))

    def partial_update(self, request, *args, **kwargs):
        data = self.validated(MemoUpdateSerializer, partial=True)
        memo = memos.memo_update(actor=request.user, memo=self.get_object(), **data)
        return Response(self.get_serializer(memo).data)

    def destroy(self, request, *args, **kwargs):
        memo = self.get_object()
        memos.memo_delete(actor=request.user, memo=memo, version=requested_version(request))
        return Response(status=204)


class SearchViewSet(viewsets.ViewSet):
    """`GET /api/v1/search/?study=&q=`: full-text search in the study's current transcripts."""

    page_size = 20

    @extend_schema(parameters=[SearchQuerySerializer], responses=SearchHitSerializer(many=True))
    def list(self, request):
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        study, _ = study_access(request.user, query["study"], Action.VIEW_ANALYSIS)
        offset = (query["page"] - 1) * self.page_size
        results = transcript_search(
            study=study, query=query["q"], offset=offset, limit=self.page_size
        )
        url = request.build_absolute_uri()
        more = offset + self.page_size < results.transcripts
        return Response(
            {
                "count": results.transcripts,
                "next": replace_query_param(url, "page", query["page"] + 1) if more else None,
                "previous": replace_query_param(url, "page", query["page"] - 1) if offset else None,
                "results": SearchHitSerializer(results.hits, many=True).data,
            }
        )


def requested_version(request) -> str | None:
    """The `version` a DELETE carries, in the query string or the body."""
    return request.query_params.get("version") or request.data.get("version")
