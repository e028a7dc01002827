"""Every main page, for each role that uses it, passes axe-core's WCAG 2 A and AA rules
with no serious or critical violation. axe-core (package.json) runs in chromium on the
demo study, which fills every page."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from analysis.coding.models import Code, CodingSession
from analysis.deliberation.models import MeetingRecord
from analysis.supervision.services import audit_round_draw
from analysis.themes.models import Theme
from dyads.models import Dyad, Study
from interviews.models import Interview

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """async (tags) => {
  const results = await axe.run(document, { runOnly: { type: "tag", values: tags } });
  return results.violations
    .filter((violation) => ["serious", "critical"].includes(violation.impact))
    .map((violation) => ({
      rule: violation.id,
      help: violation.help,
      where: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")),
    }));
}"""


def study_pages(study: Study) -> dict[str, list[str]]:
    """The main pages, by the role that works in them (each role sees its own pages)."""
    slug = study.slug
    dyad = Dyad.objects.filter(study=study).order_by("pk").first()
    interview = Interview.objects.filter(study=study, transcript__isnull=False).first()
    code = Code.objects.filter(study=study, retired_at__isnull=True).first()
    session = CodingSession.objects.filter(study=study, state="closed").first()
    theme = Theme.objects.filter(study=study).first()
    meeting = MeetingRecord.objects.filter(study=study).first()
    audit_round = study.audit_rounds.first()

    def url(name, *args):
        return reverse(name, args=[slug, *args])

    reading = [
        url("study-overview"),
        url("dyad-detail", dyad.pk),
        url("interview-detail", interview.pk),
    ]
    analysis = [
        url("coding-page", interview.pk),
        url("codebook"),
        url("codebook-code", code.pk),
        url("session-list"),
        url("session-detail", session.pk),
        url("retrieval") + f"?code={code.pk}",
        url("transcript-search") + "?q=safe",
        url("agreement") + f"?session={session.pk}",
        url("disagreements", session.pk),
        url("comparison", session.pk, session.transcripts.first().pk),
        url("theme-list"),
        url("theme-detail", theme.pk),
        url("matrix"),
        url("dual-perspective", dyad.pk),
        url("report"),
        url("meeting-list"),
        url("meeting-detail", meeting.pk),
        url("decision-log"),
    ]
    return {
        "owner": [
            "/",
            *reading,
            *analysis,
            url("study-members"),
            url("pseudonyms"),
            url("exchange"),
            url("calibration"),
            url("journal"),
        ],
        "analyst": [*reading, *analysis, url("journal")],
        "auditor": [
            *reading,
            *analysis,
            url("audit-timeline"),
            url("audit-verify"),
            url("audit-coders"),
            url("audit-rounds"),
            url("audit-round", audit_round.pk),
        ],
        "interviewer": [*reading, url("journal")],
    }


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=StringIO())
    study = Study.objects.get(slug="demo")
    auditor = study.memberships.get(role="auditor").user
    audit_round_draw(actor=auditor, study=study, title="Spring", strata=[], per_stratum=2)
    return study


def test_the_main_pages_have_no_serious_accessibility_violation(demo, browser, live_server):
    found = {}
    for role, urls in study_pages(demo).items():
        user = demo.memberships.filter(role=role, removed_at__isnull=True).order_by("pk")[0].user
        context = browser.new_context(base_url=live_server.url, bypass_csp=True)
        context.add_cookies([_session_cookie(user, live_server)])
        page = context.new_page()
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, f"{role} {url}: {response.status}"
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(RUN_AXE, WCAG_A_AA)
            if violations:
                found[f"{role} {url}"] = violations
        context.close()

    assert found == {}


def _session_cookie(user, live_server) -> dict:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}
