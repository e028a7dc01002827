"""The agreement, disagreement, comparison and calibration pages: who sees them,
that they carry no inline code, run a bounded number of queries, and that their
forms settle disagreements, fill agendas and start calibration."""

import pytest
from django.urls import reverse

from analysis.agreement.models import AgendaDisagreement, CalibrationReference, Resolution
from analysis.coding.models import SessionState
from dyads.models import AuditEvent
from tests import factories
from tests.analysis.agreement_setup import double_coded
from tests.pages.test_no_inline_code import INLINE


@pytest.fixture
def setup(cast):
    return double_coded(cast)


def urls(setup) -> dict[str, str]:
    slug, session = setup.study.slug, setup.session.pk
    return {
        "agreement": reverse("agreement", args=[slug]) + f"?session={session}",
        "disagreements": reverse("disagreements", args=[slug, session]),
        "comparison": reverse("comparison", args=[slug, session, setup.revision.transcript_id]),
        "calibration": reverse("calibration", args=[slug]),
    }


@pytest.mark.parametrize("page", ["agreement", "disagreements", "comparison", "calibration"])
@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 200), ("analyst", 200), ("auditor", 200), ("interviewer", 403), ("outsider", 404)],
)
def test_members_who_see_the_analysis_see_the_page(setup, cast, client_as, page, role, status):
    assert client_as(cast.user(role)).get(urls(setup)[page]).status_code == status


@pytest.mark.parametrize("page", ["agreement", "disagreements", "comparison", "calibration"])
def test_the_page_has_no_inline_script_or_style(setup, cast, client_as, page):
    html = client_as(cast.owner).get(urls(setup)[page]).content.decode()

    for pattern, what in INLINE:
        assert not pattern.search(html), f"{page} has an {what}"


def test_the_agreement_page_shows_the_tables_and_charts(setup, cast, client_as):
    html = client_as(cast.analyst).get(urls(setup)["agreement"]).content.decode()

    assert "Krippendorff's α" in html
    assert 'id="heatmap-chart"' in html
    assert 'id="drift-chart"' in html
    assert "Rare code (2 passages)" in html
    assert reverse("disagreements", args=[cast.study.slug, setup.session.pk]) in html


def test_a_first_visit_shows_the_latest_closed_round(setup, cast, client_as):
    html = client_as(cast.owner).get(reverse("agreement", args=[cast.study.slug])).content.decode()

    assert f'<option value="{setup.session.pk}" selected>' in html


def test_a_bad_choice_is_explained_on_the_page(setup, cast, client_as):
    response = client_as(cast.owner).get(urls(setup)["agreement"] + "&unit=word")

    assert response.status_code == 200
    assert "Unknown unit &#x27;word&#x27;" in response.content.decode()


def test_an_open_blind_session_is_not_compared_for_its_coders(cast, client_as):
    setup = double_coded(cast, state=SessionState.OPEN)

    assert client_as(setup.first).get(urls(setup)["comparison"]).status_code == 403
    assert client_as(setup.first).get(urls(setup)["disagreements"]).status_code == 403
    assert client_as(cast.owner).get(urls(setup)["comparison"]).status_code == 200


@pytest.mark.parametrize(("table", "start"), [("codes", "Code ID,Code"), ("pairs", "Coder,Coder")])
def test_the_tables_download_from_the_page(setup, cast, client_as, table, start):
    export = reverse("agreement-export", args=[cast.study.slug])

    response = client_as(cast.owner).get(f"{export}?session={setup.session.pk}&table={table}")

    assert response["Content-Disposition"].endswith(f'agreement-{table}.csv"')
    assert response.content.decode().startswith(start)
    workbook = client_as(cast.owner).get(f"{export}?session={setup.session.pk}&format=xlsx")
    assert workbook.content[:2] == b"PK"
    bad = client_as(cast.owner).get(f"{export}?session={setup.session.pk}&table=nope")
    assert bad.status_code == 400


def grow(setup, cast, transcripts: int):
    first = setup.session.transcripts.count() + 1
    for number in range(first, first + transcripts):
        interview = factories.InterviewFactory(participant=cast.dyad.client, sequence_number=number)
        revision = factories.revision_for(interview)
        setup.session.transcripts.add(revision.transcript)
        for coder, end in zip(setup.coders, (90, 100), strict=True):
            factories.CodingFactory(
                revision=revision,
                code=setup.a,
                coder=coder,
                session=setup.session,
                start=70,
                end=end,
            )


@pytest.mark.parametrize(
    ("page", "most"), [("agreement", 30), ("disagreements", 25), ("comparison", 21)]
)
def test_the_page_runs_the_same_number_of_queries_as_the_session_grows(
    setup, cast, client_as, django_assert_max_num_queries, page, most
):
    client = client_as(cast.owner)
    grow(setup, cast, 1)
    with django_assert_max_num_queries(most) as small:
        client.get(urls(setup)[page])
    grow(setup, cast, 4)

    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(urls(setup)[page]).status_code == 200


def resolve_form(setup, **changes) -> dict:
    return {
        "transcript": setup.revision.transcript_id,
        "revision": setup.revision.pk,
        "code": setup.a.pk,
        "start": 68,
        "end": 110,
        "choice": "accept:analyst",
        "reason": "The first coder kept to the sentence.",
        **changes,
    }


