"""Maps Duet's domain exceptions to DRF responses, once for the whole API."""

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dyads.exceptions import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = dict(exc.detail)
        if exc.current is not None:
            body["current"] = exc.current
        return Response(body, status=exc.status_code)
    return drf_exception_handler(exc, context)
