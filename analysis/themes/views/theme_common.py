"""Helpers the theme, matrix, coverage and report pages share."""

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from dyads.exceptions import DomainError

T = TypeVar("T")


def read_query(request: HttpRequest, parse: Callable[[], T], default: T) -> T:
    """Parse query parameters; a bad one is said on the page and the default used."""
    try:
        return parse()
    except DomainError as error:
        messages.error(request, str(error))
        return default


def parse_id(value: str | None, name: str) -> int | None:
    """A posted or queried id; a malformed one is a DomainError naming `name`."""
    if value in (None, ""):
        return None
    if not value.isdigit():
        raise DomainError({name: f"'{value}' is not an id."})
    return int(value)


def back_to(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to the page the form came from (`next`), if it is one of ours."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return redirect(target if target and allowed else fallback)
