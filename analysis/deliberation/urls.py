"""The pages of meetings, the decision log and the reflexivity journal."""

from django.urls import path

from analysis.deliberation.views import journal, meetings

S = "studies/<slug:slug>"

urlpatterns = [
    path(f"{S}/meetings/", meetings.meeting_list_page, name="meeting-list"),
    path(f"{S}/meetings/new/", meetings.meeting_form_page, name="meeting-create"),
    path(f"{S}/meetings/<int:meeting_id>/", meetings.meeting_page, name="meeting-detail"),
    path(f"{S}/meetings/<int:meeting_id>/edit/", meetings.meeting_form_page, name="meeting-edit"),
    path(
        f"{S}/meetings/<int:meeting_id>/passages/",
        meetings.meeting_passage_add_page,
        name="meeting-passage-add",
    ),
    path(
        f"{S}/meetings/<int:meeting_id>/passages/<int:passage_id>/remove/",
        meetings.meeting_passage_remove_page,
        name="meeting-passage-remove",
    ),
    path(f"{S}/decisions/", meetings.decision_log_page, name="decision-log"),
    path(f"{S}/decisions/propose/", meetings.decision_propose_page, name="decision-propose"),
    path(
        f"{S}/decisions/<int:decision_id>/<slug:verdict>/",
        meetings.decision_decide_page,
        name="decision-decide",
    ),
    path(f"{S}/journal/", journal.journal_page, name="journal"),
    path(f"{S}/journal/<int:entry_id>/", journal.journal_entry_page, name="journal-entry"),
    path(
        f"{S}/journal/<int:entry_id>/delete/",
        journal.journal_entry_delete_page,
        name="journal-entry-delete",
    ),
]
