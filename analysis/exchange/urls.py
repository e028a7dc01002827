"""The Exchange page (exports and imports) and the erasure of a participant."""

from django.urls import path

from analysis.exchange.views import erasure, exchange

urlpatterns = [
    path("studies/<slug:slug>/exchange/", exchange.exchange_page, name="exchange"),
    path(
        "studies/<slug:slug>/participants/<int:participant_id>/erase/",
        erasure.participant_erase_page,
        name="participant-erase",
    ),
]
