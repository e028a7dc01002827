"""The Exchange page (exports and imports), the erasure of a participant and the redaction
of a transcript."""

from django.urls import path

from analysis.exchange.views import erasure, exchange, redaction

urlpatterns = [
    path("studies/<slug:slug>/exchange/", exchange.exchange_page, name="exchange"),
    path(
        "studies/<slug:slug>/participants/<int:participant_id>/erase/",
        erasure.participant_erase_page,
        name="participant-erase",
    ),
    path(
        "studies/<slug:slug>/interviews/<int:interview_id>/redact/",
        redaction.transcript_redact_page,
        name="transcript-redact",
    ),
]
