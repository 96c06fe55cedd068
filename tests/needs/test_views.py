"""Tenants' pages and the reviewing body's: what each person sees, and bad input refused with a
translated message and nothing recorded."""

import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.needs import services
from tenantvoice.needs.models import Need, NeedComment, NeedSupport, Status
from tests import factories as f
from tests.needs.helpers import raise_need


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_site_tenants_see_a_non_sensitive_need_without_an_anonymous_authors_name(
    world, client, auth
):
    need = raise_need(world)
    auth.login(world.officer_a)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert need.title.replace("'", "&#39;") in page
    assert world.tenant_a.name not in page


def test_a_signed_need_names_its_author_to_the_sites_tenants(world, client, auth):
    need = raise_need(world, anonymous=False)
    auth.login(world.officer_a)
    assert world.tenant_a.name in client.get(f"/needs/{need.id}").get_data(as_text=True)


def test_a_sensitive_need_is_not_listed_nor_opened_by_other_tenants(world, client, auth):
    need = raise_need(world, title="Punaises de lit au 3e", codes=["VER"], site=world.s1)
    other = world.officer_a
    # officer_a is an officer of the reviewing body: may read it
    auth.login(other)
    assert client.get(f"/needs/{need.id}").status_code == 200
    neighbour = f.make_tenant(body=world.adl_a, name="Voisine")
    auth.login(neighbour)
    assert "Punaises" not in client.get("/needs").get_data(as_text=True)
    assert client.get(f"/needs/{need.id}").status_code == 404


def test_similar_needs_are_found_without_accents_or_case(world, client, auth):
    raise_need(world, title="Éclairage du stationnement")
    raise_need(world, title="Éclairage du local à vélos", codes=["SEC", "COH"])  # sensitive
    auth.login(world.officer_a)
    page = client.get(
        f"/needs/similar?site_id={world.s1.id}&title=ECLAIRAGE", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "stationnement" in page
    assert "vélos" not in page


def test_me_too_twice_is_refused_with_a_translated_message(world, client, auth):
    need = raise_need(world)
    auth.login(world.officer_a)
    assert client.post(f"/needs/{need.id}/support").status_code == 302
    r = client.post(f"/needs/{need.id}/support", headers={"Accept-Language": "fr"})
    assert r.status_code == 409
    assert "Vous appuyez déjà ce besoin." in r.get_data(as_text=True)
    assert _count(NeedSupport) == 2


def test_supporting_a_need_of_another_provider_is_refused(world, client, auth):
    need = raise_need(world)
    auth.login(world.tenant_c)
    assert client.post(f"/needs/{need.id}/support").status_code == 404
    assert _count(NeedSupport) == 1


def test_a_forged_need_id_is_not_found(world, client, auth):
    auth.login(world.tenant_a)
    assert client.post("/needs/999999/support").status_code == 404
    assert client.get("/needs/999999").status_code == 404


def test_an_empty_comment_is_refused_and_nothing_recorded(world, client, auth):
    need = raise_need(world)
    auth.login(world.tenant_a)
    assert client.post(f"/needs/{need.id}/comments", data={"text": "  "}).status_code == 422
    assert client.post(f"/needs/{need.id}/comments", data={"text": "x" * 1001}).status_code == 422
    assert _count(NeedComment) == 0


def test_raising_with_an_unknown_category_is_refused(world, client, auth):
    auth.login(world.tenant_a)
    r = client.post(
        "/needs/new",
        data={
            "form_key": "b" * 32,
            "site_id": world.s1.id,
            "title": "Titre",
            "categories": ["ZZZ"],
        },
    )
    assert r.status_code == 422
    assert _count(Need) == 0


def test_raising_for_another_site_is_refused(world, client, auth):
    auth.login(world.tenant_a)
    r = client.post(
        "/needs/new",
        data={
            "form_key": "c" * 32,
            "site_id": world.s3.id,
            "title": "Titre",
            "categories": ["ALI"],
        },
    )
    assert r.status_code == 422
    assert _count(Need) == 0


def test_a_merge_into_a_forged_or_foreign_need_is_refused(world, client, auth):
    ours = raise_need(world)
    theirs = raise_need(world, world.tenant_c, site=world.s3)
    auth.login(world.officer_a)
    for target in (999999, theirs.id):
        r = client.post(f"/needs/{ours.id}/merge", data={"target_id": target})
        assert r.status_code == 422
    db.session.refresh(ours)
    assert ours.status == Status.RAISED


def test_the_queue_lists_the_needs_the_body_reviews(world, client, auth):
    raise_need(world, title="Jardin communautaire", codes=["JAR"])
    auth.login(world.officer_a)
    assert "Jardin communautaire" in client.get(f"/bodies/{world.adl_a.id}/needs").get_data(
        as_text=True
    )


def _merged(world, *, target_codes=("ALI",)):
    keep = raise_need(world, title="Comptoir alimentaire du Parc", codes=target_codes)
    dup = raise_need(
        world, f.make_tenant(body=world.adl_a, name="Voisin"), title="Aide alimentaire"
    )
    services.merge(world.officer_a, dup, keep)
    db.session.commit()
    return keep, dup


def test_a_merged_need_links_to_the_need_it_went_into_and_back(world, client, auth):
    keep, dup = _merged(world)
    auth.login(world.tenant_a)
    page = client.get(f"/needs/{dup.id}").get_data(as_text=True)
    into = page.split('id="merged-into"', 1)[1].split("</dd>", 1)[0]
    assert f'href="/needs/{keep.id}"' in into
    assert "Comptoir alimentaire du Parc" in into
    page = client.get(f"/needs/{keep.id}").get_data(as_text=True)
    source = page.split('id="merged-from"', 1)[1].split("</dd>", 1)[0]
    assert f'href="/needs/{dup.id}"' in source
    assert "Aide alimentaire" in source


def test_the_merged_into_line_does_not_link_to_a_need_the_viewer_may_not_open(world, client, auth):
    # merged into a sensitive need: only its author and the officers may open it
    keep, dup = _merged(world, target_codes=("SMN",))
    neighbour = f.make_tenant(body=world.adl_a, name="Voisine")
    auth.login(neighbour)
    page = client.get(f"/needs/{dup.id}").get_data(as_text=True)
    into = page.split('id="merged-into"', 1)[1].split("</dd>", 1)[0]
    assert "another need" in into
    assert f"/needs/{keep.id}" not in page
    assert "Comptoir alimentaire du Parc" not in page
    auth.login(world.officer_a)
    page = client.get(f"/needs/{dup.id}").get_data(as_text=True)
    assert f'href="/needs/{keep.id}"' in page


def test_a_bodys_name_after_de_is_elided_in_french(world, client, auth):
    auth.login(world.officer_a)
    page = client.get(f"/bodies/{world.adl_a.id}/needs", headers={"Accept-Language": "fr-CA"})
    text = page.get_data(as_text=True).replace("&#39;", "'")
    assert "Besoins soumis à l’examen de l'Association des locataires du Parc" in text
