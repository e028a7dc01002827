"""Exchange jobs for the role matrix: the owner's finished export and previewed import."""

from django.core.files.base import ContentFile

from analysis.exchange.models import ExchangeJob, ExchangeKind, ExchangeState


def owners_export(world) -> ExchangeJob:
    return ExchangeJob.objects.create(
        study=world.study,
        kind=ExchangeKind.EXPORT,
        format="qdc",
        state=ExchangeState.SUCCEEDED,
        output=ContentFile(b"<CodeBook/>", name="matrix.qdc"),
        created_by=world.cast.owner,
    )


def owners_previewed_import(world) -> ExchangeJob:
    return ExchangeJob.objects.create(
        study=world.study,
        kind=ExchangeKind.IMPORT,
        format="qdc",
        state=ExchangeState.PREVIEWED,
        preview={},
        created_by=world.cast.owner,
    )
