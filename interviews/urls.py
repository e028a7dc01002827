from django.urls import path

from . import audio_pages, import_pages, pseudonym_pages, views

urlpatterns = [
    path("studies/<slug:slug>/", views.study_overview_page, name="study-overview"),
    path("studies/<slug:slug>/dyads/<int:dyad_id>/", views.dyad_page, name="dyad-detail"),
    path(
        "studies/<slug:slug>/interviews/<int:interview_id>/",
        views.interview_page,
        name="interview-detail",
    ),
    path(
        "studies/<slug:slug>/interviews/<int:interview_id>/import/",
        import_pages.import_upload_page,
        name="import-upload",
    ),
    path(
        "studies/<slug:slug>/interviews/<int:interview_id>/audio/",
        audio_pages.audio_stream,
        name="audio-stream",
    ),
    path(
        "studies/<slug:slug>/interviews/<int:interview_id>/audio/upload/",
        audio_pages.audio_upload,
        name="audio-upload",
    ),
    path(
        "studies/<slug:slug>/imports/uploads/<int:upload_id>/",
        import_pages.import_preview_page,
        name="import-preview",
    ),
    path(
        "studies/<slug:slug>/imports/uploads/<int:upload_id>/discard/",
        import_pages.import_discard,
        name="import-discard",
    ),
    path(
        "studies/<slug:slug>/imports/uploads/<int:upload_id>/names/",
        import_pages.import_name_add,
        name="import-name-add",
    ),
    path(
        "studies/<slug:slug>/imports/uploads/<int:upload_id>/review/",
        import_pages.import_names_review,
        name="import-names-review",
    ),
    path(
        "studies/<slug:slug>/imports/<int:job_id>/",
        import_pages.import_job_page,
        name="import-job",
    ),
    path(
        "studies/<slug:slug>/imports/batch/",
        import_pages.import_batch_upload_page,
        name="import-batch-upload",
    ),
    path(
        "studies/<slug:slug>/imports/batch/<int:batch_id>/",
        import_pages.import_batch_page,
        name="import-batch",
    ),
    path(
        "studies/<slug:slug>/pseudonyms/",
        pseudonym_pages.pseudonyms_page,
        name="pseudonyms",
    ),
    path(
        "studies/<slug:slug>/pseudonyms/proposals/<int:proposal_id>/<str:decision>/",
        pseudonym_pages.proposal_decide,
        name="pseudonym-proposal-decide",
    ),
    path(
        "studies/<slug:slug>/pseudonyms/<int:entry_id>/delete/",
        pseudonym_pages.pseudonym_delete,
        name="pseudonym-delete",
    ),
]
