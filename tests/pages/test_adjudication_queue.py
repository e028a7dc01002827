"""The disagreement queue reads one disagreement at a time: the passage's words with
each coder's span marked and named, the coders' memos, the position in the queue and
its filters; it settles a disagreement with a span selected in the passage, and the
comparison page's table holds rows only."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from analysis.agreement.models import AgendaDisagreement, Resolution
from analysis.coding.models import Coding, Memo
from tests import factories
from tests.analysis.agreement_setup import double_coded

OFFSETS = re.compile(r"\d+\s*[–-]\s*\d+")


@pytest.fixture
def setup(cast):
    setup = double_coded(cast)
    setup.second.first_name, setup.second.last_name = "Bea", "Okafor"
    setup.second.save()
    return setup


def queue(setup, **params) -> str:
    url = reverse("disagreements", args=[setup.study.slug, setup.session.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_the_queue_shows_the_passage_words_and_the_coders_by_name(setup, cast, client_as):
    # Ordered by size, the largest disagreement comes first: code A at 68-110.
    html = client_as(cast.owner).get(queue(setup)).content.decode()

    text = setup.revision.text
    assert "1 of 3" in html
    assert "Bea Okafor" in html
    assert text[75:100] in html  # coded by both: one stretch
    assert 'class="stretch stretch-all"' in html
    assert 'class="stretch stretch-coder-0"' in html  # 68-75, the first coder alone
    assert 'class="stretch stretch-coder-1"' in html  # 100-110, the second coder alone
    assert f'data-start="68" data-end="75">{text[68:75]}<' in html


def test_the_queue_prints_no_character_offsets(setup, cast, client_as):
    html = client_as(cast.owner).get(queue(setup)).content.decode()

    visible = re.sub(
        r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
    )
    assert not OFFSETS.search(visible), OFFSETS.search(visible)


def test_the_queue_shows_the_coders_memos_on_the_codings(setup, cast, client_as):
    coding = Coding.objects.get(coder=setup.second, code=setup.a)
    Memo.objects.create(
        study=cast.study, author=setup.second, coding=coding, text="Walking is her way out."
    )

    html = client_as(cast.owner).get(queue(setup)).content.decode()

    assert "Walking is her way out." in html
    assert "B · Bea Okafor" in html


@pytest.mark.parametrize(
    ("params", "progress"),
    [
        ({"at": "2"}, "2 of 3"),
        ({"at": "99"}, "3 of 3"),
        ({"code": "A"}, "1 of 2"),
        ({"pair": "analyst,analyst2"}, "1 of 3"),
        ({"transcript": "T"}, "1 of 3"),
        ({"state": "resolved"}, "No disagreement to show"),
    ],
)
def test_the_queue_moves_and_filters(setup, cast, client_as, params, progress):
    values = {"A": setup.a.pk, "T": setup.revision.transcript_id}
    params = {key: values.get(value, value) for key, value in params.items()}

    html = client_as(cast.owner).get(queue(setup, **params)).content.decode()

    assert progress in html


def test_a_bad_filter_is_explained(setup, cast, client_as):
    html = client_as(cast.owner).get(queue(setup, pair="analyst,nobody"), follow=True)

    assert "does not name two coders of this session" in html.content.decode()


def test_a_span_selected_in_the_passage_settles_the_disagreement(setup, cast, client_as):
    resolve = reverse("resolve", args=[cast.study.slug, setup.session.pk])
    # What the page's script puts in the form when the words 70-104 are selected.
    form = {
        "queue": "state=unresolved&order=size&at=1",
        "revision": setup.revision.pk,
        "code": setup.a.pk,
        "start": 68,
        "end": 110,
        "choice": "edited",
        "edited_start": 70,
        "edited_end": 104,
        "reason": "The sentence about walking, without the filler.",
    }

    response = client_as(cast.owner).post(resolve, form)

    resolution = Resolution.objects.get()
    assert (resolution.kind, resolution.spans) == ("edited", [[70, 104]])
    assert response.url == queue(setup) + "?state=unresolved&order=size&at=1"
    after = client_as(cast.owner).get(response.url).content.decode()
    assert "1 of 2" in after


def test_putting_nothing_ticked_on_the_agenda_does_nothing_and_says_so(setup, cast, client_as):
    meeting = factories.MeetingFactory(study=cast.study, created_by=cast.owner)
    agenda = reverse("disagreements-agenda", args=[cast.study.slug, setup.session.pk])

    response = client_as(cast.owner).post(agenda, {"meeting": meeting.pk}, follow=True)

    assert "No disagreement was ticked, so nothing was put on the agenda" in (
        response.content.decode()
    )
    assert not AgendaDisagreement.objects.exists()


class Roles(HTMLParser):
    """The roles of the children of the element with role="table"."""

    def __init__(self):
        super().__init__()
        self.depth, self.table_depth, self.children = 0, None, []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "input", "img", "meta", "link"):
            return
        self.depth += 1
        role = dict(attrs).get("role")
        if role == "table":
            self.table_depth = self.depth
        elif self.table_depth is not None and self.depth == self.table_depth + 1:
            self.children.append(role)

    def handle_endtag(self, tag):
        if tag in ("br", "input", "img", "meta", "link"):
            return
        if self.depth == self.table_depth:
            self.table_depth = None
        self.depth -= 1


def test_the_comparison_table_holds_only_rows(setup, cast, client_as):
    url = reverse(
        "comparison", args=[cast.study.slug, setup.session.pk, setup.revision.transcript_id]
    )
    html = client_as(cast.owner).get(url).content.decode()
    roles = Roles()
    roles.feed(html)

    assert roles.children and set(roles.children) == {"row"}
    assert 'class="comparison-row comparison-card-row" role="row"' in html


def test_the_comparison_lanes_tell_a_coder_s_own_difference_from_another_s(setup, cast, client_as):
    url = reverse(
        "comparison", args=[cast.study.slug, setup.session.pk, setup.revision.transcript_id]
    )
    html = client_as(cast.owner).get(url).content.decode()

    assert "(coded here, not by every coder:)" in html
    assert "(not coded here, coded by another coder:)" in html
