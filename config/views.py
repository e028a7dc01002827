"""Pages that belong to no app: the health check, the favicon and the documentation."""

from django.db import DatabaseError, connection
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.help import document_html, guide_topics, screenshot_path


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" when the database answers, 503 otherwise; no login needed."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the icon."""
    return HttpResponsePermanentRedirect(static("img/duet.svg"))


@require_safe
def help_page(request: HttpRequest, topic: str = "coding") -> HttpResponse:
    """A page of the user guide (or another document of docs/), with the guide's contents."""
    title, html = document_html(topic)
    context = {"title": title, "html": html, "topic": topic, "topics": guide_topics()}
    return render(request, "help.html", context)


@require_safe
def help_screenshot(request: HttpRequest, name: str) -> FileResponse:
    return FileResponse(screenshot_path(name).open("rb"), content_type="image/png")
