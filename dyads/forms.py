"""One way to post a form to a service: validate it, call the service, show its refusal.

A page's form subclasses `ServiceForm` and says in `submit` which service it
calls; the view calls `form_submit(form, **context)`. A DomainError the service
raises is shown on the form: each message on the field it names when the form
has that field, the others above the form. NotFound and Forbidden are not
mistakes in the input: they pass through, and `study_page` answers 404 or 403.
"""

from typing import Any

from django import forms
from django.forms.forms import NON_FIELD_ERRORS

from .exceptions import DomainError, Forbidden, NotFound

__all__ = ["NON_FIELD_ERRORS", "ServiceForm", "form_submit"]


class ServiceForm(forms.Form):
    """A form posted to one service.

    `submit` calls the service with the cleaned data (and the context the view
    passes) and returns what the page reports: never None, which `form_submit`
    keeps for "not done". A form whose every error is about one input (a
    file) names it in `domain_errors_on`: every message of a DomainError then
    goes there as one sentence (NON_FIELD_ERRORS: above the form).
    """

    domain_errors_on: str | None = None

    def submit(self, **context) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not say which service it calls.")

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's DomainError on the field it names (else above the form)."""
        if self.domain_errors_on is not None:
            text = " ".join(str(message) for message in error.detail.values())
            self.add_error(self.domain_errors_on, text)
            return
        for field, message in error.detail.items():
            self.add_error(field if field in self.fields else None, message)


def form_submit(form: ServiceForm, **context) -> Any:
    """Validate a bound form and submit it: what `submit` returns, or None with the errors shown.

    NotFound and Forbidden pass through, so that the page answers 404 or 403.
    """
    if not form.is_valid():
        return None
    try:
        return form.submit(**context)
    except (NotFound, Forbidden):
        raise
    except DomainError as error:
        form.add_domain_error(error)
    return None
