"""Owners invite people by e-mail: a signed, expiring link that works once."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from dyads.exceptions import Forbidden, NotFound
from dyads.invitations import invitation_accept, invitation_create
from dyads.models import AuditEvent, StudyMembership
from tests.conftest import api_as


def invite(cast, django_capture_on_commit_callbacks, email="new@example.org", role="analyst"):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            actor=cast.owner, study=cast.study, email=email, role=role, site_url="https://duet.test"
        )
    return re.search(r"https://duet\.test(/invitations/\S+/)", mail.outbox[-1].body).group(1)


def test_the_invitee_gets_a_link_creates_an_account_and_becomes_a_member(
    cast, django_capture_on_commit_callbacks
):
    path = invite(cast, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == ["new@example.org"]
    client = Client()

    response = client.post(path, {"username": "newcomer", "password": "a-long-Passphrase-42"})

    assert response.status_code == 302
    user = get_user_model().objects.get(username="newcomer")
    assert user.email == "new@example.org"
    assert StudyMembership.objects.get(study=cast.study, user=user).role == "analyst"
    assert AuditEvent.objects.filter(action="invitation.accept").exists()


def test_the_link_works_only_once(cast, django_capture_on_commit_callbacks):
    path = invite(cast, django_capture_on_commit_callbacks)
    token = path.split("/")[2]
    invitation_accept(actor=cast.outsider, token=token)
    with pytest.raises(NotFound):
        invitation_accept(actor=cast.outsider, token=token)
    assert Client().get(path).status_code == 404


def test_an_expired_or_tampered_link_is_refused(cast, django_capture_on_commit_callbacks, settings):
    path = invite(cast, django_capture_on_commit_callbacks)
    token = path.split("/")[2]
    with pytest.raises(NotFound):
        invitation_accept(actor=cast.outsider, token=token[:-2] + "xx")
    settings.DUET_INVITATION_DAYS = 0
    with pytest.raises(NotFound):
        invitation_accept(actor=cast.outsider, token=token)
    assert not StudyMembership.objects.filter(study=cast.study, user=cast.outsider).exists()


def test_a_weak_password_is_refused_and_nothing_is_created(
    cast, django_capture_on_commit_callbacks
):
    path = invite(cast, django_capture_on_commit_callbacks)
    response = Client().post(path, {"username": "newcomer", "password": "123"})
    assert response.status_code == 200
    assert b"too short" in response.content
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_only_owners_invite(cast):
    with pytest.raises(Forbidden):
        invitation_create(
            actor=cast.analyst, study=cast.study, email="x@example.org", role="owner", site_url="x"
        )


def test_the_api_invites_and_revokes(cast, django_capture_on_commit_callbacks):
    client = api_as(cast.owner)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            f"/api/v1/studies/{cast.study.pk}/invitations/",
            {"email": "api@example.org", "role": "auditor"},
            format="json",
        )
    assert created.status_code == 201 and created.data["state"] == "open"
    assert len(mail.outbox) == 1
    revoked = client.delete(f"/api/v1/studies/{cast.study.pk}/invitations/{created.data['id']}/")
    assert revoked.status_code == 204
    token = re.search(r"/invitations/(\S+)/", mail.outbox[0].body).group(1)
    with pytest.raises(NotFound):
        invitation_accept(actor=cast.outsider, token=token)


def test_a_bad_address_is_refused_naming_the_field(cast):
    response = api_as(cast.owner).post(
        f"/api/v1/studies/{cast.study.pk}/invitations/",
        {"email": "not-an-address", "role": "auditor"},
        format="json",
    )
    assert response.status_code == 400 and "email" in response.data
    assert not mail.outbox
