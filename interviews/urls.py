from django.urls import path

from . import views

urlpatterns = [
    path("studies/<slug:slug>/", views.study_overview_page, name="study-overview"),
    path("studies/<slug:slug>/dyads/<int:dyad_id>/", views.dyad_page, name="dyad-detail"),
    path(
        "studies/<slug:slug>/interviews/<int:interview_id>/",
        views.interview_page,
        name="interview-detail",
    ),
]
