"""The direction and the organizer never receive an anonymous author's or a supporter's
identity: not in a page, a CSV, a JSON answer or a notification (issue 13, §5.3)."""

import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.needs import services
from tenantvoice.notifications.models import Notification, NotificationEvent
from tenantvoice.organizing import services as organizing
from tests.needs.helpers import forward, neighbours, partner, raise_need
from tests.notifications.helpers import told

SECRET_TITLE = "Le concierge ignore nos plaintes"


def _scene(w):
    """An anonymous need with two supporters, forwarded to the organizer and the direction,
    referred to a partner; and a sensitive need with its supporters."""
    people = neighbours(w, 2)
    need = raise_need(
        w, title=SECRET_TITLE, description="Texte privé de la locataire.", codes=["ENT"]
    )
    for p in people:
        services.support(p, need)
    forward(
        w, need, to_organizer=True, to_direction=True, wording="Entretien des corridors à revoir."
    )
    organizing.act(w.oc, need, "refer", public_text="Transmis.", partner_id=partner(w).id)
    sensitive = raise_need(w, title="Dépression de plusieurs voisins", codes=["SMN"])
    for p in people:
        services.support(p, sensitive)
    forward(w, sensitive, to_organizer=True, to_direction=True, wording="Détresse psychologique.")
    db.session.commit()
    return need, [w.tenant_a, *people]


def _identities(users):
    out = []
    for u in users:
        out.append(u.name)
        if u.email:
            out.append(u.email)
    return out


def _pages(client, need):
    return [
        "/organizing/needs",
        "/organizing/needs?q=corridors",
        f"/organizing/needs/{need.id}",
        "/organizing/statistics",
        "/organizing/statistics.csv",
        "/organizing/partners",
        f"/organizing/cards/{need.site_id}/SMN",
    ]


def test_the_organizer_never_reads_an_anonymous_author_or_a_supporter(world, client, auth):
    need, people = _scene(world)
    auth.login(world.oc)
    for url in _pages(client, need):
        r = client.get(url)
        assert r.status_code == 200, url
        body = r.get_data(as_text=True)
        for identity in _identities(people):
            assert identity not in body, (url, identity)
        assert "Texte privé" not in body, url
        assert "Dépression" not in body, url


def test_the_direction_reads_the_wording_and_a_count_never_a_name_or_text(world, client, auth):
    need, people = _scene(world)
    auth.login(world.direction)
    body = client.get("/organizing/direction").get_data(as_text=True)
    assert "Entretien des corridors à revoir." in body
    assert "Fewer than 5 people concerned" in body
    for identity in _identities(people):
        assert identity not in body
    assert SECRET_TITLE not in body
    assert "Texte privé" not in body
    assert "Détresse" not in body  # a sensitive need under 5 people: not even a count
    for url in (f"/needs/{need.id}", f"/organizing/needs/{need.id}", "/organizing/needs"):
        assert client.get(url).status_code in (403, 404), url


def test_no_notification_names_an_author_or_a_supporter_or_carries_a_sensitive_text(world):
    _need, people = _scene(world)
    names = _identities(people)
    for event in db.session.scalars(sa.select(NotificationEvent)):
        for identity in names:
            assert identity not in (event.title or "")
        assert "Dépression" not in (event.title or "")
    staff = {world.oc.id, world.direction.id, world.oc_other.id, world.admin.id}
    # The organizer is told a need was forwarded, with no title at all.
    assert told("need.forwarded") == {world.oc.id}
    forwarded = db.session.scalars(
        sa.select(NotificationEvent).where(NotificationEvent.kind == "need.forwarded")
    ).all()
    assert all(e.title == "" for e in forwarded)
    # Staff never receive the tenants' news of a need.
    tenants_news = set(
        db.session.scalars(
            sa.select(Notification.user_id)
            .join(NotificationEvent, NotificationEvent.id == Notification.event_id)
            .where(NotificationEvent.kind.in_(["need.update", "need.raised"]))
        )
    )
    assert not tenants_news & staff


def test_the_notifications_json_of_the_organizer_names_nobody(world, client, auth):
    _need, people = _scene(world)
    auth.login(world.oc)
    for url in ("/notifications", "/notifications/count"):
        r = client.get(url)
        if r.status_code != 200:
            continue
        body = r.get_data(as_text=True)
        for identity in _identities(people):
            assert identity not in body
