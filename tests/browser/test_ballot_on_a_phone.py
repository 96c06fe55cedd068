"""A secret vote on a phone, in French and English, with and without the app: a tenant reviews
and casts a ballot, the officer checks a paper voter in, closes early, enters the paper count and
everyone reads the result; axe-core on every page."""

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest

from tenantvoice import clock
from tenantvoice.extensions import db
from tests.browser.conftest import LANGS, PHONE, log_in

pytestmark = pytest.mark.browser

SHOTS = Path(tempfile.gettempdir()) / "tv-ballots-shots"  # never in the repository


def shoot(page, name, lang):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{lang}.png"), full_page=True)


def _question(app, world):
    """A secret motion of the live body, with three more members and one without an account."""
    from tenantvoice.accounts.models import User
    from tenantvoice.ballots import services
    from tenantvoice.ballots.models import Elector, Kind, Mode, Purpose
    from tenantvoice.orgs.models import Body
    from tests import factories as f

    with app.app_context():
        body = db.session.get(Body, world.body_id)
        for _n in range(3):
            f.make_tenant(body=body)
        paper = f.make_member(body=body, name="Gérard Côté", unit="112")
        question = services.create_question(
            db.session.get(User, world.officer_id),
            body,
            purpose=Purpose.RECOMMENDATION,
            title="Demander à l'office des bancs dans la cour",
            kind=Kind.MOTION,
            mode=Mode.SECRET,
            closes_at=clock.now() + timedelta(days=2),
        )
        db.session.commit()
        key = db.session.get(Elector, (question.id, f"p:{paper.site_id}:112:gerard cote"))
        return question.id, key.person_key


def test_secret_vote_with_a_paper_ballot_on_a_phone(
    live_server, live_app, live_world, browser, context, axe, lang
):
    base = live_server.url
    question_id, paper_key = _question(live_app, live_world)
    french = lang == "fr_CA"

    tenant = context.new_page()
    log_in(tenant, base, live_world.tenant_email, live_world.password)
    tenant.goto(f"{base}/ballots/{question_id}")
    axe.check(tenant)
    assert ("Votre vote est secret" if french else "Your vote is secret") in tenant.text_content(
        "main"
    )
    shoot(tenant, "ballot", lang)
    tenant.get_by_label("Pour" if french else "For", exact=True).check()
    tenant.locator("main form button[type=submit]").click()
    tenant.wait_for_selector("input[name=confirm]", state="attached")
    axe.check(tenant)
    shoot(tenant, "ballot-review", lang)
    tenant.locator("main form button[type=submit]").click()
    tenant.wait_for_url(f"{base}/ballots/{question_id}")
    axe.check(tenant)
    text = tenant.text_content("body")
    assert ("Votre vote a été enregistré" if french else "Your vote was recorded") in text
    assert ("Participation\u00a0: 1 sur" if french else "Participation: 1 of") in text
    shoot(tenant, "ballot-cast", lang)

    officer_ctx = browser.new_context(locale=LANGS[lang][0], **PHONE)
    officer_ctx.set_default_timeout(10_000)
    officer = officer_ctx.new_page()
    log_in(officer, base, "jean@example.org", live_world.password)
    officer.goto(f"{base}/ballots/{question_id}/paper")
    axe.check(officer)
    officer.fill("#roll-q", "gerard")
    officer.locator("form[role=search] button").click()
    officer.wait_for_url("**/paper?q=gerard")
    officer.locator(f"form:has(input[value='{paper_key}']) button").click()
    officer.wait_for_selector(".flash")
    axe.check(officer)
    assert "Gérard Côté" in officer.text_content(".flash")
    shoot(officer, "ballot-paper", lang)

    officer.goto(f"{base}/ballots/{question_id}/close")
    axe.check(officer)
    officer.locator("input[name=confirm]").check()
    officer.locator("main form button[type=submit]").click()
    officer.wait_for_url(f"{base}/ballots/{question_id}")
    officer.goto(f"{base}/ballots/{question_id}/paper/count")
    axe.check(officer)
    shoot(officer, "ballot-paper-count", lang)
    officer.get_by_label("Contre" if french else "Against", exact=True).fill("1")
    officer.locator("main form button[type=submit]").click()
    officer.wait_for_url(f"{base}/ballots/{question_id}")
    axe.check(officer)
    result = officer.text_content("main")
    # Two ballots in all: the outcome is published, never the counts.
    assert ("Rejetée" if french else "Rejected") in result or (
        "Quorum non atteint" if french else "Quorum not reached"
    ) in result
    assert ("1 dans l'application, 1 sur papier" if french else "1 in the app, 1 on paper") in (
        result
    )
    shoot(officer, "ballot-result", lang)
    officer_ctx.close()
    axe.assert_clean(at_least=7)
