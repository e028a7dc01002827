"""Coding sessions through the API: coders mark transcripts done (and reopen
them), the progress shows each coder per transcript, the owner closes the
session, and blind or open mode decides whose codings a coder sees."""

import pytest

from analysis.coding.models import CodingSession, SessionMode, SessionProgress, SessionState
from dyads.models import AuditEvent
from tests import factories
from tests.conftest import api_as


@pytest.fixture
def second_coder(cast):
    user = factories.UserFactory(username="kari")
    factories.MembershipFactory(study=cast.study, user=user)
    return user


def make_session(cast, coders, mode=SessionMode.BLIND) -> CodingSession:
    return factories.CodingSessionFactory(
        study=cast.study,
        mode=mode,
        created_by=cast.owner,
        coders=coders,
        transcripts=[cast.revision.transcript],
    )


@pytest.fixture
def session(cast, second_coder):
    return make_session(cast, [cast.analyst, second_coder])


def done(user, session, transcript):
    return api_as(user).post(
        f"/api/v1/coding-sessions/{session.pk}/done/", {"transcript": transcript}, format="json"
    )


def code(user, session, cast, start=0, end=4):
    return api_as(user).post(
        "/api/v1/codings/",
        {
            "revision": cast.revision.pk,
            "start": start,
            "end": end,
            "code": factories.CodeFactory(study=cast.study).pk,
            "session": session.pk,
        },
        format="json",
    )


def test_a_coder_marks_a_transcript_done_and_the_progress_shows_it(cast, session):
    transcript = cast.revision.transcript

    response = done(cast.analyst, session, transcript.pk)

    assert response.status_code == 200, response.data
    row = response.data["transcripts"][0]
    assert row["transcript"] == transcript.pk
    assert row["coders"]["analyst"]["done_at"] is not None
    assert row["coders"]["kari"]["done_at"] is None
    assert response.data["coders"] == [
        {"coder": "analyst", "done": 1, "codings": 0},
        {"coder": "kari", "done": 0, "codings": 0},
    ]
    event = AuditEvent.objects.get(action="session.transcript_done")
    assert (event.actor, event.new_value["transcript"]) == (cast.analyst, transcript.pk)


def test_a_coder_reopens_a_transcript_they_had_marked_done(cast, session):
    transcript = cast.revision.transcript
    done(cast.analyst, session, transcript.pk)

    response = api_as(cast.analyst).post(
        f"/api/v1/coding-sessions/{session.pk}/reopen/",
        {"transcript": transcript.pk},
        format="json",
    )

    assert response.status_code == 200
    assert response.data["transcripts"][0]["coders"]["analyst"]["done_at"] is None
    assert SessionProgress.objects.get().done_at is None
    assert AuditEvent.objects.filter(action="session.transcript_reopen").count() == 1


def test_progress_counts_each_coders_live_codings_per_transcript(
    cast, session, second_coder, django_assert_max_num_queries
):
    code(cast.analyst, session, cast)
    code(cast.analyst, session, cast, 5, 9)
    removed = code(second_coder, session, cast).data["id"]
    api_as(second_coder).delete(f"/api/v1/codings/{removed}/")

    with django_assert_max_num_queries(9):
        response = api_as(cast.owner).get(f"/api/v1/coding-sessions/{session.pk}/progress/")

    counts = {
        coder: cell["codings"] for coder, cell in response.data["transcripts"][0]["coders"].items()
    }
    assert counts == {"analyst": 2, "kari": 0}


def test_marking_done_twice_is_refused_and_changes_nothing(cast, session):
    transcript = cast.revision.transcript
    done(cast.analyst, session, transcript.pk)
    first = SessionProgress.objects.get().done_at

    response = done(cast.analyst, session, transcript.pk)

    assert response.status_code == 400
    assert "already marked" in response.data["transcript"]
    assert SessionProgress.objects.get().done_at == first


