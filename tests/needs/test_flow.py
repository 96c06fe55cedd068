"""The path of a need end to end, through HTTP: raised anonymously, supported, forwarded by the
ADL, referred by the organizer, and read by its author in plain words."""

import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.needs.models import Need, NeedSupport, Status
from tests.needs.helpers import neighbours, partner


def test_a_need_goes_from_a_tenant_to_the_organizer_and_back(world, client, auth):
    w = world
    auth.login(w.tenant_a)
    r = client.get("/needs/new")
    assert r.status_code == 200
    r = client.post(
        "/needs/new",
        data={
            "form_key": "a" * 32,
            "site_id": w.s1.id,
            "title": "Comptoir d'aide alimentaire",
            "description": "Les fins de mois sont dures pour plusieurs familles.",
            "categories": ["ALI"],
            "populations": ["families"],
            "urgency": "medium",
        },
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    need = db.session.scalar(sa.select(Need))
    assert need.anonymous
    assert not need.share_text
    assert need.reviewing_body_id == w.adl_a.id

    for neighbour in neighbours(w, 2):
        auth.login(neighbour)
        assert client.post(f"/needs/{need.id}/support").status_code == 302
    db.session.refresh(need)
    assert need.supporters_count == 3

    auth.login(w.officer_a)
    assert client.get(f"/bodies/{w.adl_a.id}/needs").status_code == 200
    assert client.get(f"/needs/{need.id}/review").status_code == 200
    r = client.post(
        f"/needs/{need.id}/forward",
        data={
            "wording": "Les familles demandent un comptoir.",
            "to_organizer": "y",
            "priority": "high",
        },
    )
    assert r.status_code == 302, r.get_data(as_text=True)

    p = partner(w)
    auth.login(w.oc)
    page = client.get("/organizing/needs?category=ALI&kind=office").get_data(as_text=True)
    assert "Les familles demandent un comptoir." in page
    assert "Lucie" not in page
    assert "Comptoir d&#39;aide" not in page
    r = client.post(
        f"/organizing/needs/{need.id}/act",
        data={
            "action": "refer",
            "partner_id": p.id,
            "public_text": "La banque alimentaire vous contactera.",
        },
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    db.session.refresh(need)
    assert need.status == Status.REFERRED

    auth.login(w.tenant_a)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "La banque alimentaire vous contactera." in page
    assert "Banque alimentaire des Etchemins" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NeedSupport)) == 3
