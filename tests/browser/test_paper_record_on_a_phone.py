"""Issue 9 on a phone (390×844), in French and English, axe-clean: three days after a special
assembly, its secretary types in the paper attendance sheet (each entry marked as entered after
the meeting), records a resolution from the paper minutes (counts above the people present are
refused next to the field), then corrects it: the old wording stays, with who and why."""

from datetime import timedelta

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from playwright.sync_api import expect

from tenantvoice.extensions import db
from tests.browser.conftest import LANGS, PHONE, log_in, shoot

pytestmark = pytest.mark.browser

#: People on the paper sheet (none has an account).
SHEET = ["Émilie Paré", "Gérald Thibodeau", "Lise Ouellet"]


@pytest.fixture
def paper(live_app, lang):
    """An association of its own per language, whose special assembly ended three days ago."""
    from tenantvoice.meetings.models import AgendaItem, MeetingKind
    from tenantvoice.orgs.models import MemberRole, QuorumMode
    from tests import factories as f

    suffix = lang.lower().replace("_", "-")
    with live_app.app_context():
        site = f.make_site(name=f"Habitations du Papier {suffix}")
        body = f.make_body(
            provider=site.provider,
            name=f"Association du Papier {suffix}",
            sites=[site],
            quorum_mode=QuorumMode.NUMBER,
            quorum_number=3,
            quorum_minimum=3,
        )
        secretary = f.make_tenant(
            body=body,
            role=MemberRole.SECRETARY,
            name="Réjeanne Boucher",
            email=f"papier-{suffix}@example.org",
        )
        for n, name in enumerate(SHEET):
            f.make_member(body=body, name=name, unit=str(104 + n), site=site)
        meeting = f.make_meeting(
            body=body,
            kind=MeetingKind.SPECIAL,
            title="Assemblée extraordinaire",
            starts_in=-timedelta(days=3),
            agenda=(),
            year_number=1,
        )
        db.session.add(AgendaItem(meeting=meeting, position=1, title="Sécurité de l'immeuble"))
        db.session.commit()
        return {"email": secretary.email, "meeting": meeting.id}


def test_the_secretary_types_in_a_past_meeting_and_corrects_a_resolution(
    browser, live_server, live_app, live_world, paper, lang, axe
):
    base = live_server.url
    meeting = paper["meeting"]

    def t(msgid, **values):
        with live_app.test_request_context(), force_locale(lang):
            return _(msgid, **values)

    def t_of(msgid, name):
        """A message naming a person after "of" (French: d'Émilie, de Marc)."""
        from tenantvoice.web.i18n import of_name

        with live_app.test_request_context(), force_locale(lang):
            return _(msgid, name=of_name(name))

    ctx = browser.new_context(locale=LANGS[lang][0], **PHONE)
    ctx.set_default_timeout(10_000)
    try:
        page = ctx.new_page()
        log_in(page, base, paper["email"], live_world.password)

        # --- the paper attendance sheet, three days later -------------------------------------
        page.goto(f"{base}/meetings/{meeting}/attendance")
        expect(page.locator("main")).to_contain_text(
            t(
                "This meeting is over: complete its attendance from the paper sheet. What you "
                "enter now is marked as entered after the meeting, until the minutes are proposed."
            )
        )
        axe.check(page)
        sheet = page.locator(f"#attendance-list-{meeting}")
        for name in SHEET:
            with page.expect_response(lambda r: "/attendance?q=" in r.url):
                page.get_by_label(t("Search by name or unit")).fill(name.split()[-1][:5])
            row = sheet.get_by_role("listitem").filter(has_text=name)
            row.get_by_label(t("Signed the paper sheet")).check()
            row.get_by_role("button", name=t_of("Mark %(name)s present", name)).click()
            expect(row).to_contain_text(t("Entered after the meeting"))
        axe.check(page)
        shoot(page, "paper-attendance", lang)

        # --- a resolution from the paper minutes ----------------------------------------------
        page.goto(f"{base}/meetings/{meeting}/resolutions")
        axe.check(page)
        form = page.locator("form.resolution-form")
        form.get_by_label(t("Text of the motion")).fill(
            "que l'association demande de nouvelles serrures"
        )
        form.get_by_label(t("Moved by")).select_option(label=SHEET[0])
        form.get_by_label(t("Seconded by")).select_option(label=SHEET[1])
        form.get_by_label(t("Outcome")).select_option(
            label=t("Carried by majority (give the counts)")
        )
        form.get_by_label(t("Votes for")).fill("99")
        form.get_by_label(t("Votes against")).fill("0")
        form.get_by_label(t("Abstentions")).fill("0")
        form.get_by_role("button", name=t("Record the motion")).click()
        error = page.locator("#votes_for-errors")
        expect(error).to_contain_text(
            t(
                "At most %(voters)d people present can vote: the votes for, against and the "
                "abstentions add up to %(total)d.",
                voters=3,
                total=99,
            )
        )
        axe.check(page)
        form = page.locator("form.resolution-form")
        form.get_by_label(t("Votes for")).fill("2")
        form.get_by_role("button", name=t("Record the motion")).click()
        item = page.locator(".resolution").first
        expect(item).to_contain_text(t("Entered after the meeting"))
        axe.check(page)

        # --- the correction: the old wording stays, with who, when and why ---------------------
        item.locator("summary").click()
        correct = item.locator("form.correct-form")
        correct.get_by_label(t("Votes for")).fill("1")
        correct.get_by_label(t("Abstentions")).fill("1")
        correct.get_by_label(t("Why is it corrected?")).fill(
            "La feuille de vote compte une abstention."
        )
        correct.get_by_role("button", name=t("Record the correction")).click()
        item = page.locator(".resolution").first
        expect(item).to_contain_text(t("Corrections"))
        expect(item).to_contain_text("Réjeanne Boucher")
        expect(item).to_contain_text("La feuille de vote compte une abstention.")
        expect(item.locator(".resolution-corrections")).to_contain_text(
            t("Before the correction: %(before)s", before="")
        )
        axe.check(page)
        shoot(page, "paper-correction", lang)
    finally:
        ctx.close()
    axe.assert_clean(at_least=6)
