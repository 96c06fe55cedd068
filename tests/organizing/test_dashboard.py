"""The organizer's dashboard: scope, filters in the URL, counts, sensitive cards, actions."""

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.needs import services, taxonomy
from tenantvoice.needs.models import NeedEvent, Status
from tenantvoice.organizing import queries
from tenantvoice.organizing import services as organizing
from tenantvoice.policy.core import staff_scope
from tests import factories as f
from tests.needs.helpers import neighbours, partner, raise_need


def _forwarded(
    w, user=None, *, codes=("ALI",), wording="Comptoir alimentaire", site=None, officer=None
):
    need = raise_need(w, user, codes=codes, site=site)
    services.forward(officer or w.officer_a, need, wording=wording, to_organizer=True)
    db.session.commit()
    return need


def test_the_inbox_holds_only_needs_forwarded_to_the_organizer(world, client, auth):
    _forwarded(world, wording="Comptoir alimentaire au Parc")
    raise_need(world, title="Pas encore transmis")
    auth.login(world.oc)
    page = client.get("/organizing/needs").get_data(as_text=True)
    assert "Comptoir alimentaire au Parc" in page
    assert "Pas encore transmis" not in page


def test_an_organizer_of_another_region_sees_nothing_and_cannot_act(world, client, auth):
    need = _forwarded(world, wording="Comptoir alimentaire au Parc")
    auth.login(world.oc_other)
    assert "Comptoir alimentaire au Parc" not in client.get("/organizing/needs").get_data(
        as_text=True
    )
    r = client.post(f"/organizing/needs/{need.id}/act", data={"action": "acknowledge"})
    assert r.status_code == 404
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(NeedEvent)) == 2
    )  # raised, forwarded


def test_filters_narrow_the_list_and_count_each_value(app, world, client, auth):
    _forwarded(world, codes=("ALI",), wording="Comptoir alimentaire")
    _forwarded(world, codes=("JAR",), wording="Jardin communautaire")
    _forwarded(
        world,
        world.tenant_c,
        codes=("JAR",),
        wording="Jardin solidaire",
        site=world.s3,
        officer=world.officer_c,
    )
    auth.login(world.oc)
    page = client.get("/organizing/needs?category=JAR").get_data(as_text=True)
    assert "Jardin communautaire" in page
    assert "Jardin solidaire" in page
    assert "Comptoir alimentaire" not in page
    page = client.get("/organizing/needs?category=JAR&kind=obnl").get_data(as_text=True)
    assert "Jardin communautaire" not in page
    assert "Jardin solidaire" in page
    with app.test_request_context():
        facet = {x.name: x for x in queries.facets(_scope(world), queries.Filters(category="JAR"))}
    assert {v: c for v, _l, c in facet["kind"].values} == {"office": 1, "obnl": 1}
    assert {v: c for v, _l, c in facet["category"].values} == {"ALI": 1, "JAR": 2}


def _scope(w):
    return staff_scope(w.oc)


def test_the_search_reads_the_wording_accents_ignored(world, client, auth):
    _forwarded(world, wording="Sécurité alimentaire des aînés")
    auth.login(world.oc)
    assert "des aînés" in client.get("/organizing/needs?q=SECURITE").get_data(as_text=True)
    assert "No need matches" in client.get("/organizing/needs?q=introuvable").get_data(as_text=True)


def test_htmx_gets_the_results_region_only(world, client, auth):
    auth.login(world.oc)
    r = client.get("/organizing/needs?status=forwarded", headers={"HX-Request": "true"})
    assert r.get_data(as_text=True).lstrip().startswith("{#") or 'id="needs-results"' in r.get_data(
        as_text=True
    )
    assert "<html" not in r.get_data(as_text=True)


def test_bad_filter_values_are_ignored(world, client, auth):
    auth.login(world.oc)
    r = client.get("/organizing/needs?region=abc&category=ZZZ&page=-3&supporters=7&sort=evil")
    assert r.status_code == 200


