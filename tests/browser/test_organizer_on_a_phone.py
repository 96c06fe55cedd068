"""An organizer (OC) on a phone, in French and English, axe-clean (issue 9): the home page
names the region and lists the upcoming meeting that invites them and the association calling
for support; the organizer opens the minutes an association shares with them; the body-setup
form chooses buildings with checkboxes."""

from datetime import timedelta

import pytest

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.minutes.models import MinutesState
from tenantvoice.orgs.models import Body, MemberRole, Provider
from tests import factories as f
from tests.browser.conftest import LANGS, PHONE, log_in, shoot
from tests.minutes.helpers import T0, minutes_in_state

pytestmark = pytest.mark.browser

TEXTS = {
    "fr_CA": {
        "region": "Région\u00a0: Région des Etchemins",
        "meetings": "Rencontres à venir auxquelles on m'invite",
        "alerts": "Associations qui pourraient avoir besoin de soutien",
        "minutes": "Procès-verbaux",
    },
    "en": {
        "region": "Region: Région des Etchemins",
        "meetings": "Upcoming meetings I am invited to",
        "alerts": "Associations that may need support",
        "minutes": "Minutes",
    },
}


@pytest.fixture
def shared_minutes(live_app, live_world, lang):
    """An association of the OC's region that shares its published minutes with its organizer
    and invites them to its coming AGA."""
    from types import SimpleNamespace

    with live_app.app_context():
        provider = db.session.scalar(
            db.select(Provider).where(Provider.name == live_world.provider_name)
        )
        site = f.make_site(provider=provider, name=f"Résidence Bellevue {lang}")
        body = f.make_body(provider=provider, name=f"Association Bellevue {lang}", sites=[site])
        body.minutes_shared_with_organizer = True
        tag = lang.lower()
        officer = f.make_tenant(
            body=body, role=MemberRole.SECRETARY, name="Rémi Caron", email=f"remi-{tag}@example.org"
        )
        president = f.make_tenant(
            body=body,
            role=MemberRole.PRESIDENT,
            name="Hélène Roy",
            email=f"helene-{tag}@example.org",
        )
        db.session.commit()
        if clock.now() < T0 + timedelta(days=1):
            clock.set(T0 + timedelta(days=1))
        w = SimpleNamespace()
        minutes = minutes_in_state(
            w, MinutesState.PUBLISHED, body=body, officer=officer, president=president
        )
        clock.reset()
        f.make_meeting(
            body=db.session.get(Body, body.id),
            title=f"AGA Bellevue {lang}",
            oc_invited=True,
            starts_in=timedelta(days=12),
        )
        db.session.commit()
        return SimpleNamespace(body_id=body.id, minutes_id=minutes.id, body_name=body.name)


def test_an_organizer_reads_upcoming_meetings_and_shared_minutes(
    browser, live_server, live_world, shared_minutes, lang, axe
):
    base = live_server.url
    text = TEXTS[lang]
    ctx = browser.new_context(locale=LANGS[lang][0], **PHONE)
    ctx.set_default_timeout(10_000)
    try:
        page = ctx.new_page()
        log_in(page, base, live_world.oc_email, live_world.password)
        page.get_by_text(text["region"]).wait_for()
        page.get_by_role("heading", name=text["meetings"]).wait_for()
        page.get_by_role("link", name=f"AGA Bellevue {lang}").wait_for()
        page.get_by_role("heading", name=text["alerts"]).wait_for()
        axe.check(page)
        shoot(page, "organizer-home", lang)

        page.goto(f"{base}/bodies/{shared_minutes.body_id}/minutes")
        axe.check(page)
        page.locator(f"a[href='/minutes/{shared_minutes.minutes_id}']").first.click()
        page.wait_for_url(f"{base}/minutes/{shared_minutes.minutes_id}")
        assert "plainte contre le concierge" not in page.content()  # in camera: never shared
        axe.check(page)
        shoot(page, "organizer-shared-minutes", lang)

        page.goto(base + "/bodies/new")
        boxes = page.locator("input[type=checkbox][name=site_ids]")
        assert boxes.count() >= 2
        boxes.first.check()  # a tap, no Ctrl/Cmd
        axe.check(page)
    finally:
        ctx.close()
    axe.assert_clean(at_least=4)
