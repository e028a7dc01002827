from django.urls import path

from . import accounts, views

urlpatterns = [
    path("", views.study_list, name="study-list"),
    path("studies/<slug:slug>/members/", views.members_page, name="study-members"),
    path("studies/<slug:slug>/access-log/", views.access_log_page, name="study-access-log"),
    path("invitations/<str:token>/", accounts.invitation_page, name="invitation-accept"),
]
