"""Who is told what about a need (expectations by hand): the reviewing body's officers of a
new need, the organizer of its territory of a forward, the author and supporters of news;
nobody else, and never a staff member of the tenants' news."""

import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.needs import services
from tenantvoice.notifications.models import NotificationEvent
from tenantvoice.organizing import services as organizing
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
