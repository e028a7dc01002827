"""Signed checkpoints of a chain head: published, downloadable by supervisors, and
`verify_audit --checkpoint` proves that today's chain extends one, or fails loudly."""

import base64
import io
import json
from io import StringIO

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from docx import Document

from analysis.supervision.audit_document import audit_report_docx
from analysis.supervision.audit_report import Period
from dyads.audit.checkpoints import (
    audit_checkpoint_publish,
    checkpoint_document,
    public_key_hex,
    signed_bytes,
)
from dyads.models import AuditCheckpoint
from dyads.services import site_create
from dyads.tasks import audit_checkpoints_publish_task
from tests.dyads.test_audit_keyed_chain import rewrite_and_rechain, under

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the rewrite uses PostgreSQL's replica role"
)


def sites(cast, *names: str) -> None:
    for name in names:
        site_create(actor=cast.owner, study=cast.study, name=name)


@pytest.fixture
def kept(cast, tmp_path):
    """A checkpoint of three events, kept in a file as a supervisor would."""
    sites(cast, "North", "South", "East")
    checkpoint = audit_checkpoint_publish(study=cast.study)
    path = tmp_path / "checkpoint.json"
    path.write_text(checkpoint_document(checkpoint))
    return path


def verify(path, slug: str = "tcx") -> str:
    out = StringIO()
    call_command("verify_audit", "--study", slug, "--checkpoint", str(path), stdout=out)
    return out.getvalue()


def refusal(path, slug: str = "tcx") -> str:
    with pytest.raises(CommandError) as refused:
        verify(path, slug)
    assert refused.value.returncode == 1
    return str(refused.value)


def test_a_checkpoint_signs_the_head_with_the_configured_key(cast, kept, settings):
    statement = json.loads(kept.read_text())
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(settings.AUDIT_SIGNING_KEY))

    key.public_key().verify(base64.b64decode(statement["signature"]), signed_bytes(statement))
    assert statement["sequence"] == 3
    assert statement["study"] == cast.study.pk
    assert statement["public_key"] == public_key_hex()


def test_a_chain_that_grew_extends_its_checkpoint(cast, kept):
    sites(cast, "West")

    out = verify(kept)

    assert "event #3 has the hash the checkpoint signed" in out
    assert "Audit chain of tcx intact: 4 events" in out


@postgres_only
def test_a_checkpoint_taken_before_a_rewrite_exposes_it_even_to_the_key_holder(
    cast, kept, settings
):
    sites(cast, "West")
    rewrite_and_rechain(
        cast.study, 2, {"name": "Forged clinic"}, under(settings.AUDIT_HMAC_KEY.encode())
    )

    message = refusal(kept)

    assert "does NOT extend the checkpoint" in message
    assert "event #3 no longer has the hash the checkpoint signed" in message


def test_a_changed_checkpoint_file_is_refused(cast, kept):
    statement = json.loads(kept.read_text())
    kept.write_text(json.dumps({**statement, "sequence": 2}))

    assert "its signature is false" in refusal(kept)


def test_a_checkpoint_signed_by_an_unknown_key_is_refused(cast, kept):
    statement = json.loads(kept.read_text())
    stranger = Ed25519PrivateKey.generate()
    forged = {
        **statement,
        "public_key": public_key_hex(stranger.public_key()),
        "signature": base64.b64encode(stranger.sign(signed_bytes(statement))).decode(),
    }
    kept.write_text(json.dumps(forged))

    assert "signed by a key this server does not trust" in refusal(kept)


def test_a_checkpoint_of_another_study_is_refused(cast, kept):
    site_create(actor=cast.outsider, study=cast.other_study, name="Elsewhere")

    assert "of another study" in refusal(kept, cast.other_study.slug)


def test_the_periodic_task_publishes_only_chains_that_moved(cast, kept):
    site_create(actor=cast.outsider, study=cast.other_study, name="Elsewhere")

    published = audit_checkpoints_publish_task()
    again = audit_checkpoints_publish_task()

    assert (published, again) == (1, 0)
    assert AuditCheckpoint.objects.filter(study=cast.other_study).count() == 1


def test_audit_checkpoint_writes_the_latest_checkpoint_to_a_file(cast, tmp_path):
    sites(cast, "North")
    out = tmp_path / "kept.json"

    call_command("audit_checkpoint", "--study", "tcx", "--out", str(out), stdout=StringIO())

    assert "intact" in verify(out)


def test_supervisors_download_the_checkpoint_from_the_audit_pages(cast, kept, client):
    client.force_login(cast.auditor)
    download = client.get(reverse("audit-checkpoint", args=["tcx"]))
    page = client.get(reverse("audit-verify", args=["tcx"]))
    client.force_login(cast.analyst)
    refused = client.get(reverse("audit-checkpoint", args=["tcx"]))

    assert download.status_code == 200
    assert download["Content-Disposition"] == ('attachment; filename="audit-checkpoint-tcx-3.json"')
    assert json.loads(download.content) == json.loads(kept.read_text())
    assert public_key_hex() in page.content.decode()
    assert refused.status_code == 403


def test_the_download_says_when_there_is_no_checkpoint_yet(cast, client):
    client.force_login(cast.auditor)

    assert client.get(reverse("audit-checkpoint", args=["tcx"])).status_code == 404


def test_the_audit_report_names_the_public_key(cast, kept):
    document = Document(io.BytesIO(audit_report_docx(study=cast.study, period=Period())))

    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Public key (Ed25519, hex)"] == public_key_hex()
    assert facts["Sequence (actions covered)"] == "3"


def test_a_checkpoint_of_the_head_at_a_key_rotation_is_still_extended(cast, kept, settings):
    old_key = kept.parent / "old.key"
    old_key.write_text(settings.AUDIT_HMAC_KEY)
    settings.AUDIT_HMAC_KEY = "the new key, 32 characters or more"

    call_command("rotate_audit_key", "--old-key-file", str(old_key), stdout=StringIO())

    assert "re-anchored at #4 from the signed head" in verify(kept)
