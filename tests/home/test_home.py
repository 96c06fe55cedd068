"""Home page per role."""

from tenantvoice.extensions import db
from tenantvoice.orgs.invitations import create_invitation


def test_tenant_sees_their_body(world, client, auth):
    auth.login(world.tenant_a)
    page = client.get("/").text
    assert "Association des locataires du Parc" in page
    assert "To do" not in page


def test_officer_sees_todo(world, client, auth):
    create_invitation(world.officer_a, world.adl_a)
    db.session.commit()
    auth.login(world.officer_a)
    page = client.get("/").text
    assert "To do" in page
    assert "1 member has no account yet." in page
    assert "1 invitation is waiting to be used." in page
    assert "the board has fewer than 3 people." in page


def test_oc_sees_counts_and_setup_link(world, client, auth):
    auth.login(world.oc)
    page = client.get("/").text
    assert "Association des locataires du Parc" in page
    assert "4 members" in page  # tenant, secretary, president and the paper member
    assert "/bodies/new" in page
    assert "Gérard Côté" not in page


def test_isc_sees_counts_without_setup_link(world, client, auth):
    auth.login(world.isc)
    page = client.get("/").text
    assert "Association des Érables" in page
    assert "/bodies/new" not in page


def test_direction_sees_recognized_bodies_without_member_data(world, client, auth):
    auth.login(world.direction)
    page = client.get("/").text
    assert "Register of tenants&#39; bodies" in page or "Register of tenants' bodies" in page
    assert "Association des locataires du Parc" in page
    assert "Lucie Tremblay" not in page
    assert "Gérard Côté" not in page
    assert " members" not in page


def test_admin_sees_administration(world, client, auth):
    auth.login(world.admin)
    assert "/admin/staff" in client.get("/").text


def test_home_query_count_does_not_grow_with_bodies(world, client, auth):
    from sqlalchemy import event

    from tests import factories as f

    auth.login(world.oc)
    p1_id = world.p1.id

    def count():
        db.session.remove()
        statements = []

        def listener(*args):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    count()
    before = count()
    from tenantvoice.orgs.models import Provider

    provider = db.session.get(Provider, p1_id)
    for n in range(5):
        f.make_body(provider=provider, name=f"Comité {n}")
    db.session.commit()
    assert count() == before


# --- an organizer who follows hundreds of bodies: filtered, counted and paged (issue 8) --------


def _bodies(world, n: int, provider=None) -> None:
    from tests import factories as f

    for i in range(n):
        f.make_body(provider=provider or world.p1, name=f"Comité Érable {i:03d}")
    db.session.commit()


def test_oc_home_pages_the_bodies_followed_with_the_total(world, client, auth):
    auth.login(world.oc)
    _bodies(world, 30)
    page = client.get("/", query_string={"q": "comite erable"}).text
    assert "30 associations and committees · showing 1 to 25" in page
    assert page.count('id="home-followed-') == 25
    assert "/?q=comite+erable&amp;page=2" in page
    second = client.get("/", query_string={"q": "comite erable", "page": "2"}).text
    assert second.count('id="home-followed-') == 5


def test_oc_home_filters_by_provider(world, client, auth):
    auth.login(world.oc)
    _bodies(world, 3, provider=world.p2)
    page = client.get("/", query_string={"provider": str(world.p2.id)}).text
    assert "Comité Érable 000" in page
    assert world.adl_a.name not in page  # of P1
    # A provider outside the scope is ignored: every provider followed is shown.
    outside = client.get("/", query_string={"provider": str(world.p3.id)}).text
    assert world.adl_a.name in outside
    assert "Comité Érable 000" in outside


def test_oc_home_search_that_matches_nothing_says_so(world, client, auth):
    auth.login(world.oc)
    assert "No association or committee matches." in client.get("/?q=zzz").text