def test_reopening_a_transcript_not_marked_done_is_refused(cast, session):
    response = api_as(cast.analyst).post(
        f"/api/v1/coding-sessions/{session.pk}/reopen/",
        {"transcript": cast.revision.transcript.pk},
        format="json",
    )

    assert response.status_code == 400
    assert "not marked done" in response.data["transcript"]
    assert not SessionProgress.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "transcript", "required"),
        ({"transcript": 999_999}, "transcript", "does not exist"),
        ({"transcript": "seven"}, "transcript", "Incorrect type"),
    ],
)
def test_a_bad_transcript_is_refused_naming_the_field(cast, session, body, field, message):
    response = api_as(cast.analyst).post(
        f"/api/v1/coding-sessions/{session.pk}/done/", body, format="json"
    )

    assert response.status_code == 400
    assert message in str(response.data[field])
    assert not SessionProgress.objects.exists()


def test_a_transcript_outside_the_session_is_refused(cast, session):
    other = factories.revision_for(cast.therapist_interview).transcript

    response = done(cast.analyst, session, other.pk)

    assert response.status_code == 400
    assert "not part of session" in response.data["transcript"]
    assert not SessionProgress.objects.exists()


def test_a_member_who_does_not_code_in_the_session_cannot_mark_done(cast, session):
    response = done(cast.owner, session, cast.revision.transcript.pk)

    assert response.status_code == 400
    assert "not a coder" in response.data["session"]
    assert not SessionProgress.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("auditor", 403), ("outsider", 404)])
def test_an_auditor_or_outsider_cannot_mark_done(cast, session, role, status):
    response = done(cast.user(role), session, cast.revision.transcript.pk)

    assert response.status_code == status
    assert not SessionProgress.objects.exists()


def test_the_owner_closes_the_session_and_done_marks_are_refused_after(cast, session):
    response = api_as(cast.owner).post(f"/api/v1/coding-sessions/{session.pk}/close/")

    assert response.status_code == 200
    assert response.data["state"] == SessionState.CLOSED
    refused = done(cast.analyst, session, cast.revision.transcript.pk)
    assert refused.status_code == 400
    assert "closed" in refused.data["session"]
    assert not SessionProgress.objects.exists()


def test_an_analyst_cannot_close_a_session(cast, session):
    response = api_as(cast.analyst).post(f"/api/v1/coding-sessions/{session.pk}/close/")

    assert response.status_code == 403
    session.refresh_from_db()
    assert session.state == SessionState.OPEN


def test_closing_a_closed_session_is_refused(cast, session):
    api_as(cast.owner).post(f"/api/v1/coding-sessions/{session.pk}/close/")

    response = api_as(cast.owner).post(f"/api/v1/coding-sessions/{session.pk}/close/")

    assert response.status_code == 400
    assert "already closed" in response.data["detail"]


def visible_coders(user, session, cast) -> dict[str, list[str]]:
    """Whose codings `user` sees, through the compact feed and the paginated list."""
    client = api_as(user)
    feed = client.get(f"/api/v1/revisions/{cast.revision.pk}/codings/?session={session.pk}")
    listed = client.get(f"/api/v1/codings/?revision={cast.revision.pk}&session={session.pk}")
    return {
        "feed": sorted(c["coder"] for c in feed.data["codings"]),
        "list": sorted(c["coder"] for c in listed.data["results"]),
    }


def test_in_a_blind_session_coders_see_only_their_own_codings_until_it_closes(
    cast, session, second_coder
):
    code(cast.analyst, session, cast)
    code(second_coder, session, cast, 5, 9)

    assert visible_coders(cast.analyst, session, cast) == {"feed": ["analyst"], "list": ["analyst"]}
    assert visible_coders(second_coder, session, cast) == {"feed": ["kari"], "list": ["kari"]}
    assert visible_coders(cast.owner, session, cast)["feed"] == ["analyst", "kari"]

    api_as(cast.owner).post(f"/api/v1/coding-sessions/{session.pk}/close/")

    both = {"feed": ["analyst", "kari"], "list": ["analyst", "kari"]}
    assert visible_coders(cast.analyst, session, cast) == both
    assert visible_coders(second_coder, session, cast) == both


def test_in_an_open_session_coders_see_each_others_codings(cast, second_coder):
    session = make_session(cast, [cast.analyst, second_coder], mode=SessionMode.OPEN)
    code(cast.analyst, session, cast)
    code(second_coder, session, cast, 5, 9)

    both = {"feed": ["analyst", "kari"], "list": ["analyst", "kari"]}
    assert visible_coders(cast.analyst, session, cast) == both
    assert visible_coders(second_coder, session, cast) == both
