"""The pages of the codebook, coding sessions, the coding page, retrieval and search."""

from django.urls import path

from analysis.coding.views import codebook, coding, retrieval, reviews, sessions

urlpatterns = [
    path("studies/<slug:slug>/codebook/", codebook.codebook_page, name="codebook"),
    path("studies/<slug:slug>/codebook/new/", codebook.code_create, name="code-create"),
    path("studies/<slug:slug>/codebook/<int:code_id>/", codebook.code_page, name="codebook-code"),
    path(
        "studies/<slug:slug>/codebook/<int:code_id>/<slug:change>/",
        codebook.code_change,
        name="code-change",
    ),
    path(
        "studies/<slug:slug>/codebook/<int:code_id>/memos/<int:memo_id>/<slug:change>/",
        codebook.memo_change,
        name="memo-change",
    ),
    path("studies/<slug:slug>/retrieval/", retrieval.retrieval_page, name="retrieval"),
    path("studies/<slug:slug>/search/", retrieval.search_page, name="transcript-search"),
    path(
        "studies/<slug:slug>/interviews/<int:interview_id>/coding/",
        coding.coding_page_view,
        name="coding-page",
    ),
    path(
        "studies/<slug:slug>/interviews/<int:interview_id>/review/",
        reviews.review_queue_page,
        name="coding-review",
    ),
    path("studies/<slug:slug>/sessions/", sessions.session_list_page, name="session-list"),
    path("studies/<slug:slug>/sessions/new/", sessions.session_create_page, name="session-create"),
    path(
        "studies/<slug:slug>/sessions/<int:session_id>/",
        sessions.session_detail_page,
        name="session-detail",
    ),
    path(
        "studies/<slug:slug>/sessions/<int:session_id>/close/",
        sessions.session_close_page,
        name="session-close",
    ),
]
