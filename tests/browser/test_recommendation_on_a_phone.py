"""A recommendation's life on a phone, in French and English: a CCR member drafts it, an officer
opens a secret vote, members vote (one on paper, checked in by the officer), the vote closes,
the recommendation is transmitted, the direction answers and a tenant of the office reads the
timeline; axe-core on every page."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest

from tenantvoice import clock
from tenantvoice.extensions import db
from tests.browser.conftest import LANGS, PHONE, log_in, shoot

pytestmark = pytest.mark.browser


def _office(app, lang):
    """A housing office of its own (one per language run) with a CCR: an officer, two members
    with accounts, one without; its direction; a tenant who is on no committee."""
    from tenantvoice.accounts.models import StaffRole
    from tenantvoice.orgs.models import BodyKind, MemberRole
    from tests import factories as f

    tag = lang.replace("_", "-").lower()
    with app.app_context():
        region = f.make_region(name=f"Région du Lac {tag}")
        provider = f.make_provider(region=region, name=f"Office d'habitation du Lac {tag}")
        site = f.make_site(provider=provider, name="Habitations du Lac")
        ccr = f.make_body(
            provider=provider,
            kind=BodyKind.CCR,
            name=f"Comité consultatif de résidants du Lac {tag}",
            sites=[site],
            quorum_minimum=1,
        )
        officer = f.make_tenant(
            body=ccr,
            role=MemberRole.SECRETARY,
            name="Claudette Roy",
            email=f"claudette-{tag}@example.org",
        )
        member = f.make_tenant(body=ccr, name="Karim Haddad", email=f"karim-{tag}@example.org")
        voter = f.make_tenant(body=ccr, name="Huong Tran", email=f"huong-{tag}@example.org")
        f.make_member(body=ccr, name="Gérard Côté", unit="112")
        direction = f.make_staff(
            role=StaffRole.DIRECTION,
            provider=provider,
            user=f.make_user(name="Denis Marcoux", email=f"denis-{tag}@example.org"),
        ).user
        reader = f.make_user(name="Rosa Mendoza", email=f"rosa-{tag}@example.org")
        f.make_tenancy(user=reader, site=site, unit="301")
        db.session.commit()
        return SimpleNamespace(
            ccr_id=ccr.id,
            provider_id=provider.id,
            officer=officer.email,
            member=member.email,
            voter=voter.email,
            direction=direction.email,
            reader=reader.email,
        )


def _page(browser, lang, base, email, password):
    ctx = browser.new_context(locale=LANGS[lang][0], **PHONE)
    ctx.set_default_timeout(10_000)
    page = ctx.new_page()
    log_in(page, base, email, password)
    return ctx, page


def _vote_for(page, base, question_url, french):
    page.goto(question_url)
    page.get_by_label("Pour" if french else "For", exact=True).check()
    page.locator("main form.ballot-form button[type=submit]").click()
    page.wait_for_selector("input[name=confirm]", state="attached")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(question_url)


def test_a_recommendation_from_draft_to_answer_on_a_phone(
    live_server, live_app, live_world, browser, context, axe, lang
):
    base = live_server.url
    office = _office(live_app, lang)
    password = live_world.password
    french = lang == "fr_CA"
    opened = []

    # A CCR member drafts.
    member = context.new_page()
    log_in(member, base, office.member, password)
    member.goto(f"{base}/bodies/{office.ccr_id}/recommendations/new")
    axe.check(member)
    member.fill("#title", "Éclairage du stationnement")
    member.fill("#situation", "Trois lampadaires sont éteints depuis septembre.")
    member.fill("#recommended", "Que l'office répare l'éclairage du stationnement.")
    member.select_option("#category", "safety")
    shoot(member, "recommendation-draft", lang)
    member.locator("main form button[type=submit]").click()
    member.wait_for_url(re.compile(r".*/recommendations/\d+$"))
    rec_url = member.url
    axe.check(member)
    shoot(member, "recommendation-page", lang)

    # An officer opens a secret vote (fewer than 5 voters: confirmed).
    officer_ctx, officer = _page(browser, lang, base, office.officer, password)
    officer.goto(f"{rec_url}/vote")
    axe.check(officer)
    assert officer.locator("input[name=mode][value=secret]").is_checked()
    officer.locator("#confirm_small_electorate").check()
    shoot(officer, "recommendation-vote-form", lang)
    officer.locator("main form button[type=submit]").click()
    officer.wait_for_url(re.compile(r".*/ballots/\d+$"))
    question_url = officer.url
    axe.check(officer)

    # Two members vote in the app, one on paper (checked in by the officer).
    _vote_for(member, base, question_url, french)
    axe.check(member)
    voter_ctx, voter = _page(browser, lang, base, office.voter, password)
    _vote_for(voter, base, question_url, french)
    voter_ctx.close()
    officer.goto(f"{question_url}/paper")
    officer.fill("#roll-q", "gerard")
    officer.locator("form[role=search] button").click()
    officer.wait_for_url("**/paper?q=gerard")
    officer.locator("main form:has(input[name=person]) button").first.click()
    officer.wait_for_selector(".flash")
    axe.check(officer)

    # The vote closes; the paper ballot is counted; the recommendation is adopted.
    officer.goto(f"{question_url}/close")
    officer.locator("input[name=confirm]").check()
    officer.locator("main form button[type=submit]").click()
    officer.wait_for_url(question_url)
    officer.goto(f"{question_url}/paper/count")
    officer.get_by_label("Pour" if french else "For", exact=True).fill("1")
    officer.locator("main form button[type=submit]").click()
    officer.wait_for_url(question_url)
    officer.goto(rec_url)
    axe.check(officer)
    assert ("Adoptée par vote" if french else "Adopted by vote") in officer.text_content("main")
    shoot(officer, "recommendation-adopted", lang)

    # Transmitted (the confirmation page without JavaScript's dialog).
    officer.goto(f"{rec_url}/transmit")
    axe.check(officer)
    officer.locator("main form[method=post] button[type=submit]").click()
    officer.wait_for_url(rec_url)
    officer_ctx.close()

    # The direction answers.
    direction_ctx, direction = _page(browser, lang, base, office.direction, password)
    direction.goto(rec_url)
    axe.check(direction)
    assert "Karim Haddad" not in direction.text_content("main")
    direction.goto(f"{rec_url}/answer")
    axe.check(direction)
    direction.locator("input[name=decision][value=accepted]").check()
    direction.fill("#explanation", "Bonne idée.")
    direction.fill("#plan", "Remplacer les trois lampadaires.")
    direction.fill("#by", (clock.now() + timedelta(days=30)).date().isoformat())
    shoot(direction, "recommendation-answer", lang)
    direction.locator("main form button[type=submit]").click()
    direction.wait_for_url(rec_url)
    direction_ctx.close()

    # A tenant of the office, on no committee, reads the list and the timeline.
    reader_ctx, reader = _page(browser, lang, base, office.reader, password)
    reader.goto(f"{base}/providers/{office.provider_id}/recommendations")
    axe.check(reader)
    shoot(reader, "recommendation-list", lang)
    reader.get_by_role("link", name="Éclairage du stationnement").click()
    reader.wait_for_url(rec_url)
    axe.check(reader)
    timeline = reader.text_content("#timeline")
    for words in (
        ("Adoptée par vote", "Transmise à la direction", "L'office a répondu")
        if french
        else (
            "Adopted by vote",
            "Transmitted to the housing office's direction",
            "The office answered",
        )
    ):
        assert words in timeline
    assert "Remplacer les trois lampadaires." in reader.text_content("main")
    assert "Karim Haddad" not in reader.text_content("main")
    shoot(reader, "recommendation-timeline", lang)
    reader_ctx.close()
    opened.append(rec_url)
    axe.assert_clean(at_least=12)
