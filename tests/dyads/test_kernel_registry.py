"""The kernel's registry: apps tell dyads their audit actions and commentable models, so
that dyads decides by what they registered and names none of them itself."""

import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from analysis.agreement.selectors.consensus import consensus_layer_counts, rounds_version
from analysis.exchange.qdpx_export import write_qdpx
from analysis.exchange.qdpx_import import parse_qdpx
from analysis.exchange.services.transfers import project_import
from dyads import registry
from dyads.audit import audit_record, audit_verify, canonical_form
from dyads.audit_comments import audit_comment_create
from dyads.exceptions import DomainError
from dyads.models import AuditComment, AuditEvent
from dyads.services import study_create
from tests import factories
from tests.analysis.agreement_setup import double_coded
from tests.analysis.refi_files import coded_study
from tests.dyads.service_calls import row_counts

ROOT = Path(__file__).resolve().parents[2]
# An action written in code: `action="coding.create"` (a call) or `action = "…"` (a name).
RECORDED_ACTION = re.compile(r"""\baction\s*=\s*["']([a-z_]+\.[a-z_]+)["']""")
QUOTED_NAME = re.compile(r"""["']([a-z_]+\.[a-z_]+)["']""")


@pytest.fixture
def scratch_registry(monkeypatch):
    """Registrations made in a test are forgotten after it."""
    monkeypatch.setattr(registry, "_may_change_rounds", dict(registry._may_change_rounds))
    monkeypatch.setattr(registry, "_commentable", dict(registry._commentable))


@pytest.fixture
def setup(cast):
    return double_coded(cast)


def record(cast, action: str):
    with transaction.atomic():
        return audit_record(
            study=cast.study, actor=cast.owner, action=action, object_type="x", object_id=1
        )


def sources(*folders: str) -> list[Path]:
    """The Python files of these packages, migrations left out."""
    return [
        path
        for folder in folders
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def recorded_actions(*folders: str) -> set[str]:
    return {
        action
        for path in sources(*folders)
        for action in RECORDED_ACTION.findall(path.read_text(encoding="utf-8"))
    }


# Rounds --------------------------------------------------------------------------------


def test_an_action_registered_as_leaving_rounds_alone_keeps_the_consensus_cached(
    setup, cast, scratch_registry, rounds_computed
):
    registry.register_audit_actions("test.annotate", may_change_rounds=False)
    consensus_layer_counts(study=setup.study)
    version = rounds_version(setup.study)

    event = record(cast, "test.annotate")
    consensus_layer_counts(study=setup.study)

    assert event.may_change_rounds is False
    assert rounds_version(setup.study) == version
    assert rounds_computed.call_count == 1


def test_an_action_registered_as_changing_rounds_computes_the_consensus_again(
    setup, cast, scratch_registry, rounds_computed
):
    registry.register_audit_actions("test.rework", may_change_rounds=True)
    consensus_layer_counts(study=setup.study)

    event = record(cast, "test.rework")
    consensus_layer_counts(study=setup.study)

    assert event.may_change_rounds is True
    assert rounds_version(setup.study) == event.sequence
    assert rounds_computed.call_count == 2


def test_an_action_nobody_registered_counts_as_changing_rounds(setup, cast, rounds_computed):
    consensus_layer_counts(study=setup.study)

    event = record(cast, "test.unheard_of")
    consensus_layer_counts(study=setup.study)

    assert event.may_change_rounds is True
    assert rounds_version(setup.study) == event.sequence
    assert rounds_computed.call_count == 2


def test_what_the_registry_said_is_left_out_of_the_hash(cast, scratch_registry):
    registry.register_audit_actions("test.annotate", may_change_rounds=False)
    event = record(cast, "test.annotate")

    flagged = canonical_form(event)
    event.may_change_rounds = True

    assert canonical_form(event) == flagged
    assert audit_verify(study=cast.study).intact


def test_events_written_in_bulk_carry_what_the_registry_says_of_their_action(
    cast, scratch_registry
):
    coded_study(cast)
    exported = io.BytesIO()
    write_qdpx(study=cast.study, actor=cast.owner, out=exported)
    project = parse_qdpx(exported.getvalue(), "tcx.qdpx")
    copy = study_create(actor=cast.owner, title="Copy", slug="copy")
    registry._may_change_rounds["coding.import"] = False  # as if its app said so

    project_import(actor=cast.owner, study=copy, project=project)

    flags = set(AuditEvent.objects.filter(study=copy).values_list("action", "may_change_rounds"))
    assert ("coding.import", False) in flags
    assert {(action, registry.may_change_rounds(action)) for action, _ in flags} == flags


def test_an_action_registered_once_each_way_is_refused(scratch_registry):
    registry.register_audit_actions("test.annotate", may_change_rounds=False)
    registry.register_audit_actions("test.annotate", may_change_rounds=False)

    with pytest.raises(ImproperlyConfigured, match=r"test\.annotate"):
        registry.register_audit_actions("test.annotate", may_change_rounds=True)


def test_every_action_the_code_records_is_registered():
    recorded = recorded_actions("dyads", "interviews", "analysis")

    assert recorded, "the pattern finds no action at all"
    assert recorded - set(registry.audit_actions()) == set()


# Comments ------------------------------------------------------------------------------


def test_a_model_nobody_registered_cannot_be_commented_on(cast):
    site = factories.SiteFactory(study=cast.study)
    before = row_counts()

    with pytest.raises(DomainError) as refused:
        audit_comment_create(
            actor=cast.auditor,
            study=cast.study,
            object_type="dyads.site",
            object_id=site.pk,
            text="Which clinic?",
        )

    assert "object_type" in refused.value.detail
    assert row_counts() == before


def test_a_model_registered_as_commentable_can_be_commented_on_in_its_own_study(
    cast, scratch_registry
):
    registry.register_commentable("dyads.site", study_path="study")
    site = factories.SiteFactory(study=cast.study)
    foreign = factories.SiteFactory(study=cast.other_study)

    comment = audit_comment_create(
        actor=cast.auditor,
        study=cast.study,
        object_type="dyads.site",
        object_id=site.pk,
        text="Which clinic?",
    )
    with pytest.raises(DomainError) as refused:
        audit_comment_create(
            actor=cast.auditor,
            study=cast.study,
            object_type="dyads.site",
            object_id=foreign.pk,
            text="Which clinic?",
        )

    assert AuditComment.objects.get(pk=comment.pk).object_id == str(site.pk)
    assert "object_id" in refused.value.detail


def test_a_model_registered_with_two_study_paths_is_refused(scratch_registry):
    registry.register_commentable("dyads.site", study_path="study")

    with pytest.raises(ImproperlyConfigured, match=r"dyads\.site"):
        registry.register_commentable("dyads.site", study_path="dyad__study")


# The kernel knows nothing of its dependants ----------------------------------------------


def analysis_names() -> set[str]:
    """The audit actions the analysis app records or registers, and its model labels."""
    registered = {
        name
        for path in (ROOT / "analysis").rglob("registrations.py")
        for name in QUOTED_NAME.findall(path.read_text(encoding="utf-8"))
    }
    return registered | recorded_actions("analysis")


def test_the_kernel_names_no_analysis_model_label_nor_audit_action():
    names = analysis_names()
    mentions = re.compile(
        r"\banalysis\.[a-z_]|" + "|".join(rf"(?<![\w.]){re.escape(name)}(?!\w)" for name in names)
    )

    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources("dyads")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if mentions.search(line)
    ]

    assert {"analysis.coding", "coding.create", "theme.retire", "decision.record"} <= names
    assert found == []
