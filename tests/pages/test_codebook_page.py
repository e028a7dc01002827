"""The codebook pages: the tree for every analysis role, changes for analysts and owners,
each asking for a meeting or rationale, a stale edit shown with the code as it is now."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analysis.coding.models import Code, Coding, Memo
from analysis.deliberation.models import Decision
from dyads.models import AuditEvent
from tests.factories import CodeFactory, CodingFactory, MeetingFactory, ThemeFactory
from tests.pages.test_no_inline_code import INLINE


@pytest.fixture
def tree(cast):
    relationship = CodeFactory(study=cast.study, name="Relationship", colour="#4e79a7")
    safety = CodeFactory(
        study=cast.study,
        name="Feeling safe",
        parent=relationship,
        colour="#76b7b2",
        definition="Safe enough to speak.",
        inclusion_criteria="Calm, not judged.",
    )
    Memo.objects.create(study=cast.study, author=cast.analyst, text="Check night-time", code=safety)
    CodingFactory(revision=cast.revision, code=safety, coder=cast.analyst, start=0, end=5)
    return relationship, safety


def database_state():
    return (
        list(
            Code.objects.order_by("pk").values_list("pk", "name", "parent", "version", "retired_at")
        ),
        list(Coding.objects.order_by("pk").values_list("pk", "code", "deleted_at")),
        list(Memo.objects.order_by("pk").values_list("pk", "text", "version", "deleted_at")),
        Decision.objects.count(),
        AuditEvent.objects.count(),
    )


def change_url(code, change):
    return reverse("code-change", args=["tcx", code.pk, change])


def test_the_tree_shows_codes_under_their_parents_with_colour_definition_and_memos(
    cast, client_as, tree
):
    html = client_as(cast.analyst).get(reverse("codebook", args=["tcx"])).content.decode()

    relationship, safety = tree
    assert html.index(f'id="code-{relationship.pk}"') < html.index(f'id="code-{safety.pk}"')
    assert 'fill="#76b7b2"' in html
    assert "Safe enough to speak." in html
    assert "Calm, not judged." in html
    assert "Check night-time" in html
    assert "1 coding" in html
    assert 'draggable="true"' in html
    assert "js/codebook.js" in html
    for pattern, what in INLINE:
        assert not pattern.search(html), what


def test_an_auditor_reads_the_codebook_without_the_means_to_change_it(cast, client_as, tree):
    client = client_as(cast.auditor)
    html = client.get(reverse("codebook", args=["tcx"])).content.decode()
    code_html = client.get(reverse("codebook-code", args=["tcx", tree[1].pk])).content.decode()
    before = database_state()

    response = client.post(
        reverse("code-create", args=["tcx"]), {"name": "Sneaky", "rationale": "x"}
    )

    assert "Feeling safe" in html
    assert "draggable" not in html and "New code" not in html
    assert "Change this code" not in code_html
    assert response.status_code == 403
    assert database_state() == before


@pytest.mark.parametrize(("role", "status"), [("interviewer", 403), ("outsider", 404)])
def test_interviewers_and_outsiders_do_not_see_the_codebook(cast, client_as, tree, role, status):
    client = client_as(cast.user(role))

    assert client.get(reverse("codebook", args=["tcx"])).status_code == status
    assert client.get(reverse("codebook-code", args=["tcx", tree[1].pk])).status_code == status


def test_a_new_code_is_created_with_its_rationale(cast, client_as, tree):
    response = client_as(cast.analyst).post(
        reverse("code-create", args=["tcx"]),
        {
            "name": "At night",
            "parent": tree[1].pk,
            "colour": "#e15759",
            "definition": "Fear at night.",
            "rationale": "Came up in three interviews",
        },
    )

    assert response.status_code == 302
    code = Code.objects.get(name="At night")
    assert (code.parent, code.colour) == (tree[1], "#e15759")
    assert Decision.objects.get(code=code).rationale == "Came up in three interviews"


def test_a_new_code_without_meeting_or_rationale_is_refused_and_nothing_is_saved(
    cast, client_as, tree
):
    before = database_state()

    response = client_as(cast.analyst).post(
        reverse("code-create", args=["tcx"]), {"name": "At night", "colour": "#e15759"}
    )

    assert response.status_code == 400
    assert "give a rationale" in response.content.decode()
    assert database_state() == before


def test_a_stale_edit_is_refused_and_shows_the_code_as_it_is_now(cast, client_as, tree):
    safety = tree[1]
    Code.objects.filter(pk=safety.pk).update(name="Safety", version=2)
    before = database_state()

    response = client_as(cast.analyst).post(
        change_url(safety, "edit"),
        {
            "edit-name": "Feeling secure",
            "edit-colour": "#76b7b2",
            "edit-version": 1,
            "edit-rationale": "Better word",
        },
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "changed by someone else" in html
    assert "<dd>Safety</dd>" in html
    assert 'name="edit-version" value="2"' in html
    assert 'value="Feeling secure"' in html
    assert database_state() == before


def test_moving_a_code_with_the_plain_form_records_the_meeting(cast, client_as, tree):
    safety = tree[1]
    meeting = MeetingFactory(study=cast.study, created_by=cast.owner)

    response = client_as(cast.owner).post(
        change_url(safety, "move"),
        {"move-parent": "", "move-version": 1, "move-meeting": meeting.pk},
    )

    assert response.status_code == 302
    safety.refresh_from_db()
    assert safety.parent is None
    assert Decision.objects.get(code=safety).meeting == meeting


def test_merging_with_the_form_shows_a_preview_first_and_changes_nothing(cast, client_as, tree):
    relationship, safety = tree
    ThemeFactory(study=cast.study, name="Holding", codes=[safety])
    before = database_state()

    response = client_as(cast.analyst).post(
        change_url(safety, "merge"),
        {"merge-into": relationship.pk, "merge-version": 1, "merge-rationale": "Too fine"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "would:" in page
    assert "move 1 coding by 1 coder" in page
    assert "change the linked codes of 1 theme (Holding)" in page
    assert "Confirm the merge" in page
    assert f'name="merge-confirm" value="{relationship.pk}"' in page
    assert database_state() == before


def test_merging_with_the_form_moves_the_codings_once_confirmed(cast, client_as, tree):
    relationship, safety = tree

    response = client_as(cast.analyst).post(
        change_url(safety, "merge"),
        {
            "merge-into": relationship.pk,
            "merge-version": 1,
            "merge-rationale": "Too fine",
            "merge-confirm": relationship.pk,
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("codebook-code", args=["tcx", relationship.pk])
    assert Coding.objects.get().code == relationship


def test_splitting_with_the_form_sends_each_coding_to_its_new_code(cast, client_as, tree):
    safety = tree[1]
    coding = Coding.objects.get()

    response = client_as(cast.analyst).post(
        change_url(safety, "split"),
        {
            "split-part_1": "Physical safety",
            "split-part_2": "Emotional safety",
            f"split-coding_{coding.pk}": "2",
            "split-retire_original": "on",
            "split-version": 1,
            "split-rationale": "Two things",
        },
    )

    assert response.status_code == 302
    assert Coding.objects.get().code.name == "Emotional safety"
    assert Code.objects.get(pk=safety.pk).retired_at is not None


def test_a_coding_sent_to_an_unnamed_new_code_is_refused(cast, client_as, tree):
    safety = tree[1]
    coding = Coding.objects.get()
    before = database_state()

    response = client_as(cast.analyst).post(
        change_url(safety, "split"),
        {
            "split-part_1": "A",
            "split-part_2": "B",
            f"split-coding_{coding.pk}": "3",
            "split-version": 1,
            "split-rationale": "x",
        },
    )

    assert response.status_code == 400
    assert "New code 3 has no name." in response.content.decode()
    assert database_state() == before


@pytest.mark.parametrize(
    ("change", "body", "message"),
    [
        ("move", {"move-parent": "", "move-version": 1}, "give a rationale"),
        ("merge", {"merge-version": 1, "merge-rationale": "x"}, "This field is required."),
        ("retire", {"retire-version": 1, "retire-rationale": "x"}, "active sub-codes"),
        ("memo", {"memo-text": ""}, "This field is required."),
        ("edit", {"edit-name": "", "edit-version": 1}, "This field is required."),
    ],
)
def test_a_bad_change_is_refused_with_a_message_and_changes_nothing(
    cast, client_as, tree, change, body, message
):
    code = tree[0] if change == "retire" else tree[1]
    before = database_state()

    response = client_as(cast.analyst).post(change_url(code, change), body)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert database_state() == before


def test_retiring_a_leaf_code_takes_it_out_of_the_tree(cast, client_as, tree):
    safety = tree[1]
    client = client_as(cast.analyst)

    client.post(change_url(safety, "retire"), {"retire-version": 1, "retire-rationale": "Unused"})

    html = client.get(reverse("codebook", args=["tcx"])).content.decode()
    assert f'id="code-{safety.pk}"' not in html
    assert "Retired codes" in html


def test_memos_are_added_edited_and_removed_on_the_codes_page(cast, client_as, tree):
    safety = tree[1]
    client = client_as(cast.analyst)
    memo = Memo.objects.get()

    client.post(change_url(safety, "memo"), {"memo-text": "A second memo"})
    client.post(
        reverse("memo-change", args=["tcx", safety.pk, memo.pk, "edit"]),
        {f"memo-{memo.pk}-text": "Edited", f"memo-{memo.pk}-version": 1},
    )
    stale = client.post(
        reverse("memo-change", args=["tcx", safety.pk, memo.pk, "delete"]),
        {f"memo-{memo.pk}-version": 1},
        follow=True,
    )

    memo.refresh_from_db()
    assert memo.text == "Edited"
    assert memo.deleted_at is None
    assert "changed by someone else" in stale.content.decode()
    assert Memo.objects.filter(text="A second memo", code=safety).exists()


@pytest.mark.parametrize("page", ["codebook", "codebook-code"])
def test_a_codebook_page_runs_the_same_queries_however_many_codes_there_are(
    cast, client_as, tree, page
):
    client = client_as(cast.analyst)
    url = reverse(page, args=["tcx"] if page == "codebook" else ["tcx", tree[1].pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)

    for number in range(30):
        code = CodeFactory(study=cast.study, name=f"Extra {number}", parent=tree[0])
        Memo.objects.create(study=cast.study, author=cast.analyst, text="m", code=tree[1])
        CodingFactory(revision=cast.revision, code=code, coder=cast.analyst, start=0, end=5)
        CodingFactory(
            revision=cast.revision,
            code=tree[1],
            coder=cast.analyst,
            start=number + 1,
            end=number + 6,
        )
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)

    assert response.status_code == 200
    assert len(large) == len(small)
