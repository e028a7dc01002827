"""A refused action names the role in plain English: "An auditor may not code"."""

import pytest

from dyads.exceptions import Forbidden
from dyads.models import Role
from dyads.permissions import Action, study_access
from tests import factories


@pytest.mark.parametrize(
    ("role", "sentence"),
    [
        (Role.AUDITOR, "An auditor may not code."),
        (Role.INTERVIEWER, "An interviewer may not code."),
    ],
)
def test_the_refusal_uses_the_right_article(db, role, sentence):
    membership = factories.MembershipFactory(role=role)

    with pytest.raises(Forbidden) as refused:
        study_access(membership.user, membership.study, Action.CODE)

    assert refused.value.detail == {"detail": sentence}
