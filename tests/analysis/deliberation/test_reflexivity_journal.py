"""The reflexivity journal: private entries stay private (even in the audit trail),
shared ones appear in the meeting timeline."""

import datetime as dt
import hashlib
import re

import pytest
from django.urls import reverse

from analysis.deliberation.services.journal import (
    journal_entry_create,
    journal_entry_delete,
    journal_entry_update,
)
from dyads.exceptions import Conflict, DomainError, Forbidden, NotFound
from dyads.models import AuditEvent
from tests.analysis.audit_setup import signed_in
from tests.conftest import api_as
from tests.dyads.service_calls import row_counts


def write(cast, *, shared=False, text="I flinched when T1 spoke of leaving."):
    return journal_entry_create(
        actor=cast.analyst, study=cast.study, date=dt.date(2026, 5, 4), text=text, shared=shared
    )


def test_a_private_entry_leaves_no_words_in_the_audit_trail(cast):
    entry = write(cast)

    event = AuditEvent.objects.get(action="journal.create")
    assert "text" not in event.new_value
    assert event.new_value["text_sha256"] == hashlib.sha256(entry.text.encode()).hexdigest()
    assert "flinched" not in str(event.new_value)


def test_a_private_entry_is_seen_by_its_author_only(cast):
    entry = write(cast)

    mine = api_as(cast.analyst).get(f"/api/v1/journal-entries/?study={cast.study.pk}")
    owners = api_as(cast.owner).get(f"/api/v1/journal-entries/?study={cast.study.pk}")

    assert [e["id"] for e in mine.data["results"]] == [entry.pk]
    assert owners.data["count"] == 0
    with pytest.raises(NotFound):
        journal_entry_update(actor=cast.owner, entry=entry, text="Edited.")


def test_a_shared_entry_appears_in_the_meeting_timeline(cast, client):
    write(cast, shared=True, text="We all wanted Safety to be about the room.")

    html = signed_in(client, cast.auditor).get(reverse("meeting-list", args=["tcx"]))

    assert "We all wanted Safety to be about the room." in html.content.decode()
    assert "Reflexive memo" in html.content.decode()


def test_sharing_an_entry_later_reveals_it_in_the_trail(cast):
    entry = write(cast)

    journal_entry_update(actor=cast.analyst, entry=entry, shared=True)

    event = AuditEvent.objects.get(action="journal.update")
    assert event.old_value == {"shared": False}
    assert event.new_value == {"shared": True}


def test_only_the_author_changes_a_shared_entry(cast):
    entry = write(cast, shared=True)

    with pytest.raises(Forbidden):
        journal_entry_update(actor=cast.owner, entry=entry, text="Edited.")
    with pytest.raises(Conflict):
        journal_entry_update(actor=cast.analyst, entry=entry, version=7, text="Stale.")
    journal_entry_delete(actor=cast.analyst, entry=entry)

    entry.refresh_from_db()
    assert entry.deleted_at is not None


def test_an_empty_entry_is_refused_and_nothing_is_written(cast):
    before = row_counts()

    with pytest.raises(DomainError) as refused:
        write(cast, text="<script>x</script>  ")

    assert "text" in refused.value.detail
    assert row_counts() == before


def test_an_auditor_keeps_no_journal(cast, client):
    assert signed_in(client, cast.auditor).get(reverse("journal", args=["tcx"])).status_code == 403


def test_the_journal_page_adds_an_entry(cast, client):
    client = signed_in(client, cast.interviewer)

    answer = client.post(
        reverse("journal", args=["tcx"]), {"date": "2026-05-04", "text": "Tired today."}
    )

    assert answer.status_code == 302
    assert "Tired today." in client.get(reverse("journal", args=["tcx"])).content.decode()


def test_the_journal_form_shows_the_date_it_holds(cast, client):
    client = signed_in(client, cast.interviewer)
    entry = journal_entry_create(
        actor=cast.interviewer, study=cast.study, date=dt.date(2026, 5, 4), text="Tired."
    )

    new = client.get(reverse("journal", args=["tcx"])).content.decode()
    edit = client.get(reverse("journal-entry", args=["tcx", entry.pk])).content.decode()

    assert 'type="date"' in new and 'value="20' in new
    assert 'value="2026-05-04"' in edit


def test_every_link_on_an_interviewers_journal_leads_somewhere_they_may_go(cast, client):
    client = signed_in(client, cast.interviewer)
    journal_entry_create(
        actor=cast.interviewer, study=cast.study, date=dt.date(2026, 5, 4), text="Mine", shared=True
    )
    write(cast, shared=True)
    html = client.get(reverse("journal", args=["tcx"])).content.decode()

    links = set(re.findall(r'href="(/studies/[^"#?]*)', html))

    assert links
    refused = [link for link in links if client.get(link).status_code != 200]
    assert refused == []
