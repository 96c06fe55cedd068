"""Recording on a phone: one form, a record per submission (a double tap records once), the
worker edits and deletes only their own records, never a name."""

import re

import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.logbook import queries
from tenantvoice.logbook.models import Intervention, Kind, Referral
from tenantvoice.needs.models import Partner, PartnerKind
from tests.logbook.helpers import record, today
from tests.needs.helpers import forward, raise_need


def _form(w, **overrides):
    data = {
        "day": today().isoformat(),
        "site_id": w.s1.id,
        "kinds": [str(int(Kind.INDIVIDUAL)), str(int(Kind.PREVENTION))],
        "populations": ["families", "youth"],
        "themes": ["ALI"],
        "people": "3",
        "duration_minutes": "45",
        "unlisted": ["cisss"],
        "need_id": "0",
        "body_id": "0",
        "note": "Suivi à prévoir.",
    }
    data.update(overrides)
    return data


def _key(client):
    page = client.get("/logbook/new").get_data(as_text=True)
    return re.search(r'name="form_key" type="hidden" value="([0-9a-f]{32})"', page).group(1)


def test_the_form_says_no_identity_is_recorded_and_defaults_to_today(world, client, auth):
    auth.login(world.isc)
    page = client.get("/logbook/new").get_data(as_text=True)
    assert "No tenant's identity is ever recorded" in page
    assert f'value="{today().isoformat()}"' in page


def test_an_isc_records_an_intervention_with_a_referral(world, client, auth):
    partner = Partner(
        region_id=world.r1.id, kind=PartnerKind.COMMUNITY, name="Banque", service="Aide alimentaire"
    )
    db.session.add(partner)
    db.session.commit()
    auth.login(world.isc)
    key = _key(client)
    response = client.post(
        "/logbook/new", data=_form(world, form_key=key, partners=[str(partner.id)])
    )
    assert response.status_code == 302
    found = db.session.scalars(sa.select(Intervention)).one()
    assert found.worker_id == world.isc.id
    assert found.provider_id == world.s1.provider_id
    assert found.region_id == world.r1.id
    assert found.kind_list == [Kind.INDIVIDUAL, Kind.PREVENTION]
    assert found.people == 3
    assert found.referrals_count == 2
    kinds = sorted(r.partner_kind.value for r in db.session.scalars(sa.select(Referral)))
    assert kinds == ["cisss", "community"]


def test_a_double_tap_records_once(world, client, auth):
    auth.login(world.isc)
    data = _form(world, form_key=_key(client))
    assert client.post("/logbook/new", data=data).status_code == 302
    assert client.post("/logbook/new", data=data).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Intervention)) == 1


def test_bad_input_comes_back_with_the_message_next_to_the_field(world, client, auth):
    auth.login(world.isc)
    data = _form(world, form_key=_key(client), people="100000", kinds=[])
    response = client.post("/logbook/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter a number from 0 to 500." in page
    assert "Choose at least one kind." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Intervention)) == 0


def test_a_partner_of_another_region_is_refused(world, client, auth):
    other = Partner(region_id=world.r2.id, kind=PartnerKind.CISSS, name="Ailleurs")
    db.session.add(other)
    db.session.commit()
    auth.login(world.isc)
    response = client.post(
        "/logbook/new", data=_form(world, form_key=_key(client), partners=[str(other.id)])
    )
    assert response.status_code == 422


def test_the_worker_edits_and_deletes_their_own_record(world, client, auth):
    found = record(world.isc, world.s1, people=2)
    auth.login(world.isc)
    assert client.get(f"/logbook/{found.id}/edit").status_code == 200
    response = client.post(f"/logbook/{found.id}/edit", data=_form(world, people="7"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Intervention, found.id).people == 7
    assert client.post(f"/logbook/{found.id}/delete").status_code == 302
    assert db.session.get(Intervention, found.id) is None


def test_another_workers_record_does_not_exist_for_me(world, client, auth):
    found = record(world.isc, world.s1)
    auth.login(world.oc)
    assert client.get(f"/logbook/{found.id}").status_code == 404
    assert client.post(f"/logbook/{found.id}/edit", data=_form(world)).status_code == 404


def test_a_record_keeps_its_need_when_edited_even_once_out_of_the_recent_list(
    world, client, auth, monkeypatch
):
    need = raise_need(world)
    forward(world, need)
    found = record(world.isc, world.s1, need_id=need.id)
    monkeypatch.setattr(queries, "linkable_needs", lambda scope, limit=100: [])
    auth.login(world.isc)
    data = _form(world, need_id=str(need.id), people="4")
    assert client.post(f"/logbook/{found.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Intervention, found.id).need_id == need.id


def test_only_a_need_the_worker_may_see_can_be_linked(world, client, auth):
    hidden = raise_need(world, title="Pas encore relayé")  # the association has not forwarded it
    seen = raise_need(world, title="Relayé à l'organisation")
    forward(world, seen)
    auth.login(world.oc)
    page = client.get("/logbook/new").get_data(as_text=True)
    assert "Relayé à l'organisation" in page or "Relayé à l&#39;organisation" in page
    assert "Pas encore relayé" not in page
    response = client.post(
        "/logbook/new", data=_form(world, form_key=_key(client), need_id=str(hidden.id))
    )
    assert response.status_code == 422
    response = client.post(
        "/logbook/new", data=_form(world, form_key=_key(client), need_id=str(seen.id))
    )
    assert response.status_code == 302
