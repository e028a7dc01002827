"""Maps Duet's domain exceptions to DRF responses, once for the whole API."""

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dyads.exceptions import DomainError, Unavailable


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = dict(exc.detail)
        if exc.current is not None:
            body["current"] = exc.current
        response = Response(body, status=exc.status_code)
        if isinstance(exc, Unavailable):
            response["Retry-After"] = str(exc.retry_after)
        return response
    return drf_exception_handler(exc, context)
