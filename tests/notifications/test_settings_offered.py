"""The settings page offers the kinds that can reach the person: a tenant is not asked how to
hear of the organizer's inbox or of minutes to sign; an officer is; staff are asked about what
reaches staff. A kind the person was ever told of stays offered (it can always be turned down),
and the choices of kinds not offered are kept when the page is saved."""

import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.notifications import services
from tenantvoice.notifications.models import (
    Channel,
    Frequency,
    Notification,
    NotificationEvent,
    Preference,
)
from tests import factories as f
from tests.minutes.helpers import in_request

EVERYONE = "Meeting notices"
NEWS = "News of the collective needs you raised or support"
TO_SIGN = "Minutes to sign"
TO_REVIEW = "Collective needs raised at your association's sites"
FORWARDED = "Collective needs forwarded to you"
RECORDED = "Collective needs recorded by a socio-community worker"


def _page(client, auth, user) -> str:
    auth.login(user)
    response = client.get("/notifications/settings")
    assert response.status_code == 200
    return response.text


def test_a_tenant_is_offered_everyones_kinds_only(world, client, auth):
    page = _page(client, auth, world.tenant_a)
    assert EVERYONE in page
    assert NEWS in page
    for staff_or_officer in (TO_SIGN, TO_REVIEW, FORWARDED, RECORDED):
        assert staff_or_officer not in page


def test_an_officer_is_offered_the_officers_kinds_too(world, client, auth):
    page = _page(client, auth, world.officer_a)
    assert EVERYONE in page
    assert TO_SIGN in page
    assert TO_REVIEW in page
    assert FORWARDED not in page


def test_an_organizer_is_offered_the_staff_kinds(world, client, auth):
    page = _page(client, auth, world.oc)
    assert FORWARDED in page
    assert RECORDED in page
    assert TO_SIGN not in page


def test_a_kind_once_received_stays_offered(world, client, auth):
    event = NotificationEvent(kind="need.raised", body=world.adl_a, url="/needs/1", title="")
    db.session.add(event)
    db.session.flush()
    db.session.add(Notification(user_id=world.tenant_a.id, event_id=event.id))
    db.session.commit()
    assert TO_REVIEW in _page(client, auth, world.tenant_a)


def test_saving_keeps_the_choices_of_kinds_not_offered(world, client, auth):
    db.session.add(
        Preference(
            user_id=world.tenant_a.id,
            kind="minutes.to_sign",
            channel=Channel.EMAIL,
            frequency=Frequency.NEVER,
        )
    )
    db.session.commit()
    auth.login(world.tenant_a)
    form = {"quiet_start": "22:00", "quiet_end": "07:00"}
    with in_request():
        offered = services.kinds_offered(world.tenant_a)
        for (key, channel), choice in services.preferences_of(world.tenant_a).items():
            if key in offered:
                form[f"pref__{key.replace('.', '__')}__{channel}"] = choice.value
    assert client.post("/notifications/settings", data=form).status_code == 303
    kept = db.session.scalar(
        sa.select(Preference.frequency).where(
            Preference.user_id == world.tenant_a.id, Preference.kind == "minutes.to_sign"
        )
    )
    assert kept == Frequency.NEVER


def test_the_offices_consultations_are_offered_to_the_ccrs_members(world, client, auth):
    consultations = "Consultations from the housing office"
    assert consultations not in _page(client, auth, world.tenant_a)
    member = f.make_tenant(body=world.ccr, name="Anna Kowalski")
    db.session.commit()
    assert consultations in _page(client, auth, member)


def test_the_kinds_are_listed_under_their_domains_headings(world, client, auth):
    page = _page(client, auth, world.officer_a)
    headings = page.split('<h3 class="kind-group">')[1:]
    names = [h.split("</h3>")[0] for h in headings]
    assert names[:3] == ["Meetings", "Minutes", "Votes"]
    assert "Collective needs" in names
    assert len(names) == len(set(names))  # each heading once
    # a heading comes before its kinds
    assert page.index(">Minutes</h3>") < page.index("Minutes to sign") < page.index(">Votes</h3>")
