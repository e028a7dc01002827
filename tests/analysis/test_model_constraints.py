"""The database itself refuses invalid codes, codings, themes, sessions and decisions."""

from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from analysis.coding.models import Code, Coding, CodingSession
from analysis.deliberation.models import Decision
from analysis.themes.models import Theme
from tests import factories


@contextmanager
def refused_by_the_database():
    """Expect an IntegrityError, also from a deferred constraint checked at commit."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield
        connection.check_constraints()


@pytest.fixture
def study(db):
    return factories.StudyFactory(slug="tcx")


@pytest.fixture
def author(db):
    return factories.UserFactory(username="analyst")


@pytest.mark.parametrize("start, end", [(5, 5), (9, 5)])
def test_a_coding_must_end_after_it_starts(db, start, end):
    with refused_by_the_database():
        factories.CodingFactory(start=start, end=end)


def test_coding_offsets_cannot_be_negative(db):
    with refused_by_the_database():
        factories.CodingFactory(start=-3, end=5)


def test_codings_may_overlap(db):
    first = factories.CodingFactory(start=0, end=10)

    factories.CodingFactory(revision=first.revision, code=first.code, start=5, end=15)

    assert Coding.objects.filter(revision=first.revision).count() == 2


@pytest.mark.parametrize("colour", ["red", "#12345", "1f77b4", "#GGGGGG", ""])
def test_a_code_colour_is_a_hex_colour(study, colour):
    with refused_by_the_database():
        factories.CodeFactory(study=study, colour=colour)


def test_a_code_cannot_be_its_own_parent(study):
    code = factories.CodeFactory(study=study)

    with refused_by_the_database():
        Code.objects.filter(pk=code.pk).update(parent=code)


def test_sibling_codes_have_different_names(study):
    parent = factories.CodeFactory(study=study, name="The relationship")
    factories.CodeFactory(study=study, parent=parent, name="Feeling safe")
    factories.CodeFactory(study=study, name="Feeling safe")

    with refused_by_the_database():
        factories.CodeFactory(study=study, parent=parent, name="Feeling safe")


def test_top_level_codes_have_different_names_within_a_study(study):
    factories.CodeFactory(study=study, name="Feeling safe")
    factories.CodeFactory(name="Feeling safe")

    with refused_by_the_database():
        factories.CodeFactory(study=study, name="Feeling safe")


def test_a_retired_code_leaves_its_name_free(study):
    factories.CodeFactory(study=study, name="Feeling safe", retired_at=timezone.now())

    factories.CodeFactory(study=study, name="Feeling safe")

    assert Code.objects.filter(study=study, name="Feeling safe").count() == 2


def test_a_decision_cites_a_meeting_or_gives_a_rationale(study, author):
    with refused_by_the_database():
        Decision.objects.create(study=study, kind="code_create", author=author)


def test_a_decision_with_a_meeting_needs_no_rationale(study, author):
    meeting = factories.MeetingFactory(study=study, created_by=author)

    Decision.objects.create(study=study, kind="code_create", meeting=meeting, author=author)
    Decision.objects.create(study=study, kind="code_create", rationale="Obvious.", author=author)

    assert Decision.objects.filter(study=study).count() == 2


def test_a_decision_kind_must_be_known(study, author):
    with refused_by_the_database():
        Decision.objects.create(study=study, kind="code_delete", rationale="Gone.", author=author)


def test_a_constituent_theme_needs_a_parent(study):
    with refused_by_the_database():
        Theme.objects.create(study=study, name="Persistence", level="constituent")


def test_an_overarching_theme_has_no_parent(study):
    parent = Theme.objects.create(study=study, name="Holding hard work", level="overarching")

    with refused_by_the_database():
        Theme.objects.create(study=study, name="Being met", level="overarching", parent=parent)


def test_theme_names_are_unique_within_a_study_while_active(study):
    retired = Theme.objects.create(
        study=study, name="Being met", level="overarching", retired_at=timezone.now()
    )
    Theme.objects.create(study=study, name="Being met", level="overarching")

    with refused_by_the_database():
        Theme.objects.create(study=study, name="Being met", level="constituent", parent=retired)


def test_session_names_are_unique_within_a_study(study, author):
    factories.CodingSessionFactory(study=study, name="Round 1", created_by=author)
    factories.CodingSessionFactory(name="Round 1", created_by=author)

    with refused_by_the_database():
        factories.CodingSessionFactory(study=study, name="Round 1", created_by=author)


def test_a_session_is_blind_or_open(study, author):
    with refused_by_the_database():
        CodingSession.objects.create(study=study, name="Round 1", mode="secret", created_by=author)
