"""Each link is HMAC-SHA256 under a key the database does not hold: whoever rewrites an
event and recomputes the chain without the key is caught; the key can be rotated."""

import hashlib
import hmac
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from dyads.audit import audit_verify, canonical_form, payload_digest, value_json
from dyads.models import AuditChainHead, AuditEvent
from dyads.services import site_create

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the rewrite uses PostgreSQL's replica role"
)


def plain_sha256(previous: str, canonical: bytes) -> str:
    return hashlib.sha256(previous.encode() + canonical).hexdigest()


def under(key: bytes):
    return lambda previous, canonical: hmac.new(
        key, previous.encode() + canonical, "sha256"
    ).hexdigest()


def audited_study(cast) -> list[AuditEvent]:
    for name in ("North", "South", "East", "West"):
        site_create(actor=cast.owner, study=cast.study, name=name)
    return list(AuditEvent.objects.filter(study=cast.study).order_by("sequence"))


def rewrite_and_rechain(study, sequence: int, new_value: dict, link) -> None:
    """What a database owner can do: change an event, recompute its payload digest and
    every later link with `link`, and move the chain head, triggers off."""
    events = list(AuditEvent.objects.filter(study=study).order_by("sequence"))
    previous = events[sequence - 2].hash
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET session_replication_role = replica")
        for event in events[sequence - 1 :]:
            if event.sequence == sequence:
                event.new_value = new_value
                event.payload_digest = payload_digest(
                    value_json(event.old_value),
                    value_json(new_value),
                    event.reason,
                    event.payload_salt,
                )
            event.previous_hash = previous
            event.hash = previous = link(previous, canonical_form(event))
            cursor.execute(
                "UPDATE dyads_auditevent SET new_value = %s::jsonb, payload_digest = %s, "
                "previous_hash = %s, hash = %s WHERE id = %s",
                [
                    value_json(event.new_value),
                    event.payload_digest,
                    event.previous_hash,
                    event.hash,
                    event.pk,
                ],
            )
        cursor.execute(
            "UPDATE dyads_auditchainhead SET last_hash = %s WHERE study_id = %s",
            [previous, study.pk],
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def verify(slug: str) -> str:
    out = StringIO()
    call_command("verify_audit", "--study", slug, stdout=out)
    return out.getvalue()


def test_each_link_is_an_hmac_under_the_configured_key(cast, settings):
    events = audited_study(cast)

    for event in events:
        expected = under(settings.AUDIT_HMAC_KEY.encode())(
            event.previous_hash, canonical_form(event)
        )
        assert event.hash == expected


def test_a_chain_checked_under_another_key_is_broken_at_its_first_event(cast, settings):
    events = audited_study(cast)
    settings.AUDIT_HMAC_KEY = "another key, 32 characters or more"

    report = audit_verify(study=cast.study)

    assert report.first_broken == events[0]
    assert report.problem == "content does not match its hash"


@postgres_only
@pytest.mark.parametrize(
    "link", [plain_sha256, under(b"a guessed key")], ids=["plain SHA-256", "a wrong key"]
)
def test_a_chain_rewritten_without_the_key_fails_verify_audit(cast, link):
    events = audited_study(cast)

    rewrite_and_rechain(cast.study, 2, {"name": "Forged clinic"}, link)

    with pytest.raises(CommandError) as refused:
        verify("tcx")
    assert refused.value.returncode == 1
    assert f"event #2 (id {events[1].pk}, site.create) content does not match its hash" in str(
        refused.value
    )


@postgres_only
def test_a_chain_rewritten_with_the_key_passes_verify_audit(cast, settings):
    """The limit of the key: its holder can rewrite unnoticed by verify_audit alone (a
    signed checkpoint kept elsewhere still exposes it)."""
    audited_study(cast)

    rewrite_and_rechain(
        cast.study, 2, {"name": "Forged clinic"}, under(settings.AUDIT_HMAC_KEY.encode())
    )

    assert "intact" in verify("tcx")


def test_rotating_the_key_re_anchors_every_chain_with_a_recorded_event(cast, settings, tmp_path):
    events = audited_study(cast)
    site_create(actor=cast.outsider, study=cast.other_study, name="Elsewhere")
    old_head = AuditChainHead.objects.get(study=cast.study)
    old_key = tmp_path / "old.key"
    old_key.write_text(settings.AUDIT_HMAC_KEY + "\n")
    settings.AUDIT_HMAC_KEY = "the new key, 32 characters or more"

    out = StringIO()
    call_command("rotate_audit_key", "--old-key-file", str(old_key), stdout=out)

    rekey = AuditEvent.objects.get(study=cast.study, sequence=len(events) + 1)
    assert rekey.action == "audit.rekey"
    assert rekey.new_value["previous_head"] == old_head.last_hash
    assert rekey.new_value["previous_sequence"] == old_head.sequence
    assert rekey.new_value["previous_chain"] == "intact"
    assert audit_verify(study=cast.study).intact
    assert audit_verify(study=cast.other_study).intact
    assert "tcx re-anchored" in out.getvalue()


def test_rotating_from_a_wrong_old_key_is_refused_and_changes_nothing(cast, settings, tmp_path):
    events = audited_study(cast)
    wrong = tmp_path / "wrong.key"
    wrong.write_text("not the key that made these chains")
    settings.AUDIT_HMAC_KEY = "the new key, 32 characters or more"

    with pytest.raises(CommandError) as refused:
        call_command("rotate_audit_key", "--old-key-file", str(wrong))

    assert refused.value.returncode == 1
    assert "does not verify under the old key" in str(refused.value)
    assert [event.hash for event in AuditEvent.objects.filter(study=cast.study)] == [
        event.hash for event in events
    ]
