"""Duet → QualCoder → Duet: Duet's own export, rewritten the way QualCoder 4.0 exports it
again (random GUIDs for users and everything else, whole numbers as FloatValue, booleans
and dates as text, notes in files of their own), imports into a new study with every
coding, coder, code, memo and attribute."""

import io

import pytest

from analysis.coding.models import Coding, Memo
from analysis.exchange.qdpx_export import write_qdpx
from analysis.exchange.qdpx_import import parse_qdpx
from analysis.exchange.services.transfers import project_import
from dyads.audit import audit_verify
from dyads.models import Dyad, Participant, StudyMembership
from dyads.services import study_create
from interviews.models import Interview
from tests.analysis.refi_files import code_snapshot, coded_study, qualcoder_rewrite


def coder_names(study) -> dict[str, str]:
    """Username -> the name a coder goes by: an imported coder's is the file's user name."""
    imported = StudyMembership.objects.filter(study=study).exclude(imported_from="")
    return {m.user.username: m.user.first_name for m in imported.select_related("user")}


def codings(study) -> list[tuple]:
    names = coder_names(study)
    rows = Coding.objects.filter(study=study, deleted_at__isnull=True).select_related(
        "revision__transcript__interview__participant", "code", "coder"
    )
    return sorted(
        (
            c.revision.transcript.interview.participant.pseudonym,
            c.revision.text[c.start : c.end],
            c.code.name,
            names.get(c.coder.username, c.coder.username),
        )
        for c in rows
    )


def memos(study) -> list[tuple]:
    names = coder_names(study)
    return sorted(
        (
            memo.title,
            memo.text,
            names.get(memo.author.username, memo.author.username),
            memo.code.name if memo.code else "",
            memo.coding.code.name if memo.coding else "",
        )
        for memo in Memo.objects.filter(study=study).select_related(
            "author", "code", "coding__code"
        )
    )


def people(study) -> list[tuple]:
    participants = Participant.objects.filter(study=study)
    interviews = Interview.objects.filter(study=study, transcript__isnull=False)
    return sorted(
        (p.pseudonym, p.role, p.gender, p.age, p.profession, sorted(p.attributes.items()))
        for p in participants
    ) + sorted(
        (
            i.participant.pseudonym,
            i.sequence_number,
            i.focus,
            i.timing,
            str(i.date),
            i.duration_minutes,
        )
        for i in interviews
    )


@pytest.fixture
def original(cast):
    """The cast's coded study, with a second coder coding the same passages as the first
    (the codings a merge of the two would drop) and free attributes of every type."""
    coded_study(cast)
    for coding in Coding.objects.filter(study=cast.study):
        Coding.objects.create(
            study=cast.study,
            revision=coding.revision,
            start=coding.start,
            end=coding.end,
            code=coding.code,
            coded_as=coding.code,
            coder=cast.owner,
        )
    client, therapist = cast.dyad.client, cast.dyad.therapist
    client.attributes = {"Medication": True, "Sessions so far": 12, "Referral": "GP"}
    therapist.attributes = {"Supervised": False}
    client.save()
    therapist.save()
    return cast.study


def test_every_coding_coder_code_memo_and_attribute_comes_back(cast, original):
    out = io.BytesIO()
    write_qdpx(study=original, actor=cast.owner, out=out)
    copy = study_create(actor=cast.owner, title="Copy", slug="copy")

    result = project_import(
        actor=cast.owner,
        study=copy,
        project=parse_qdpx(qualcoder_rewrite(out.getvalue()), "qualcoder.qdpx"),
    )

    assert result.codings == Coding.objects.filter(study=original).count() == 6
    assert codings(copy) == codings(original)
    assert code_snapshot(copy) == code_snapshot(original)
    assert memos(copy) == memos(original)
    assert people(copy) == people(original)
    assert list(Dyad.objects.filter(study=copy).values_list("label", flat=True)) == ["Dyad 1"]
    assert audit_verify(study=copy).intact
