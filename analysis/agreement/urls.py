"""The agreement, adjudication and calibration pages (included by analysis/urls.py)."""

from django.urls import path

from analysis.agreement.views import adjudication, agreement, calibration

SESSION = "studies/<slug:slug>/sessions/<int:session_id>"

urlpatterns = [
    path("studies/<slug:slug>/agreement/", agreement.agreement_page, name="agreement"),
    path(
        "studies/<slug:slug>/agreement/export/",
        agreement.agreement_export_page,
        name="agreement-export",
    ),
    path(f"{SESSION}/disagreements/", adjudication.disagreements_page, name="disagreements"),
    path(
        f"{SESSION}/disagreements/agenda/",
        adjudication.disagreements_agenda_page,
        name="disagreements-agenda",
    ),
    path(
        f"{SESSION}/compare/<int:transcript_id>/",
        adjudication.comparison_page,
        name="comparison",
    ),
    path(f"{SESSION}/resolve/", adjudication.resolve_page, name="resolve"),
    path(
        f"{SESSION}/resolutions/<int:resolution_id>/withdraw/",
        adjudication.resolution_withdraw_page,
        name="resolution-withdraw",
    ),
    path("studies/<slug:slug>/calibration/", calibration.calibration_page, name="calibration"),
    path(
        "studies/<slug:slug>/calibration/references/",
        calibration.calibration_reference_create_page,
        name="calibration-reference-create",
    ),
    path(
        "studies/<slug:slug>/calibration/attempts/",
        calibration.calibration_attempt_start_page,
        name="calibration-attempt-start",
    ),
    path(
        "studies/<slug:slug>/calibration/attempts/<int:attempt_id>/",
        calibration.calibration_result_page,
        name="calibration-result",
    ),
    path(
        "studies/<slug:slug>/calibration/attempts/<int:attempt_id>/submit/",
        calibration.calibration_attempt_submit_page,
        name="calibration-submit",
    ),
]