def test_settling_a_disagreement_from_the_comparison_page(setup, cast, client_as):
    resolve = reverse("resolve", args=[cast.study.slug, setup.session.pk])

    response = client_as(cast.owner).post(resolve, resolve_form(setup), follow=True)

    resolution = Resolution.objects.get()
    assert (resolution.kind, resolution.coder, resolution.spans) == (
        "accept",
        setup.first,
        [[68, 100]],
    )
    html = response.content.decode()
    assert "it is in the consensus now" in html
    assert "The first coder kept to the sentence." in html
    assert "Audit event #" in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason": ""}, "Say why"),
        ({"choice": "accept:nobody"}, "not a coder of this session"),
        (
            {"choice": "edited", "edited_start": "0", "edited_end": "999"},
            "must lie within the text",
        ),
        ({"start": "abc"}, "Enter a whole number"),
        ({"code": "999999"}, "not part of this study"),
    ],
)
def test_a_bad_resolution_from_the_page_is_explained_and_writes_nothing(
    setup, cast, client_as, changes, message
):
    resolve = reverse("resolve", args=[cast.study.slug, setup.session.pk])

    response = client_as(cast.owner).post(resolve, resolve_form(setup, **changes), follow=True)

    assert message in response.content.decode()
    assert not Resolution.objects.exists()


def test_an_auditor_cannot_settle_from_the_page(setup, cast, client_as):
    resolve = reverse("resolve", args=[cast.study.slug, setup.session.pk])

    assert client_as(cast.auditor).post(resolve, resolve_form(setup)).status_code == 403
    assert not Resolution.objects.exists()


def test_withdrawing_from_the_page_reopens_the_disagreement(setup, cast, client_as):
    client = client_as(cast.owner)
    client.post(reverse("resolve", args=[cast.study.slug, setup.session.pk]), resolve_form(setup))
    resolution = Resolution.objects.get()
    withdraw = reverse(
        "resolution-withdraw", args=[cast.study.slug, setup.session.pk, resolution.pk]
    )

    client.post(withdraw, {"reason": "", "transcript": setup.revision.transcript_id})
    assert Resolution.objects.get().withdrawn_at is None
    client.post(withdraw, {"reason": "Re-read it.", "transcript": setup.revision.transcript_id})
    assert Resolution.objects.get().withdrawn_at is not None


def test_the_queue_puts_disagreements_on_a_meeting_agenda(setup, cast, client_as):
    meeting = factories.MeetingFactory(
        study=cast.study, title="Round 1 review", created_by=cast.owner
    )
    agenda = reverse("disagreements-agenda", args=[cast.study.slug, setup.session.pk])
    chosen = f"{setup.revision.pk}:{setup.a.pk}:5:30"

    response = client_as(setup.first).post(
        agenda, {"meeting": meeting.pk, "passages": [chosen]}, follow=True
    )

    assert "1 disagreement put on the agenda of “Round 1 review”" in response.content.decode()
    assert AgendaDisagreement.objects.get().start == 5
    refused = client_as(setup.first).post(
        agenda, {"meeting": "x", "passages": [chosen]}, follow=True
    )
    assert "Choose a meeting of this study." in refused.content.decode()
    assert AgendaDisagreement.objects.count() == 1


def test_putting_nothing_ticked_on_the_agenda_does_nothing_and_says_so(setup, cast, client_as):
    meeting = factories.MeetingFactory(study=cast.study, created_by=cast.owner)
    agenda = reverse("disagreements-agenda", args=[cast.study.slug, setup.session.pk])
    events = AuditEvent.objects.count()

    response = client_as(setup.first).post(agenda, {"meeting": meeting.pk}, follow=True)

    assert "No disagreement was ticked, so nothing was put on the agenda" in (
        response.content.decode()
    )
    assert not AgendaDisagreement.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_button_for_every_unresolved_one_puts_them_all_on_the_agenda(setup, cast, client_as):
    meeting = factories.MeetingFactory(study=cast.study, created_by=cast.owner)
    agenda = reverse("disagreements-agenda", args=[cast.study.slug, setup.session.pk])

    response = client_as(setup.first).post(
        agenda, {"meeting": meeting.pk, "scope": "unresolved"}, follow=True
    )

    assert "3 disagreements put on the agenda" in response.content.decode()
    assert AgendaDisagreement.objects.count() == 3


def test_an_owner_marks_a_reference_and_starts_an_attempt_from_the_page(setup, cast, client_as):
    client = client_as(cast.owner)
    trainee = factories.MembershipFactory(study=cast.study, user__username="trainee").user

    client.post(
        reverse("calibration-reference-create", args=[cast.study.slug]),
        {
            "name": "Reference one",
            "source": f"{setup.session.pk}:{setup.revision.transcript_id}",
            "coder": "analyst",
        },
    )
    reference = CalibrationReference.objects.get()
    response = client.post(
        reverse("calibration-attempt-start", args=[cast.study.slug]),
        {"reference": reference.pk, "trainee": trainee.username},
        follow=True,
    )

    assert "trainee can now code “Reference one” blind" in response.content.decode()
    attempt = reference.attempts.get()
    page = client_as(trainee).get(reverse("calibration", args=[cast.study.slug])).content.decode()
    assert f"?session={attempt.session_id}" in page
    submitted = client_as(trainee).post(
        reverse("calibration-submit", args=[cast.study.slug, attempt.pk]), follow=True
    )
    assert "how your coding compares with the reference" in submitted.content.decode()
    assert "Missed: in the reference, not coded (3)" in submitted.content.decode()
