"""Who is affected is one or more groups (issue 13): raised with several, refused with none or
one not in the list (translated, next to the field, nothing recorded), filtered and counted on
the organizer's dashboard, and counted once per group in the statistics."""

import uuid

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from tenantvoice.extensions import db
from tenantvoice.needs import services
from tenantvoice.needs.models import Need, NeedError, NeedPopulation, NeedSupport, Population
from tenantvoice.organizing import queries
from tenantvoice.policy.core import staff_scope
from tests.needs.helpers import forward, raise_need


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def post(world, client, auth):
    auth.login(world.tenant_a)

    def send(populations, **headers):
        r = client.post(
            "/needs/new",
            data={
                "form_key": uuid.uuid4().hex,
                "site_id": world.s1.id,
                "title": "Comptoir d'aide alimentaire",
                "categories": ["ALI"],
                "populations": populations,
                "urgency": "medium",
            },
            headers=headers,
        )
        return r

    return send


def test_a_need_names_several_groups_and_its_page_shows_them(world, client, post):
    r = post(["families", "alone"])
    assert r.status_code == 302, r.get_data(as_text=True)
    need = db.session.scalar(sa.select(Need))
    assert need.population_values == [Population.FAMILIES, Population.ALONE]
    page = client.get(r.location).get_data(as_text=True)
    assert "Families and children, People living alone" in page


def test_everyone_ticked_with_groups_keeps_the_groups(world, post):
    assert post(["everyone", "seniors"]).status_code == 302
    need = db.session.scalar(sa.select(Need))
    assert need.population_values == [Population.SENIORS]


@pytest.mark.parametrize(
    ("populations", "message"),
    [
        ([], "Indiquez qui est touché : tout le monde, ou un ou plusieurs groupes."),
        (["families", "martians"], "Choisissez qui est touché parmi les groupes de la liste."),
    ],
    ids=["none", "unknown"],
)
def test_bad_groups_are_refused_next_to_the_field_and_nothing_is_recorded(
    world, post, populations, message
):
    r = post(populations, **{"Accept-Language": "fr-CA"})
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    # the message sits in the field's own error list, which the fieldset points at
    assert 'aria-describedby="populations-errors"' in page
    errors = page.split('id="populations-errors"', 1)[1].split("</ul>", 1)[0]
    assert message.replace("\u00a0", " ") in errors.replace("\u00a0", " ")
    assert _count(Need) == 0
    assert _count(NeedPopulation) == 0
    assert _count(NeedSupport) == 0


@pytest.mark.parametrize("populations", [[], ["martians"], None])
def test_the_service_refuses_bad_groups_too(world, populations):
    with pytest.raises(NeedError):
        services.raise_need(
            world.tenant_a, world.s1, title="Titre", codes=["ALI"], populations=populations
        )
    db.session.rollback()
    assert _count(Need) == 0


def _forwarded(w, populations, wording):
    need = raise_need(w, populations=populations)
    forward(w, need, wording=wording)
    return need


def test_the_dashboard_filters_and_counts_by_group(app, world, client, auth):
    _forwarded(world, ["seniors", "alone"], "Café-rencontre des aînés seuls")
    _forwarded(world, ["families"], "Comptoir pour les familles")
    auth.login(world.oc)
    page = client.get("/organizing/needs?population=alone").get_data(as_text=True)
    assert "Café-rencontre des aînés seuls" in page
    assert "Comptoir pour les familles" not in page
    with app.test_request_context():
        facets = {
            facet.name: {value: count for value, _label, count in facet.values}
            for facet in queries.facets(staff_scope(world.oc), queries.Filters())
        }
    # a need counts once under each group it names
    assert facets["population"] == {"families": 1, "seniors": 1, "alone": 1}
    assert "Seniors, People living alone" in client.get("/organizing/needs").get_data(as_text=True)


def test_the_statistics_count_a_need_once_per_group_it_names(app, world, client, auth):
    for __ in range(5):
        _forwarded(world, ["seniors", "alone"], "Café-rencontre")
    for __ in range(5):
        _forwarded(world, ["seniors"], "Transport")
    with app.test_request_context():
        stats = queries.statistics(staff_scope(world.oc), queries.Period.parse(MultiDict()))
    chart = next(c for c in stats.charts if c.key == "population")
    # seniors, then people living alone (the list's order)
    assert [b.shown.value for b in chart.bars] == [10, 5]
    auth.login(world.oc)
    page = client.get("/organizing/statistics").get_data(as_text=True)
    assert "counted once for each group it names" in page
    csv = client.get("/organizing/statistics.csv").get_data(as_text=True)
    assert "By population,Seniors,10" in csv
    assert "By population,People living alone,5" in csv
