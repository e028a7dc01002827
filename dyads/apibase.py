"""The pieces every app's API is built from, so study scoping is written once.

Every queryset is narrowed to the studies where the user's role allows the
read; objects outside it are 404, never 403. Related ids in request bodies are
looked up in the same narrowed querysets, so a guessed id of another study is
"does not exist", exactly like an id that does not exist.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F, Model, QuerySet
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from .permissions import Action, studies_where, study_access


class StudyScopedField(serializers.PrimaryKeyRelatedField):
    """A related id that must belong to a study the user may read.

    The object is fetched by its id with its study's id, which is then checked
    against the studies the request's user may read (read once per request): a
    membership subquery in every lookup cost more to build than the lookup itself.
    The choices offered in the browsable API stay narrowed in SQL.
    """

    def __init__(self, queryset: QuerySet, study_path: str = "study", **kwargs):
        self.scoped_queryset = queryset
        self.study_path = study_path
        super().__init__(queryset=queryset, **kwargs)

    def get_queryset(self) -> QuerySet:
        user = self.context["request"].user
        return self.scoped_queryset.filter(
            **{f"{self.study_path}__in": studies_where(user, Action.VIEW_STUDY)}
        )

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        lookup = self.scoped_queryset.annotate(scope_study_id=F(self.study_path))
        try:
            instance = lookup.get(pk=data)
        except ObjectDoesNotExist:
            self.fail("does_not_exist", pk_value=data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if instance.scope_study_id not in readable_study_ids(self.context["request"]):
            self.fail("does_not_exist", pk_value=data)
        return instance


def readable_study_ids(request) -> frozenset[int]:
    """The ids of the studies the request's user may read, read once per request."""
    cached = getattr(request, "_readable_study_ids", None)
    if cached is None:
        cached = frozenset(
            studies_where(request.user, Action.VIEW_STUDY).values_list("pk", flat=True)
        )
        request._readable_study_ids = cached
    return cached


class StudyScopedViewSet(viewsets.GenericViewSet):
    """List and retrieve the objects of the studies the user may read.

    `?study=<id or slug>` narrows a list to one study and answers 404 for a
    study the user is not a member of.
    """

    study_path = "study"
    read_action = Action.VIEW_STUDY

    def get_queryset(self) -> QuerySet:
        queryset = (
            super()
            .get_queryset()
            .filter(
                **{f"{self.study_path}__in": studies_where(self.request.user, self.read_action)}
            )
        )
        study = self.request.query_params.get("study")
        if study and self.action == "list":
            study, _ = study_access(self.request.user, study, self.read_action)
            queryset = queryset.filter(**{self.study_path: study})
        return queryset

    def created(self, instance: Model) -> Response:
        return Response(self.get_serializer(instance).data, status=201)

    def version_param(self) -> int | None:
        """The `version` a DELETE was made against (query or body); None if not sent."""
        field = serializers.IntegerField(min_value=1, allow_null=True)
        body = self.request.data if isinstance(self.request.data, dict) else {}
        raw = self.request.query_params.get("version") or body.get("version")
        if raw in (None, ""):
            return None
        try:
            return field.run_validation(raw)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"version": error.detail}) from error

    def validated(self, serializer_class=None, partial: bool = False) -> dict:
        serializer_class = serializer_class or self.get_serializer_class()
        serializer = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StudyScopedViewSet):
    """A study-scoped list and detail; subclasses add the writes through services."""
