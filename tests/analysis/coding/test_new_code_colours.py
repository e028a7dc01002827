"""A new code wears a colour no active code of the study wears, so highlights stay apart."""

from analysis.coding.selectors.codebook import CODE_PALETTE, next_code_colour
from analysis.coding.services.codebook import code_create
from dyads.models import Role
from tests import factories


def test_each_new_code_gets_a_colour_not_yet_in_use(db):
    owner = factories.MembershipFactory(role=Role.OWNER)

    codes = [
        code_create(actor=owner.user, study=owner.study, name=f"Code {n}", rationale="Pilot.")
        for n in range(5)
    ]

    assert len({code.colour for code in codes}) == 5
    assert [code.colour for code in codes] == list(CODE_PALETTE[:5])


def test_a_colour_chosen_by_the_user_is_kept(db):
    owner = factories.MembershipFactory(role=Role.OWNER)

    code = code_create(
        actor=owner.user, study=owner.study, name="Shame", colour="#123456", rationale="Pilot."
    )

    assert code.colour == "#123456"


def test_retired_codes_give_their_colour_back(db):
    study = factories.StudyFactory()
    factories.CodeFactory(study=study, colour=CODE_PALETTE[0])
    factories.CodeFactory(study=study, colour=CODE_PALETTE[1], retired_at="2026-01-01T00:00Z")

    assert next_code_colour(study) == CODE_PALETTE[1]


def test_when_every_colour_is_worn_the_least_worn_comes_next(db):
    study = factories.StudyFactory()
    for colour in CODE_PALETTE:
        factories.CodeFactory(study=study, colour=colour)
    factories.CodeFactory(study=study, colour=CODE_PALETTE[0])

    assert next_code_colour(study) == CODE_PALETTE[1]


def test_the_new_code_form_offers_the_next_colour(db, client):
    owner = factories.MembershipFactory(role=Role.OWNER)
    factories.CodeFactory(study=owner.study, colour=CODE_PALETTE[0])
    client.force_login(owner.user)

    page = client.get(f"/studies/{owner.study.slug}/codebook/")

    assert f'value="{CODE_PALETTE[1]}"'.encode() in page.content
