import logging
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from .audit import current_request_id
from .exceptions import Unavailable

logger = logging.getLogger(__name__)

DATABASE_DOWN = "The database cannot be reached right now (it may be restarting)."


class RequestIdMiddleware:
    """Gives each request an id that its audit events carry, and echoes it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4()
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = str(request_id)
        return response


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY: pages need no camera, microphone or location."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ServiceUnavailableMiddleware:
    """A view stopped by the database being away (a restart, a dropped connection) or
    by the job queue being down answers 503 with a Retry-After, not 500.

    Its transaction was rolled back, so nothing was changed. The page is rendered
    without the database (no user, no session), as the 500 page is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Unavailable):
            message = " ".join(str(text) for text in exception.detail.values())
        elif isinstance(exception, OperationalError | InterfaceError):
            logger.warning("Database unavailable: %s", exception)
            message = DATABASE_DOWN
        else:
            return None
        return unavailable_response(request, message)


def unavailable_response(request, message: str):
    retry_after = Unavailable.retry_after
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        html = render_to_string("503.html", {"message": message, "retry_after": retry_after})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(retry_after)
    return response
