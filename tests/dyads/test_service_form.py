"""One way to post a form to a service: a refusal shows on the form, 404 and 403 pass through."""

import pytest
from django import forms

from dyads.exceptions import Conflict, DomainError, Forbidden, NotFound
from dyads.forms import NON_FIELD_ERRORS, ServiceForm, form_submit


class NameForm(ServiceForm):
    name = forms.CharField()

    def __init__(self, *args, refusal: DomainError | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.refusal = refusal
        self.calls = 0

    def submit(self, **context):
        self.calls += 1
        if self.refusal is not None:
            raise self.refusal
        return {"name": self.cleaned_data["name"], **context}


class FileForm(NameForm):
    domain_errors_on = "name"


def test_it_answers_what_the_service_answered():
    form = NameForm({"name": "Ada"})

    assert form_submit(form, actor="owner") == {"name": "Ada", "actor": "owner"}
    assert form.errors == {}


def test_an_invalid_form_is_not_submitted():
    form = NameForm({})

    assert form_submit(form) is None
    assert form.calls == 0
    assert "name" in form.errors


def test_an_unbound_form_is_not_submitted_and_shows_no_errors():
    form = NameForm()

    assert form_submit(form) is None
    assert (form.calls, form.errors) == (0, {})


def test_a_refusal_shows_on_the_field_it_names_and_the_rest_above_the_form():
    form = NameForm({"name": "Ada"}, refusal=DomainError({"name": "Taken.", "other": "Later."}))

    assert form_submit(form) is None
    assert form.errors == {"name": ["Taken."], NON_FIELD_ERRORS: ["Later."]}


def test_a_message_without_a_field_shows_above_the_form():
    form = NameForm({"name": "Ada"}, refusal=Conflict("Changed meanwhile."))

    assert form_submit(form) is None
    assert form.non_field_errors() == ["Changed meanwhile."]


def test_a_form_about_one_input_shows_every_message_there_as_one_sentence():
    form = FileForm({"name": "Ada"}, refusal=DomainError({"file": "Bad line 3.", "x": "Empty."}))

    assert form_submit(form) is None
    assert form.errors == {"name": ["Bad line 3. Empty."]}


@pytest.mark.parametrize("refusal", [NotFound("No such thing."), Forbidden("Not you.")])
def test_not_found_and_forbidden_pass_through_to_the_page(refusal):
    form = NameForm({"name": "Ada"}, refusal=refusal)

    with pytest.raises(type(refusal)):
        form_submit(form)
