"""The database itself refuses invalid study rows, whatever code writes them."""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dyads.models import AuditEvent, Dyad, Participant, RecruitmentEvent, Site, StudyMembership
from tests import factories

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="composite foreign keys exist on PostgreSQL only"
)


@contextmanager
def refused_by_the_database():
    """Expect an IntegrityError, also from a deferred constraint checked at commit."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield
        connection.check_constraints()


@pytest.fixture
def study(db):
    return factories.StudyFactory(slug="tcx")


@postgres_only
def test_a_dyad_refuses_a_client_as_its_therapist(study):
    client, other_client = factories.ParticipantFactory.create_batch(2, study=study)

    with refused_by_the_database():
        Dyad.objects.create(study=study, label="Dyad 1", therapist=client, client=other_client)


@postgres_only
def test_a_dyad_refuses_a_therapist_as_its_client(study):
    therapist, other_therapist = factories.TherapistFactory.create_batch(2, study=study)

    with refused_by_the_database():
        Dyad.objects.create(
            study=study, label="Dyad 1", therapist=therapist, client=other_therapist
        )


@postgres_only
def test_a_dyad_refuses_a_partner_from_another_study(study):
    other_study = factories.StudyFactory()
    therapist = factories.TherapistFactory(study=other_study)
    client = factories.ParticipantFactory(study=study)

    with refused_by_the_database():
        Dyad.objects.create(study=study, label="Dyad 1", therapist=therapist, client=client)


def test_a_dyad_pairs_a_therapist_and_a_client_of_its_study(study):
    therapist = factories.TherapistFactory(study=study)
    client = factories.ParticipantFactory(study=study)

    Dyad.objects.create(study=study, label="Dyad 1", therapist=therapist, client=client)
    connection.check_constraints()

    assert Dyad.objects.filter(study=study).count() == 1


def test_a_dyad_cannot_claim_other_roles_for_its_partners(study):
    therapist = factories.TherapistFactory(study=study)
    client = factories.ParticipantFactory(study=study)

    with refused_by_the_database():
        Dyad.objects.create(
            study=study,
            label="Dyad 1",
            therapist=client,
            client=therapist,
            therapist_role="client",
            client_role="therapist",
        )


def test_a_client_is_in_one_dyad_only(study):
    dyad = factories.DyadFactory(study=study)
    therapist = factories.TherapistFactory(study=study)

    with refused_by_the_database():
        Dyad.objects.create(study=study, label="Dyad 2", therapist=therapist, client=dyad.client)


def test_a_therapist_may_be_in_several_dyads(study):
    dyad = factories.DyadFactory(study=study)

    factories.DyadFactory(study=study, therapist=dyad.therapist)
    connection.check_constraints()

    assert dyad.therapist.dyads_as_therapist.count() == 2


def test_dyad_labels_are_unique_within_a_study(study):
    factories.DyadFactory(study=study, label="Dyad 1")
    factories.DyadFactory(label="Dyad 1")

    with refused_by_the_database():
        factories.DyadFactory(study=study, label="Dyad 1")


def test_pseudonyms_are_unique_within_a_study(study):
    factories.ParticipantFactory(study=study, pseudonym="C1")
    factories.ParticipantFactory(pseudonym="C1")

    with refused_by_the_database():
        factories.TherapistFactory(study=study, pseudonym="C1")


def test_a_participant_is_a_therapist_or_a_client(study):
    with refused_by_the_database():
        factories.ParticipantFactory(study=study, role="supervisor")


@pytest.mark.parametrize("age", [15, 111])
def test_a_participant_age_must_be_plausible(study, age):
    with refused_by_the_database():
        factories.ParticipantFactory(study=study, age=age)


def test_a_participant_age_may_be_unknown(study):
    factories.ParticipantFactory(study=study, age=None)

    assert Participant.objects.filter(study=study, age__isnull=True).exists()


def test_a_user_has_one_active_membership_per_study(study):
    membership = factories.MembershipFactory(study=study)

    with refused_by_the_database():
        StudyMembership.objects.create(study=study, user=membership.user, role="auditor")


def test_a_former_member_may_join_again(study):
    membership = factories.MembershipFactory(study=study)
    membership.removed_at = timezone.now()
    membership.save()

    StudyMembership.objects.create(study=study, user=membership.user, role="auditor")

    assert StudyMembership.objects.filter(study=study, user=membership.user).count() == 2


def test_a_membership_role_must_be_known(study):
    with refused_by_the_database():
        factories.MembershipFactory(study=study, role="supervisor")


def test_site_names_are_unique_within_a_study(study):
    Site.objects.create(study=study, name="Nordvik clinic")
    factories.SiteFactory(name="Nordvik clinic")

    with refused_by_the_database():
        Site.objects.create(study=study, name="Nordvik clinic")


@pytest.mark.parametrize("step", ["dropped_out", "declined"])
def test_a_drop_out_or_a_refusal_needs_a_reason(study, step):
    with refused_by_the_database():
        RecruitmentEvent.objects.create(
            study=study, step=step, role="client", occurred_on=dt.date(2026, 1, 5)
        )


def test_other_recruitment_steps_need_no_reason(study):
    RecruitmentEvent.objects.create(
        study=study, step="recruited", role="client", occurred_on=dt.date(2026, 1, 5)
    )

    assert RecruitmentEvent.objects.filter(study=study).count() == 1


def test_audit_sequence_numbers_are_unique_within_a_study(study):
    def event(study, sequence):
        return AuditEvent.objects.create(
            study=study,
            sequence=sequence,
            created_at=timezone.now(),
            action="site.create",
            object_type="dyads.site",
            object_id="1",
            previous_hash="0" * 64,
            hash="1" * 64,
        )

    event(study, 1)
    event(factories.StudyFactory(), 1)

    with refused_by_the_database():
        event(study, 1)
