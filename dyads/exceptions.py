"""Duet's one domain exception type, mapped once to API responses and page messages."""

from typing import Any


class DomainError(Exception):
    """Bad input or a forbidden state change: 400 in the API."""

    status_code = 400

    def __init__(self, message: str | dict[str, Any], *, current: Any = None):
        self.detail = message if isinstance(message, dict) else {"detail": message}
        self.current = current
        super().__init__(
            message
            if isinstance(message, str)
            else "; ".join(f"{field}: {text}" for field, text in message.items())
        )


class UploadRejected(DomainError):
    """An uploaded file is refused; the message names it and says why."""


class Unavailable(DomainError):
    """A service Duet needs (the job queue) cannot be reached: 503, try again later."""

    status_code = 503
    retry_after = 30


class NotFound(DomainError):
    """The object does not exist or the user may not know that it does: 404."""

    status_code = 404


class Forbidden(DomainError):
    """A member whose role does not allow the action: 403."""

    status_code = 403


class Conflict(DomainError):
    """A stale write (the version has moved on): 409 with the current state."""

    status_code = 409
