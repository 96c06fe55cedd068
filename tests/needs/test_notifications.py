"""Who is told what about a need (expectations by hand): the reviewing body's officers of a
new need, the organizer of its territory of a forward, the author and supporters of news;
nobody else, and never a staff member of the tenants' news."""

import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.needs import services
from tenantvoice.notifications.kinds import get_kind
from tenantvoice.notifications.models import NotificationEvent
from tenantvoice.notifications.services import headline
from tenantvoice.organizing import services as organizing
from tenantvoice.outbox.models import Delivery
from tests import factories as f
from tests.needs.helpers import forward, neighbours, raise_need
from tests.notifications.helpers import told


def test_a_new_need_tells_the_reviewing_bodys_officers(world):
    raise_need(world)
    assert told("need.raised") == {world.officer_a.id, world.president_a.id}


def test_a_forward_tells_the_organizer_of_the_territory_only(world):
    forward(world, raise_need(world))
    assert told("need.forwarded") == {world.oc.id}


def test_news_go_to_the_author_and_the_supporters(world):
    a, b = neighbours(world, 2)
    need = raise_need(world)
    services.support(a, need)
    services.support(b, need)
    db.session.commit()
    forward(world, need)
    # the officer who forwarded is the actor: not told of their own act
    assert told("need.update") == {world.tenant_a.id, a.id, b.id}


def test_a_question_of_the_organizer_tells_the_bodys_officers(world):
    need = raise_need(world)
    forward(world, need)
    organizing.act(world.oc, need, "ask_info", public_text="Combien de logements?")
    db.session.commit()
    assert told("need.info_requested") == {world.officer_a.id, world.president_a.id}


def test_a_sensitive_need_tells_the_officers_without_its_title(world):
    raise_need(world, title="Dépression", codes=["SMN"])
    titles = db.session.scalars(
        sa.select(NotificationEvent.title).where(NotificationEvent.kind == "need.raised")
    ).all()
    assert titles == [""]


def _tenant_of_a_site_without_body(world):
    site = f.make_site(provider=world.p2, name="Le Phare")
    tenant = f.make_user(name="Rita Lebel")
    f.make_tenancy(user=tenant, site=site)
    db.session.commit()
    return tenant, site


def test_a_need_of_a_site_without_body_tells_the_organizer_of_its_territory(world):
    tenant, site = _tenant_of_a_site_without_body(world)
    raise_need(world, tenant, site=site, title="Comptoir alimentaire au Phare")
    # P2 is in region R1: its organizer, not the other region's; no body, no officer
    assert told("need.direct") == {world.oc.id}
    assert told("need.raised") == set()


def test_the_organizers_copy_carries_neither_the_text_nor_the_author(world, client, auth):
    tenant, site = _tenant_of_a_site_without_body(world)
    need = raise_need(
        world,
        tenant,
        site=site,
        title="Comptoir alimentaire au Phare",
        description="Mme Lebel du 4e manque de nourriture.",
        anonymous=False,
        share_text=True,
    )
    event = db.session.scalar(
        sa.select(NotificationEvent).where(NotificationEvent.kind == "need.direct")
    )
    assert event.title == ""
    assert event.body_id is None
    assert event.url == f"/organizing/needs/{need.id}"
    rows = db.session.execute(sa.select(Delivery)).scalars().all()
    sent = " ".join(str(vars(row)) for row in rows)
    assert "Comptoir" not in sent
    assert "Lebel" not in sent
    assert "nourriture" not in sent
    auth.login(world.oc)
    centre = client.get("/notifications").get_data(as_text=True)
    assert "A collective need came to you from a building without an association" in centre
    assert "Comptoir" not in centre
    assert "Lebel" not in centre
    assert "nourriture" not in centre


def test_the_headlines_elide_the_bodys_name_in_french(app, world):
    with app.test_request_context(headers={"Accept-Language": "fr-CA"}):
        kind = get_kind("need.raised")
        assert headline(kind, world.adl_a.name) == (
            "Un besoin collectif attend l’examen de l'Association des locataires du Parc"
        )
        assert headline(get_kind("need.forwarded"), world.ccr.name) == (
            "Un besoin collectif a été transmis de la part du CCR de la Rivière"
        )


def test_news_of_a_need_without_body_reach_its_author_and_supporters(world, client, auth):
    tenant, site = _tenant_of_a_site_without_body(world)
    neighbour = f.make_user(name="Ginette Roy")
    f.make_tenancy(user=neighbour, site=site)
    db.session.commit()
    need = raise_need(world, tenant, site=site, title="Comptoir alimentaire au Phare")
    services.support(neighbour, need)
    db.session.commit()
    organizing.act(world.oc, need, "acknowledge", public_text="Reçu, on s'en occupe.")
    db.session.commit()
    assert told("need.update") == {tenant.id, neighbour.id}
    event = db.session.scalar(
        sa.select(NotificationEvent).where(NotificationEvent.kind == "need.update")
    )
    assert event.body_id is None
    auth.login(neighbour)
    centre = client.get("/notifications").get_data(as_text=True)
    assert "News of a collective need of your building" in centre


def test_a_record_of_a_worker_tells_the_organizer_of_the_territory_without_its_title(world):
    need = services.record_isc(
        world.isc,
        world.s1,
        title="Isolement des aînés au 3e",
        description="Plusieurs personnes âgées ne sortent plus.",
        codes=["ISO"],
    )
    db.session.commit()
    assert told("need.recorded") == {world.oc.id}
    event = db.session.scalar(
        sa.select(NotificationEvent).where(NotificationEvent.kind == "need.recorded")
    )
    assert event.title == ""
    assert event.url == f"/organizing/needs/{need.id}"
    # the association's officers are not told: the record goes to the organizer only
    assert told("need.raised") == set()


def test_the_headline_of_a_need_without_body_names_no_body(app):
    with app.test_request_context(headers={"Accept-Language": "fr-CA"}):
        assert headline(get_kind("need.update"), "") == (
            "Du nouveau sur un besoin collectif de votre immeuble"
        )