def test_sensitive_needs_show_only_as_cards_with_fewer_than_5(world, client, auth):
    _forwarded(world, codes=("BUD",), wording="Difficultés à payer le loyer")
    auth.login(world.oc)
    page = client.get("/organizing/needs").get_data(as_text=True)
    assert "Difficultés" not in page
    assert "Fewer than 5 people concerned" in page


def test_a_card_shows_its_count_from_5_people(world):
    need = _forwarded(world, codes=("BUD",))
    for p in neighbours(world, 5):
        services.support(p, need)
    db.session.commit()
    cards = queries.sensitive_cards(_scope(world), queries.Filters())
    assert [(c.code, c.people.value) for c in cards] == [("BUD", 6)]


def test_referring_needs_a_partner_of_the_region(world, client, auth):
    need = _forwarded(world)
    elsewhere = partner(world, region=world.r2, name="Ailleurs")
    auth.login(world.oc)
    r = client.post(
        f"/organizing/needs/{need.id}/act", data={"action": "refer", "partner_id": elsewhere.id}
    )
    assert r.status_code == 422
    db.session.refresh(need)
    assert need.status == Status.FORWARDED


def test_closing_needs_an_outcome(world, client, auth):
    need = _forwarded(world)
    auth.login(world.oc)
    assert (
        client.post(f"/organizing/needs/{need.id}/act", data={"action": "close"}).status_code == 422
    )
    r = client.post(
        f"/organizing/needs/{need.id}/act",
        data={"action": "close", "public_text": "Un comptoir ouvre le mardi."},
    )
    assert r.status_code == 302
    db.session.refresh(need)
    assert need.status == Status.CLOSED
    assert need.closed_at is not None


def test_the_first_action_sets_the_time_to_first_response(world):
    need = _forwarded(world)
    clock.set(clock.now().replace(microsecond=0))
    organizing.act(world.oc, need, "acknowledge")
    assert need.first_response_seconds is not None
    first = need.first_response_seconds
    organizing.act(world.oc, need, "plan", public_text="Réunion le 12.")
    assert need.first_response_seconds == first


def test_acting_on_a_card_acts_on_every_need_behind_it(world, client, auth):
    a = _forwarded(world, codes=("SMN",))
    b = _forwarded(world, world.officer_a, codes=("SMN",))
    auth.login(world.oc)
    r = client.post(
        f"/organizing/cards/{world.s1.id}/SMN",
        data={"action": "acknowledge", "public_text": "Nous vous avons entendus."},
    )
    assert r.status_code == 302
    db.session.refresh(a)
    db.session.refresh(b)
    assert a.status == b.status == Status.ACKNOWLEDGED


def test_statistics_hide_small_counts_in_page_and_csv(world, client, auth):
    _forwarded(world, codes=("ALI",))
    auth.login(world.oc)
    page = client.get("/organizing/statistics").get_data(as_text=True)
    assert "fewer than 5" in page
    assert "<svg" in page
    csv_text = client.get("/organizing/statistics.csv").get_data(as_text=True)
    assert "fewer than 5" in csv_text


def test_an_isc_record_goes_straight_to_the_organizer(world, client, auth):
    auth.login(world.isc)
    r = client.post(
        "/needs/record",
        data={
            "form_key": "d" * 32,
            "site_id": world.s1.id,
            "title": "Isolement des aînés du 4e",
            "categories": ["ISO"],
            "populations": ["seniors"],
        },
    )
    assert r.status_code == 302
    auth.login(world.oc)
    assert "Isolement des aînés du 4e" in client.get("/organizing/needs").get_data(as_text=True)
    auth.login(world.officer_a)
    assert "Isolement des aînés" not in client.get(f"/bodies/{world.adl_a.id}/needs").get_data(
        as_text=True
    )


