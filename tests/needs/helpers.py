"""Shared helpers of the collective-needs tests."""

from tenantvoice.extensions import db
from tenantvoice.needs import services
from tenantvoice.needs.models import Partner, PartnerKind
from tests import factories as f


def raise_need(
    w,
    user=None,
    *,
    title="Il manque un comptoir d'aide alimentaire",
    codes=("ALI",),
    site=None,
    **kw,
):
    need = services.raise_need(
        user or w.tenant_a,
        site or w.s1,
        title=title,
        description=kw.pop("description", "Plusieurs familles en parlent."),
        codes=codes,
        **kw,
    )
    db.session.commit()
    return need


def neighbours(w, n, body=None):
    """`n` more tenants of ADL A's site (S1)."""
    return [f.make_tenant(body=body or w.adl_a, name=f"Voisin {i}") for i in range(n)]


def forward(
    w,
    need,
    *,
    to_organizer=True,
    to_direction=False,
    wording="Les familles du Parc demandent un comptoir alimentaire.",
):
    services.forward(
        w.officer_a, need, wording=wording, to_organizer=to_organizer, to_direction=to_direction
    )
    db.session.commit()


def partner(w, region=None, name="Banque alimentaire des Etchemins", kind=PartnerKind.COMMUNITY):
    p = Partner(region_id=(region or w.r1).id, kind=kind, name=name, service="Aide alimentaire")
    db.session.add(p)
    db.session.commit()
    return p
