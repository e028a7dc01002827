"""The pages of themes, the matrix, the dual-perspective view, waves, coverage, methods,
charts and the report: who may open them, what their forms do, and how many queries."""

import pytest
from django.urls import reverse

from analysis.deliberation.models import Decision
from analysis.themes.models import ConvergenceMark, ExemplaryQuote, QuestionCoverage, Theme
from interviews.models import GuideQuestion, Interview, InterviewGuide
from tests import factories
from tests.analysis.theme_setup import theme_study
from tests.pages.test_no_inline_code import INLINE


@pytest.fixture
def setup(cast):
    return theme_study(cast)


def urls(cast, setup) -> dict[str, str]:
    slug = "tcx"
    return {
        "themes": reverse("theme-list", args=[slug]),
        "theme": reverse("theme-detail", args=[slug, setup.safety.pk]),
        "matrix": reverse("matrix", args=[slug]),
        "cell": reverse("matrix-cell", args=[slug, setup.dyad1.pk, setup.safety.pk]),
        "dual": reverse("dual-perspective", args=[slug, setup.dyad1.pk]),
        "waves": reverse("waves", args=[slug]),
        "coverage": reverse("coverage", args=[slug]),
        "interview coverage": reverse("interview-coverage", args=[slug, cast.client_interview.pk]),
        "methods": reverse("methods", args=[slug]),
        "charts": reverse("charts", args=[slug]),
        "report": reverse("report", args=[slug]),
    }


PAGES = [
    "themes",
    "theme",
    "matrix",
    "cell",
    "dual",
    "waves",
    "coverage",
    "interview coverage",
    "methods",
    "charts",
    "report",
]


@pytest.mark.parametrize("page", PAGES)
def test_members_who_read_the_analysis_open_the_page_without_inline_code(cast, setup, client, page):
    client.force_login(cast.auditor)

    response = client.get(urls(cast, setup)[page])

    assert response.status_code == 200
    html = response.content.decode()
    for pattern, what in INLINE:
        assert not pattern.search(html), f"{page} has an {what}"


@pytest.mark.parametrize("page", PAGES)
def test_outsiders_get_404_and_interviewers_403_except_for_the_methods_tables(
    cast, setup, client, page
):
    url = urls(cast, setup)[page]
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    client.force_login(cast.interviewer)
    assert client.get(url).status_code == (200 if page == "methods" else 403)


@pytest.mark.parametrize(
    ("page", "queries"), [("matrix", 20), ("dual", 22), ("waves", 18), ("report", 34)]
)
def test_the_page_takes_a_fixed_number_of_queries(
    cast, setup, client, page, queries, django_assert_max_num_queries
):
    client.force_login(cast.analyst)
    url = urls(cast, setup)[page]
    with django_assert_max_num_queries(queries):
        client.get(url)
    theme_study_more(cast)
    with django_assert_max_num_queries(queries):
        client.get(url)


def theme_study_more(cast) -> None:
    """More dyads and themes, to show that the number of queries does not grow."""
    for number in range(3, 9):
        dyad = factories.DyadFactory(study=cast.study, label=f"Dyad {number}")
        interview = factories.InterviewFactory(
            participant=dyad.client, dyad=dyad, sequence_number=1
        )
        factories.revision_for(interview)
    parent = Theme.objects.get(study=cast.study, name="Relationship")
    for number in range(4):
        factories.ThemeFactory(study=cast.study, name=f"Extra {number}", parent=parent)


def test_a_bad_filter_is_said_on_the_page_which_still_shows(cast, setup, client):
    client.force_login(cast.analyst)

    response = client.get(urls(cast, setup)["matrix"], {"sort": "shoe size"})

    assert response.status_code == 200
    assert "Sort by one of" in response.content.decode()


def test_the_cell_comes_as_a_fragment_for_the_matrix_panel(cast, setup, client):
    client.force_login(cast.analyst)

    fragment = client.get(urls(cast, setup)["cell"], headers={"X-Duet-Fragment": "1"})
    page = client.get(urls(cast, setup)["cell"])

    assert "<html" not in fragment.content.decode()
    assert "Open the dual-perspective view" in fragment.content.decode()
    assert "<html" in page.content.decode()