def test_a_site_without_body_reaches_the_organizer_without_its_text(world, client, auth):
    site = f.make_site(provider=world.p2, name="Le Phare")
    tenant = f.make_user(name="Rita Lebel")
    f.make_tenancy(user=tenant, site=site)
    db.session.commit()
    raise_need(world, tenant, site=site, title="Texte que Rita garde pour elle")
    auth.login(world.oc)
    page = client.get("/organizing/needs").get_data(as_text=True)
    assert "Le Phare" in page
    assert "Texte que Rita" not in page
    assert "Rita Lebel" not in page


def test_a_need_counts_and_filters_under_each_of_its_categories(app, world, client, auth):
    # The category counts and filter read the need's bit mask: a second category counts too.
    both = _forwarded(world, codes=("ISO", "JAR"), wording="Isolement et jardin")
    _forwarded(world, codes=("JAR",), wording="Jardin communautaire")
    assert both.category_mask == taxonomy.BIT["ISO"] | taxonomy.BIT["JAR"]
    auth.login(world.oc)
    page = client.get("/organizing/needs?category=ISO").get_data(as_text=True)
    assert "Isolement et jardin" in page
    assert "Jardin communautaire" not in page
    with app.test_request_context():
        facet = {x.name: x for x in queries.facets(_scope(world), queries.Filters())}
    assert {v: c for v, _l, c in facet["category"].values} == {"ISO": 1, "JAR": 2}


def test_the_search_never_reads_a_tenants_unshared_text(world, client, auth):
    need = raise_need(world, title="Punaises chez madame Tremblay", codes=("ALI",))
    services.forward(world.officer_a, need, wording="Besoin alimentaire", to_organizer=True)
    db.session.commit()
    auth.login(world.oc)
    assert "No need matches" in client.get("/organizing/needs?q=tremblay").get_data(as_text=True)
    assert "Besoin alimentaire" in client.get("/organizing/needs?q=ALIMENTAIRE").get_data(
        as_text=True
    )


def test_every_building_is_reachable_beyond_the_busiest_in_the_filter(
    app, world, client, auth, monkeypatch
):
    monkeypatch.setattr(queries, "FACET_TOP", 1)
    monkeypatch.setattr(queries, "PLACES_PAGE", 1)
    # S1 has two needs; a building without a body (straight to the organizer) has one.
    quiet = f.make_site(provider=world.p2, name="Les Érables")
    tenant = f.make_user(name="Gisèle Roy")
    f.make_tenancy(user=tenant, site=quiet)
    db.session.commit()
    _forwarded(world, codes=("ALI",), wording="Comptoir au Parc")
    _forwarded(world, codes=("JAR",), wording="Jardin au Parc")
    raise_need(world, tenant, site=quiet, title="Jardin aux Érables", codes=("JAR",))
    auth.login(world.oc)
    page = client.get("/organizing/needs").get_data(as_text=True)
    assert "/organizing/needs/all/site" in page  # the list offers the busiest, then "all"
    with app.test_request_context():
        facet = {x.name: x for x in queries.facets(_scope(world), queries.Filters())}
        assert [v for v, _l, _c in facet["site"].values] == [world.s1.id]
        # the selected building is offered even when it is not among the busiest
        chosen = queries.Filters(site=quiet.id)
        facet = {x.name: x for x in queries.facets(_scope(world), chosen)}
        assert [v for v, _l, _c in facet["site"].values] == [quiet.id]
    first = client.get("/organizing/needs/all/site").get_data(as_text=True)
    second = client.get("/organizing/needs/all/site?page=2").get_data(as_text=True)
    # by name, a page at a time: Habitations du Parc, then Les Érables
    assert "Habitations du Parc (2)" in first
    assert "Les Érables (1)" in second
    assert f"site={quiet.id}" in second
    assert "Page 2 of 2" in second
    assert client.get("/organizing/needs/all/region").status_code == 404
