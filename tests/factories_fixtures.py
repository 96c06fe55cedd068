"""Shared actors: one small world with every role and every scope the matrix tests need."""

import sqlite3
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.accounts.models import StaffRole
from tenantvoice.extensions import db
from tenantvoice.orgs.models import BodyKind, MemberRole, ProviderKind
from tests import factories as f

#: Built worlds, per minute of the project clock: (copy of the database, attribute → row).
#: Building the world took most of a matrix case's setup; a copy is restored in a millisecond.
_WORLD_COPIES: dict[str, tuple] = {}


def _in_memory_sqlite(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


@pytest.fixture
def world(app):
    """The world below, built once per process and project-clock minute on in-memory SQLite
    and then restored from a copy (SQLite's backup API): the rows, their ids and their
    timestamps are exactly those a fresh build at that minute writes."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return _postgres_world()
    if not _in_memory_sqlite(app):
        return build_world()
    minute = clock.now().strftime("%Y-%m-%dT%H:%M")
    copy = _WORLD_COPIES.get(minute)
    raw = db.engine.raw_connection()
    try:
        if copy is not None:
            copy[0].backup(raw.driver_connection)
    finally:
        raw.close()
    if copy is not None:
        rows = {name: db.session.get(model, key) for name, (model, key) in copy[1].items()}
        return SimpleNamespace(**rows)
    w = build_world()
    raw = db.engine.raw_connection()
    try:
        saved = sqlite3.connect(":memory:", check_same_thread=False)
        raw.driver_connection.backup(saved)
    finally:
        raw.close()
    keys = {name: (type(obj), sa.inspect(obj).identity) for name, obj in vars(w).items()}
    _WORLD_COPIES.clear()  # one minute's copy at a time
    _WORLD_COPIES[minute] = (saved, keys)
    return w


def _postgres_world():
    """PostgreSQL: the world's rows saved once per minute, then inserted again by table (one
    multi-row INSERT each, parents first) and the sequences set where the build left them."""
    minute = "pg " + clock.now().strftime("%Y-%m-%dT%H:%M")
    copy = _WORLD_COPIES.get(minute)
    if copy is None:
        w = build_world()
        with db.engine.connect() as conn:
            rows = {
                table: [dict(r._mapping) for r in conn.execute(sa.select(table))]
                for table in db.metadata.sorted_tables
            }
            sequences = conn.execute(
                sa.text(
                    "SELECT sequencename, last_value FROM pg_sequences "
                    "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
                )
            ).all()
        keys = {name: (type(obj), sa.inspect(obj).identity) for name, obj in vars(w).items()}
        _WORLD_COPIES.clear()
        _WORLD_COPIES[minute] = ({t: r for t, r in rows.items() if r}, sequences, keys)
        return w
    rows, sequences, keys = copy
    with db.engine.begin() as conn:
        for table, table_rows in rows.items():
            conn.execute(table.insert(), table_rows)
        for name, value in sequences:
            conn.execute(
                sa.text("SELECT setval(:name, :value, true)"), {"name": name, "value": value}
            )
    return SimpleNamespace(**{n: db.session.get(model, key) for n, (model, key) in keys.items()})


def build_world():
    """Region R1 with office P1 (sites S1, S2; ADL A on S1, ADL B on S2, CCR on both) and
    OBNL P2 (site S3, ADL C); region R2 with office P3. One user per role and scope.

    Scopes in the matrix: own body = A, other body of the same provider = B,
    other provider = C (P2), and anonymous.
    """
    r1 = f.make_region(name="Région des Etchemins")
    r2 = f.make_region(name="Région du Littoral")
    p1 = f.make_provider(region=r1, name="Office d'habitation de la Rivière")
    p2 = f.make_provider(region=r1, kind=ProviderKind.OBNL, name="Habitations Solidaires")
    p3 = f.make_provider(region=r2, name="Office d'habitation du Littoral")
    s1 = f.make_site(provider=p1, name="Habitations du Parc", units_count=48)
    s2 = f.make_site(provider=p1, name="Résidence des Érables", units_count=32)
    s3 = f.make_site(provider=p2, name="Maison Solidaire", units_count=24)
    s4 = f.make_site(provider=p3, name="Habitations du Quai", units_count=20)
    adl_a = f.make_body(provider=p1, name="Association des locataires du Parc", sites=[s1])
    adl_b = f.make_body(provider=p1, name="Association des Érables", sites=[s2])
    ccr = f.make_body(provider=p1, kind=BodyKind.CCR, name="CCR de la Rivière", sites=[s1, s2])
    adl_c = f.make_body(provider=p2, name="Association Solidaire", sites=[s3])
    adl_d = f.make_body(provider=p3, name="Association du Quai", sites=[s4])

    w = SimpleNamespace(
        r1=r1,
        r2=r2,
        p1=p1,
        p2=p2,
        p3=p3,
        s1=s1,
        s2=s2,
        s3=s3,
        s4=s4,
        adl_a=adl_a,
        adl_b=adl_b,
        ccr=ccr,
        adl_c=adl_c,
        adl_d=adl_d,
    )
    # Tenants and officers of A (own body), B (same provider), C (other provider). Their units
    # are fixed: a default unit comes from a counter shared by a worker's whole run, so a test
    # searching the register for "112" (Gérard's) found Lucie too whenever hers became 1112.
    w.tenant_a = f.make_tenant(
        body=adl_a, name="Lucie Tremblay", email="lucie@example.org", unit="201"
    )
    w.officer_a = f.make_tenant(
        body=adl_a,
        role=MemberRole.SECRETARY,
        name="Jean Gagnon",
        email="jean@example.org",
        unit="202",
    )
    w.president_a = f.make_tenant(
        body=adl_a,
        role=MemberRole.PRESIDENT,
        name="Fatima Benali",
        email="fatima@example.org",
        unit="203",
    )
    w.tenant_b = f.make_tenant(body=adl_b, name="Nguyen Van An", email="an@example.org", unit="301")
    w.officer_b = f.make_tenant(
        body=adl_b,
        role=MemberRole.SECRETARY,
        name="Marie Roy",
        email="marie@example.org",
        unit="302",
    )
    w.tenant_c = f.make_tenant(
        body=adl_c, name="Carlos Mendoza", email="carlos@example.org", unit="401"
    )
    w.officer_c = f.make_tenant(
        body=adl_c,
        role=MemberRole.PRESIDENT,
        name="Aïcha Diallo",
        email="aicha@example.org",
        unit="402",
    )
    # A register entry without an account (a tenant with no smartphone).
    w.paper_member_a = f.make_member(body=adl_a, name="Gérard Côté", unit="112")
    # Staff.
    w.oc = f.make_staff(role=StaffRole.OC, region=r1, user=f.make_user(name="Olivier OC")).user
    w.oc_other = f.make_staff(role=StaffRole.OC, region=r2, user=f.make_user(name="Odile OC")).user
    w.isc = f.make_staff(role=StaffRole.ISC, provider=p1, user=f.make_user(name="Inès ISC")).user
    w.direction = f.make_staff(
        role=StaffRole.DIRECTION, provider=p1, user=f.make_user(name="Denis Direction")
    ).user
    w.direction_other = f.make_staff(
        role=StaffRole.DIRECTION, provider=p2, user=f.make_user(name="Diane Direction")
    ).user
    w.admin = f.make_staff(role=StaffRole.ADMIN, user=f.make_user(name="Ada Admin")).user
    w.outsider = f.make_user(name="Personne sans rôle")
    db.session.commit()
    return w
