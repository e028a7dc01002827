"""Pages name coders as people, by their full name, as the rest of Duet does; a username
shows only for someone who gave no name."""

from django.urls import reverse

from tests.analysis.agreement_setup import double_coded
from tests.factories import CodeFactory, CodingFactory


def named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def test_excerpts_name_their_coder(cast, client_as):
    named(cast.analyst, "Nora", "Haugen")
    code = CodeFactory(study=cast.study, name="Safety")
    CodingFactory(revision=cast.revision, code=code, coder=cast.analyst, start=0, end=5)

    html = client_as(cast.owner).get(reverse("retrieval", args=["tcx"]) + f"?code={code.pk}")

    assert "coded by Nora Haugen" in html.content.decode()


def test_the_agreement_and_comparison_pages_name_the_coders(cast, client_as):
    setup = double_coded(cast)
    named(cast.analyst, "Nora", "Haugen")
    slug, session = cast.study.slug, setup.session.pk
    client = client_as(cast.owner)

    agreement = client.get(reverse("agreement", args=[slug]) + f"?session={session}")
    comparison = client.get(
        reverse("comparison", args=[slug, session, setup.revision.transcript_id])
    )

    assert '<th scope="row">Nora Haugen</th>' in agreement.content.decode()
    assert '<div role="columnheader">Nora Haugen</div>' in comparison.content.decode()
    assert f">{cast.analyst.username}<" not in comparison.content.decode()
