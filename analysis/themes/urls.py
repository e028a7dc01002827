"""The pages of themes, the dyad-aware views, guide coverage and the results report."""

from django.urls import path

from analysis.themes.views import coverage, matrix, report, themes

STUDY = "studies/<slug:slug>/"

urlpatterns = [
    path(f"{STUDY}themes/", themes.theme_list_page, name="theme-list"),
    path(f"{STUDY}themes/<int:theme_id>/", themes.theme_detail_page, name="theme-detail"),
    path(f"{STUDY}themes/<int:theme_id>/retire/", themes.theme_retire_page, name="theme-retire"),
    path(f"{STUDY}themes/<int:theme_id>/quotes/", themes.quote_add_page, name="theme-quote-add"),
    path(f"{STUDY}quotes/<int:quote_id>/remove/", themes.quote_remove_page, name="quote-remove"),
    path(f"{STUDY}matrix/", matrix.matrix_page, name="matrix"),
    path(
        f"{STUDY}matrix/<int:dyad_id>/<int:theme_id>/",
        matrix.matrix_cell_page,
        name="matrix-cell",
    ),
    path(
        f"{STUDY}matrix/<int:dyad_id>/<int:theme_id>/mark/",
        matrix.convergence_page,
        name="convergence-mark",
    ),
    path(f"{STUDY}dyads/<int:dyad_id>/dual/", matrix.dual_page, name="dual-perspective"),
    path(f"{STUDY}waves/", matrix.waves_page, name="waves"),
    path(f"{STUDY}coverage/", coverage.coverage_page, name="coverage"),
    path(
        f"{STUDY}interviews/<int:interview_id>/coverage/",
        coverage.interview_coverage_page,
        name="interview-coverage",
    ),
    path(
        f"{STUDY}interviews/<int:interview_id>/coverage/asked-here/",
        coverage.asked_here_page,
        name="coverage-asked-here",
    ),
    path(
        f"{STUDY}interviews/<int:interview_id>/coverage/detect/",
        coverage.coverage_detect_page,
        name="coverage-detect",
    ),
    path(
        f"{STUDY}coverage/<int:coverage_id>/unmark/",
        coverage.coverage_unmark_page,
        name="coverage-unmark",
    ),
    path(f"{STUDY}methods/", report.methods_page, name="methods"),
    path(f"{STUDY}charts/", report.charts_page, name="charts"),
    path(f"{STUDY}report/", report.report_page, name="report"),
    path(f"{STUDY}report/settings/", report.report_settings_page, name="report-settings"),
    path(f"{STUDY}report/clear/", report.report_clear_page, name="report-clear"),
    path(f"{STUDY}report/results.<str:fmt>", report.report_download, name="report-download"),
]
