"""Each coding keeps the code its coder chose (`coded_as`) through merges and splits; the
"why" page tells the way from it to the code now, and the themes whose linked codes a
merge or split changes get a revision entry naming the decision."""

import datetime as dt

import pytest
from django.urls import reverse

from analysis.coding.models import Coding
from analysis.coding.services.codebook import code_merge, code_split
from analysis.coding.services.codings import coding_create, coding_recode
from analysis.deliberation.models import Decision, DecisionKind
from analysis.deliberation.services.meetings import meeting_create
from analysis.themes.models import Theme
from dyads.exceptions import DomainError
from dyads.models import AuditEvent
from tests import factories
from tests.analysis.audit_setup import signed_in
from tests.conftest import api_as


@pytest.fixture
def codes(cast):
    return (
        factories.CodeFactory(study=cast.study, name="Safety"),
        factories.CodeFactory(study=cast.study, name="Holding"),
    )


@pytest.fixture
def coding(cast, codes):
    return coding_create(actor=cast.analyst, revision=cast.revision, start=3, end=9, code=codes[0])


@pytest.fixture
def meeting(cast):
    return meeting_create(
        actor=cast.owner,
        study=cast.study,
        date=dt.date(2026, 3, 3),
        title="Third analytic meeting",
        attendees=[cast.owner, cast.analyst],
    )


def test_a_new_coding_is_coded_as_its_code_and_the_api_shows_it(cast, codes, coding):
    listed = api_as(cast.analyst).get(f"/api/v1/codings/{coding.pk}/")

    assert coding.coded_as == codes[0]
    assert (listed.data["code"], listed.data["coded_as"]) == (codes[0].pk, codes[0].pk)


def test_a_merge_moves_the_code_and_keeps_what_the_coder_chose(cast, codes, coding, meeting):
    code_merge(actor=cast.owner, code=codes[0], into=codes[1], meeting=meeting)

    listed = api_as(cast.analyst).get(f"/api/v1/codings/{coding.pk}/")
    assert (listed.data["code"], listed.data["coded_as"]) == (codes[1].pk, codes[0].pk)


def test_a_split_moves_the_code_and_keeps_what_the_coder_chose(cast, codes, coding):
    parts = code_split(
        actor=cast.owner,
        code=codes[0],
        parts=[{"name": "At home", "codings": [coding.pk]}, {"name": "In therapy"}],
        rationale="Two ideas",
    )

    coding.refresh_from_db()
    assert (coding.code, coding.coded_as) == (parts[0], codes[0])


def test_the_coder_recoding_their_coding_changes_what_they_chose(cast, codes, coding):
    coding_recode(actor=cast.analyst, coding=coding, code=codes[1])

    coding.refresh_from_db()
    assert coding.coded_as == codes[1]


def test_the_why_page_tells_the_way_from_the_chosen_code_to_the_code_now(
    cast, codes, coding, meeting, client
):
    code_merge(actor=cast.owner, code=codes[0], into=codes[1], meeting=meeting)
    decision = Decision.objects.get(kind=DecisionKind.CODE_MERGE)

    page = signed_in(client, cast.analyst).get(reverse("coding-why", args=["tcx", coding.pk]))

    html = " ".join(page.content.decode().split())
    assert page.status_code == 200
    assert f"Coded “Safety” by analyst on {coding.created_at:%-d %B %Y}" in html
    assert "“Safety” merged into “Holding” at" in html
    assert "Third analytic meeting</a>" in html
    assert f"decision {decision.pk}</a>" in html


def test_a_merge_gives_each_theme_of_the_merged_code_a_revision_entry(cast, codes, meeting):
    theme = factories.ThemeFactory(study=cast.study, name="Being held", codes=[codes[0]])
    untouched = factories.ThemeFactory(study=cast.study, name="Elsewhere", codes=[codes[1]])

    code_merge(actor=cast.owner, code=codes[0], into=codes[1], meeting=meeting)

    merge = Decision.objects.get(kind=DecisionKind.CODE_MERGE)
    entry = Decision.objects.get(kind=DecisionKind.THEME_LINK_CODE)
    assert entry.theme == theme
    assert entry.meeting == meeting
    assert entry.before == {"codes": [codes[0].pk]}
    assert entry.after == {"codes": [codes[1].pk], "decision": merge.pk}
    assert f"decision {merge.pk}" in entry.rationale
    theme = Theme.objects.get(pk=theme.pk)
    assert list(theme.codes.all()) == [codes[1]]
    assert theme.version == 2
    event = AuditEvent.objects.get(action="theme.update", object_id=str(theme.pk))
    assert event.new_value == {"codes": [codes[1].pk], "decision": merge.pk}
    assert Theme.objects.get(pk=untouched.pk).version == 1


def test_a_split_that_retires_the_code_links_its_themes_to_the_parts(cast, codes, coding):
    theme = factories.ThemeFactory(study=cast.study, name="Being held", codes=[codes[0]])

    parts = code_split(
        actor=cast.owner,
        code=codes[0],
        parts=[{"name": "At home", "codings": [coding.pk]}, {"name": "In therapy"}],
        rationale="Two ideas",
    )

    split = Decision.objects.get(kind=DecisionKind.CODE_SPLIT)
    entry = Decision.objects.get(kind=DecisionKind.THEME_LINK_CODE, theme=theme)
    assert entry.after == {"codes": sorted(part.pk for part in parts), "decision": split.pk}
    assert "split into 'At home', 'In therapy'" in entry.rationale


def test_a_split_that_keeps_the_code_leaves_its_themes_alone(cast, codes, coding):
    theme = factories.ThemeFactory(study=cast.study, name="Being held", codes=[codes[0]])

    code_split(
        actor=cast.owner,
        code=codes[0],
        parts=[{"name": "At home", "codings": [coding.pk]}, {"name": "In therapy"}],
        retire_original=False,
        rationale="Two ideas",
    )

    assert not Decision.objects.filter(kind=DecisionKind.THEME_LINK_CODE).exists()
    assert list(Theme.objects.get(pk=theme.pk).codes.all()) == [codes[0]]


def test_a_refused_merge_leaves_codings_and_themes_as_they_were(cast, codes, coding):
    factories.ThemeFactory(study=cast.study, name="Being held", codes=[codes[0]])

    with pytest.raises(DomainError):
        code_merge(actor=cast.owner, code=codes[0], into=codes[0], rationale="x")

    coding = Coding.objects.get(pk=coding.pk)
    assert (coding.code, coding.coded_as) == (codes[0], codes[0])
    assert not Decision.objects.filter(kind=DecisionKind.THEME_LINK_CODE).exists()
