"""Shared actors: one small world with every role and every scope the matrix tests need."""

from types import SimpleNamespace

import pytest

from tenantvoice.accounts.models import StaffRole
from tenantvoice.extensions import db
from tenantvoice.orgs.models import BodyKind, MemberRole, ProviderKind
from tests import factories as f


@pytest.fixture
def world(app):
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
    # Tenants and officers of A (own body), B (same provider), C (other provider).
    w.tenant_a = f.make_tenant(body=adl_a, name="Lucie Tremblay", email="lucie@example.org")
    w.officer_a = f.make_tenant(
        body=adl_a, role=MemberRole.SECRETARY, name="Jean Gagnon", email="jean@example.org"
    )
    w.president_a = f.make_tenant(
        body=adl_a, role=MemberRole.PRESIDENT, name="Fatima Benali", email="fatima@example.org"
    )
    w.tenant_b = f.make_tenant(body=adl_b, name="Nguyen Van An", email="an@example.org")
    w.officer_b = f.make_tenant(
        body=adl_b, role=MemberRole.SECRETARY, name="Marie Roy", email="marie@example.org"
    )
    w.tenant_c = f.make_tenant(body=adl_c, name="Carlos Mendoza", email="carlos@example.org")
    w.officer_c = f.make_tenant(
        body=adl_c, role=MemberRole.PRESIDENT, name="Aïcha Diallo", email="aicha@example.org"
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
