from django.urls import path

from . import views

urlpatterns = [
    path("", views.study_list, name="study-list"),
]
