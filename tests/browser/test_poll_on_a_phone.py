"""A date poll on a phone, in French and English: an officer creates it with the form, three
tenants answer it in the app, one paper ballot is entered, the officer closes it, everyone reads
the result and the best date becomes a meeting of the body in one step; axe-core on every page."""

import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tests.browser.conftest import LANGS, PHONE, log_in

pytestmark = pytest.mark.browser

SHOTS = Path(tempfile.gettempdir()) / "tv-polls-shots"  # never in the repository


def shoot(page, name, lang):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{lang}.png"), full_page=True)


def _people(app, world, lang):
    """Two more tenants with accounts and one member without an account (paper), for this run."""
    from tenantvoice.orgs.models import Body
    from tests import factories as f

    with app.app_context():
        body = db.session.get(Body, world.body_id)
        emails = []
        for n in (1, 2):
            email = f"poll{n}-{lang.lower()}@example.org"
            f.make_tenant(body=body, name=f"Voisine {n} {lang}", email=email)
            emails.append(email)
        f.make_member(body=body, name=f"Rosa Papier {lang}", unit=f"3{len(lang)}1")
        db.session.commit()
        return emails


def _local(days: int, hour: int) -> str:
    when = (clock.now() + timedelta(days=days)).astimezone(clock.MONTREAL)
    return when.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def _poll(app, title):
    from tenantvoice.ballots.models import Question

    with app.app_context():
        poll = db.session.scalar(sa.select(Question).where(Question.title == title))
        return poll.id, [c.id for c in poll.choices]


def _answer(page, base, poll_id, ids, answers, french):
    page.goto(f"{base}/polls/{poll_id}")
    for choice_id, code in zip(ids, answers, strict=True):
        page.locator(f"input[name=date-{choice_id}][value={code}]").check()
    page.locator("main form.poll-answer button[type=submit]").click()
    page.wait_for_selector(".flash")
    text = page.text_content("body")
    assert ("Votre réponse a été enregistrée" if french else "Your answer was recorded") in text


def test_a_date_poll_from_creation_to_meeting_on_a_phone(
    live_server, live_app, live_world, browser, context, axe, lang
):
    base = live_server.url
    french = lang == "fr_CA"
    emails = _people(live_app, live_world, lang)
    title = f"Quel soir pour l'assemblée? ({lang})"

    officer = context.new_page()
    log_in(officer, base, "jean@example.org", live_world.password)
    officer.goto(f"{base}/bodies/{live_world.body_id}/polls/new")
    axe.check(officer)
    officer.fill("#title", title)
    officer.get_by_label(
        "Quelles dates vous conviennent" if french else "Which dates suit you", exact=True
    ).check()
    officer.fill("#date-0", _local(20, 19))
    officer.fill("#date-1", _local(21, 19))
    officer.fill("#date-2", _local(22, 18))
    # One more date, added then removed again: the list grows and shrinks without JavaScript.
    officer.locator("button[value=add-date]").click()
    officer.wait_for_selector("#date-3")
    officer.locator("button[value=remove-date-3]").click()
    officer.wait_for_selector("#date-3", state="detached")
    officer.fill("#closes_at", _local(5, 21))
    officer.get_by_label("Nominatif" if french else "Named", exact=True).check()
    shoot(officer, "poll-form", lang)
    officer.locator("main form button.primary[type=submit]").click()
    officer.wait_for_url(f"{base}/bodies/{live_world.body_id}/polls")
    axe.check(officer)
    shoot(officer, "poll-list", lang)
    poll_id, ids = _poll(live_app, title)

    # Three tenants answer in the app: the second date suits the most.
    tenant_ctx = browser.new_context(locale=LANGS[lang][0], **PHONE)
    tenant_ctx.set_default_timeout(10_000)
    tenant = tenant_ctx.new_page()
    log_in(tenant, base, live_world.tenant_email, live_world.password)
    assert title in tenant.text_content("main")  # the home page's card
    tenant.goto(f"{base}/polls/{poll_id}")
    axe.check(tenant)
    shoot(tenant, "poll-answer", lang)
    _answer(tenant, base, poll_id, ids, ["n", "y", "m"], french)
    axe.check(tenant)
    for email, answers in zip(emails, (["y", "y", "n"], ["m", "y", "n"]), strict=True):
        neighbour_ctx = browser.new_context(locale=LANGS[lang][0], **PHONE)
        neighbour_ctx.set_default_timeout(10_000)
        neighbour = neighbour_ctx.new_page()
        log_in(neighbour, base, email, live_world.password)
        _answer(neighbour, base, poll_id, ids, answers, french)
        neighbour_ctx.close()

    # The officer enters one paper ballot (a named poll: the ballot with the person).
    officer.goto(f"{base}/polls/{poll_id}")
    axe.check(officer)
    officer.goto(f"{base}/polls/{poll_id}/print?lang=both")
    axe.check(officer)
    assert officer.locator("section.paper-column[lang=fr-CA]").count() == 1
    assert officer.locator("section.paper-column[lang=en]").count() == 1
    shoot(officer, "poll-print", lang)
    officer.goto(f"{base}/ballots/{poll_id}/paper?q=Rosa")
    axe.check(officer)
    officer.locator("main a.button.small").first.click()
    officer.wait_for_url("**/paper/check-in?person=*")
    axe.check(officer)
    for choice_id, code in zip(ids, ["n", "y", "y"], strict=True):
        officer.locator(f"input[name=date-{choice_id}][value={code}]").check()
    officer.locator("main form button[type=submit]").click()
    officer.wait_for_selector(".flash")
    officer.goto(f"{base}/ballots/{poll_id}/close")
    officer.locator("input[name=confirm]").check()
    officer.locator("main form button[type=submit]").click()
    officer.wait_for_url(f"{base}/polls/{poll_id}")
    axe.check(officer)
    result = officer.text_content("main")
    assert ("3 dans l'application, 1 sur papier" if french else "3 in the app, 1 on paper") in (
        result
    )
    assert ("Meilleure date" if french else "Best date") in result
    assert officer.locator("svg.poll-chart-svg[role=img]").count() == 1
    shoot(officer, "poll-result", lang)

    tenant.goto(f"{base}/polls/{poll_id}")
    axe.check(tenant)
    assert ("Meilleure date" if french else "Best date") in tenant.text_content("main")
    shoot(tenant, "poll-result-tenant", lang)
    tenant_ctx.close()

    # The best date becomes a meeting in one step: the scheduling form, pre-filled.
    officer.locator("main a", has_text="réunion" if french else "meeting").first.click()
    officer.wait_for_url("**/meetings/new?*")
    axe.check(officer)
    assert officer.input_value("#day") == _local(21, 19)[:10]
    assert officer.input_value("#start_time") == "19:00"
    assert officer.input_value("#title") == title
    officer.fill("#place", "Salle communautaire")
    shoot(officer, "poll-meeting", lang)
    officer.locator("main form button[type=submit]").last.click()
    officer.wait_for_url(re.compile(r"/meetings/\d+$"))
    axe.check(officer)
    assert title in officer.text_content("main")
    axe.assert_clean(at_least=11)
