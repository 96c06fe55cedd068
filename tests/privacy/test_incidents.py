"""The confidentiality incident register (Q-08): admin only, every field the regulation asks for
is required, edits are audited; and the small-cell alert when a direction account repeats views
of suppressed cells ("fewer than 5") within the window, counted in the database."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.audit import AuditEvent
from tenantvoice.extensions import db
from tenantvoice.needs.models import Need, Status
from tenantvoice.privacy import incidents
from tenantvoice.privacy.incidents import Alert, Incident, SmallCellView

T0 = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)

FULL = {
    "occurred_on": "2026-02-20",
    "occurred_until": "2026-02-22",
    "discovered_on": "2026-02-23",
    "information": "Noms et numéros de logement de trois membres",
    "circumstances": "Une liste imprimée oubliée dans le hall",
    "persons_count": "3",
    "risk_assessment": "Risque faible : aucune coordonnée",
    "commission_notified_on": "",
    "persons_notified_on": "2026-02-24",
    "measures": "Liste récupérée et détruite; rappel aux dirigeants",
}
REQUIRED = (
    "occurred_on",
    "discovered_on",
    "information",
    "circumstances",
    "persons_count",
    "risk_assessment",
    "measures",
)


def test_a_new_incident_needs_every_mandatory_field(world, client, auth):
    auth.login(world.admin)
    for name in REQUIRED:
        response = client.post("/admin/privacy/incidents/new", data={**FULL, name: ""})
        assert response.status_code == 422, name
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Incident)) == 0


def test_the_admin_records_and_edits_an_incident_audited(world, client, auth):
    auth.login(world.admin)
    created = client.post("/admin/privacy/incidents/new", data=FULL)
    assert created.status_code == 302
    incident = db.session.scalar(sa.select(Incident))
    assert incident.persons_count == 3
    assert incident.commission_notified_on is None
    edited = client.post(
        f"/admin/privacy/incidents/{incident.id}/edit",
        data={**FULL, "commission_notified_on": "2026-02-25", "serious_risk": "y"},
    )
    assert edited.status_code == 302
    db.session.expire_all()
    incident = db.session.get(Incident, incident.id)
    assert incident.serious_risk
    assert incident.commission_notified_on.isoformat() == "2026-02-25"
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"incident.create", "incident.update"} <= actions
    page = client.get("/admin/privacy/incidents").get_data(as_text=True)
    assert "Une liste imprimée oubliée dans le hall" in page


def test_a_period_that_ends_before_it_starts_is_refused(world, client, auth):
    auth.login(world.admin)
    response = client.post(
        "/admin/privacy/incidents/new", data={**FULL, "occurred_until": "2026-02-01"}
    )
    assert response.status_code == 422


def _direction_needs(world, supporters=2):
    """A need forwarded to the direction with fewer than 5 supporters: its cell is hidden."""
    site = world.adl_a.sites[0]
    db.session.add(
        Need(
            site_id=site.id,
            provider_id=site.provider_id,
            provider_kind=site.provider.kind,
            region_id=site.provider.region_id,
            reviewing_body_id=world.adl_a.id,
            title="Chauffage",
            category="CHA",
            supporters_count=supporters,
            to_direction=True,
            status=Status.FORWARDED,
            forwarded_at=clock.now(),
        )
    )
    db.session.commit()


def test_repeated_small_cell_views_by_the_direction_raise_one_alert(app, world, client, auth):
    clock.set(T0, frozen=True)
    _direction_needs(world)
    auth.login(world.direction)
    threshold = app.config["SMALL_CELL_ALERT_COUNT"]
    for __ in range(threshold - 1):
        assert client.get("/organizing/direction").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Alert)) == 0
    client.get("/organizing/direction")
    client.get("/organizing/direction")
    alerts = db.session.scalars(sa.select(Alert)).all()
    assert len(alerts) == 1
    assert alerts[0].user_id == world.direction.id
    assert alerts[0].views_count >= threshold
    auth.login(world.admin)
    page = client.get("/admin/privacy/incidents").get_data(as_text=True)
    assert f'id="alert-{alerts[0].id}"' in page


def test_views_spread_beyond_the_window_raise_no_alert(app, world, client, auth):
    clock.set(T0, frozen=True)
    _direction_needs(world)
    auth.login(world.direction)
    window = app.config["SMALL_CELL_ALERT_WINDOW"]
    step = window / (app.config["SMALL_CELL_ALERT_COUNT"] - 2)
    for i in range(app.config["SMALL_CELL_ALERT_COUNT"] + 2):
        clock.set(T0 + i * step, frozen=True)
        client.get("/organizing/direction")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SmallCellView)) > 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Alert)) == 0


def test_views_without_hidden_cells_are_not_counted(world, client, auth):
    _direction_needs(world, supporters=7)
    auth.login(world.direction)
    client.get("/organizing/direction")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SmallCellView)) == 0


def test_an_organizer_is_not_watched(app, world):
    with app.test_request_context():
        assert incidents.record_small_cell_view(world.direction, "x") is None
        incidents.on_small_cells_shown(None, user=world.oc, view="organizing.direction")
    db.session.flush()
    users = set(db.session.scalars(sa.select(SmallCellView.user_id)))
    assert users == {world.direction.id}


def test_the_alert_is_written_once_per_window_even_when_counted_again(app, world):
    clock.set(T0, frozen=True)
    with app.test_request_context():
        found = [
            incidents.record_small_cell_view(world.direction, "organizing.direction")
            for _ in range(app.config["SMALL_CELL_ALERT_COUNT"] + 3)
        ]
    assert len([a for a in found if a is not None]) == 1
    assert timedelta(0) <= T0 - found[app.config["SMALL_CELL_ALERT_COUNT"] - 1].window_start