def test_a_theme_is_created_from_the_page_and_a_taken_name_is_refused(cast, setup, client):
    client.force_login(cast.analyst)
    url = urls(cast, setup)["themes"]
    form = {"name": "Safety", "parent": setup.overarching.pk, "rationale": "Agreed."}

    taken = client.post(url, form)
    made = client.post(url, {**form, "name": "Being held", "codes": [setup.codes["A"].pk]})

    assert taken.status_code == 400
    assert "already a theme called" in taken.content.decode()
    assert made.status_code == 302
    assert Theme.objects.get(name="Being held").parent == setup.overarching


def test_a_theme_is_revised_from_its_page_as_decisions(cast, setup, client):
    client.force_login(cast.analyst)
    form = {
        "name": "Safety",
        "parent": setup.overarching.pk,
        "client_description": "They felt safe.",
        "codes": [setup.codes["A"].pk, setup.codes["B"].pk],
        "rationale": "Meeting of 3 May.",
        "version": 1,
    }

    response = client.post(urls(cast, setup)["theme"], form)

    assert response.status_code == 302
    kinds = set(Decision.objects.filter(theme=setup.safety).values_list("kind", flat=True))
    assert kinds == {"theme_revise", "theme_link_code"}


def test_a_revision_without_a_rationale_is_shown_and_changes_nothing(cast, setup, client):
    client.force_login(cast.analyst)

    response = client.post(
        urls(cast, setup)["theme"], {"name": "Safe", "parent": setup.overarching.pk, "version": 1}
    )

    assert response.status_code == 400
    assert (
        "Name the meeting where this was agreed, or give a rationale." in response.content.decode()
    )
    assert Theme.objects.get(pk=setup.safety.pk).name == "Safety"


def test_a_quote_chosen_in_the_dual_view_returns_there_and_a_foreign_next_is_ignored(
    cast, setup, client
):
    client.force_login(cast.analyst)
    dual = urls(cast, setup)["dual"] + f"?theme={setup.safety.pk}&source=all"
    coding = setup.interviews["C1"].transcript.current_revision.codings.get(code=setup.codes["A"])
    add = reverse("theme-quote-add", args=["tcx", setup.safety.pk])

    back = client.post(add, {"coding": coding.pk, "rationale": "Her words.", "next": dual})
    ExemplaryQuote.objects.all().delete()
    away = client.post(
        add, {"coding": coding.pk, "rationale": "x", "next": "https://evil.example/"}
    )

    assert back.url == dual
    assert away.url == urls(cast, setup)["theme"]
    assert "Exemplary quote" in client.get(dual).content.decode()


def test_a_cell_is_marked_and_cleared_from_the_page(cast, setup, client):
    client.force_login(cast.analyst)
    url = reverse("convergence-mark", args=["tcx", setup.dyad1.pk, setup.safety.pk])

    client.post(url, {"verdict": "diverge", "note": "Two stories."})
    mark = ConvergenceMark.objects.get()
    client.post(url, {"clear": "1", "version": mark.version})

    mark.refresh_from_db()
    assert mark.cleared_at is not None
    assert mark.note == "Two stories."


def test_asked_here_from_the_interviews_coverage_page(cast, client):
    guide = InterviewGuide.objects.create(study=cast.study, title="Guide")
    question = GuideQuestion.objects.create(guide=guide, position=1, text="What helped?")
    Interview.objects.filter(pk=cast.client_interview.pk).update(guide=guide)
    client.force_login(cast.analyst)
    url = reverse("coverage-asked-here", args=["tcx", cast.client_interview.pk])

    client.post(url, {"question": question.pk, "turn": 2})
    bad = client.post(url, {"question": question.pk, "turn": 99}, follow=True)

    assert QuestionCoverage.objects.count() == 1
    assert "no turn number 99" in bad.content.decode()


def test_an_auditor_posting_a_theme_is_refused_and_nothing_is_created(cast, setup, client):
    client.force_login(cast.auditor)

    response = client.post(urls(cast, setup)["themes"], {"name": "Sneaky", "rationale": "x"})

    assert response.status_code == 403
    assert not Theme.objects.filter(name="Sneaky").exists()
