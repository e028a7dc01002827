"""The coding session pages: the list, a new session (owners), one session's
progress per coder and transcript with links to the coding page, and its
Close button."""

import pytest
from django.urls import reverse

from analysis.coding.models import CodingSession, SessionMode, SessionProgress, SessionState
from dyads.models import AuditEvent
from interviews.models import Transcript
from tests import factories
from tests.pages.test_no_inline_code import INLINE


@pytest.fixture
def session(cast):
    session = factories.CodingSessionFactory(
        study=cast.study,
        name="Round 1",
        mode=SessionMode.BLIND,
        created_by=cast.owner,
        coders=[cast.owner, cast.analyst],
        transcripts=[cast.revision.transcript],
    )
    SessionProgress.objects.create(
        session=session,
        transcript=cast.revision.transcript,
        coder=cast.analyst,
        done_at="2026-05-04T10:00Z",
    )
    return session


def detail(session) -> str:
    return reverse("session-detail", args=["tcx", session.pk])


def post_form(client, cast, **changes):
    """Post the new session form as the owner fills it in, with `changes`."""
    data = {
        "name": "Round 2",
        "mode": "blind",
        "coders": [cast.analyst.pk],
        "transcripts": [cast.revision.transcript.pk],
        **changes,
    }
    return client.post(reverse("session-create", args=["tcx"]), data)


def test_the_list_shows_each_session_with_its_done_marks(cast, client_as, session):
    html = client_as(cast.analyst).get(reverse("session-list", args=["tcx"])).content.decode()

    assert "Round 1" in html
    assert "1 of 2" in html
    assert "You code" in html
    assert "New session" not in html


def test_the_detail_shows_progress_per_coder_and_links_to_the_coding_page(cast, client_as, session):
    html = client_as(cast.analyst).get(detail(session)).content.decode()

    coding_page = reverse("coding-page", args=["tcx", cast.client_interview.pk])
    assert f"{coding_page}?session={session.pk}" in html
    assert html.count("1 of 1 done") == 1
    assert html.count("0 of 1 done") == 1
    assert "Close the session" not in html


def test_the_session_pages_carry_no_inline_code(cast, client_as, session):
    client = client_as(cast.owner)
    for address in [
        reverse("session-list", args=["tcx"]),
        reverse("session-create", args=["tcx"]),
        detail(session),
    ]:
        html = client.get(address).content.decode()
        for pattern, what in INLINE:
            assert not pattern.search(html), f"{address} has an {what}"


def test_the_owner_creates_a_session_picking_coders_transcripts_and_mode(cast, client_as):
    response = post_form(
        client_as(cast.owner), cast, mode="open", coders=[cast.owner.pk, cast.analyst.pk]
    )

    session = CodingSession.objects.get(name="Round 2")
    assert response.status_code == 302
    assert response["Location"] == detail(session)
    assert session.mode == SessionMode.OPEN
    assert set(session.coders.all()) == {cast.owner, cast.analyst}
    assert AuditEvent.objects.filter(action="session.create").count() == 1


@pytest.mark.parametrize(
    ("change", "field_message"),
    [
        ({"coders": []}, "This field is required."),
        ({"transcripts": []}, "This field is required."),
        ({"mode": "secret"}, "Select a valid choice."),
        ({"name": ""}, "This field is required."),
    ],
)
def test_a_bad_form_is_shown_again_with_the_message_and_nothing_is_created(
    cast, client_as, change, field_message
):
    response = post_form(client_as(cast.owner), cast, **change)

    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert not CodingSession.objects.exists()


def test_an_auditor_cannot_be_a_coder(cast, client_as):
    response = post_form(client_as(cast.owner), cast, coders=[cast.auditor.pk])

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not CodingSession.objects.exists()


def test_a_duplicate_name_is_refused_by_the_service_and_shown_on_the_form(cast, client_as, session):
    response = post_form(client_as(cast.owner), cast, name="Round 1")

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert CodingSession.objects.count() == 1


def test_an_analyst_may_not_open_the_new_session_form(cast, client_as):
    assert client_as(cast.analyst).get(reverse("session-create", args=["tcx"])).status_code == 403


def test_the_owner_closes_the_session_from_its_page(cast, client_as, session):
    client = client_as(cast.owner)
    assert "Close the session" in client.get(detail(session)).content.decode()

    response = client.post(reverse("session-close", args=["tcx", session.pk]), follow=True)

    session.refresh_from_db()
    assert session.state == SessionState.CLOSED
    assert "is closed" in response.content.decode()
    assert "Close the session" not in response.content.decode()


def test_closing_twice_shows_the_message_and_changes_nothing(cast, client_as, session):
    client = client_as(cast.owner)
    client.post(reverse("session-close", args=["tcx", session.pk]))

    response = client.post(reverse("session-close", args=["tcx", session.pk]), follow=True)

    assert "already closed" in response.content.decode()
    assert AuditEvent.objects.filter(action="session.close").count() == 1


def test_an_analyst_may_not_close_a_session(cast, client_as, session):
    response = client_as(cast.analyst).post(reverse("session-close", args=["tcx", session.pk]))

    assert response.status_code == 403
    session.refresh_from_db()
    assert session.state == SessionState.OPEN


def test_another_studys_session_is_404(cast, client_as):
    foreign = factories.CodingSessionFactory(study=cast.other_study)

    assert client_as(cast.owner).get(detail(foreign)).status_code == 404


def test_the_pages_run_a_fixed_number_of_queries(
    cast, client_as, session, grow, django_assert_max_num_queries
):
    grow(cast.study, dyads=3)
    session.transcripts.set(Transcript.objects.all())
    client = client_as(cast.owner)

    with django_assert_max_num_queries(8):
        client.get(reverse("session-list", args=["tcx"]))
    with django_assert_max_num_queries(9):
        client.get(detail(session))
    with django_assert_max_num_queries(9):
        client.get(reverse("session-create", args=["tcx"]))
