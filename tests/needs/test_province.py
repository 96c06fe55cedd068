"""The province generator's collective needs (tiny size): the app's rules hold on them."""

import pytest
import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.needs.models import (
    Need,
    NeedCategory,
    NeedForward,
    NeedPopulation,
    NeedSupport,
    Population,
    Status,
)
from tenantvoice.needs.taxonomy import BIT, SENSITIVE
from tenantvoice.orgs.models import Tenancy
from tenantvoice.province import SIZES

TINY = SIZES["tiny"]


@pytest.fixture
def generated(app):
    result = app.test_cli_runner().invoke(args=["generate-province", "--size", "tiny"])
    assert result.exit_code == 0, result.output
    db.session.remove()


def _count(model, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def test_needs_keep_the_apps_rules(generated):
    assert _count(Need) == TINY.needs
    assert _count(NeedSupport) > TINY.needs
    # supporters_count is the number of supports, each person once per need
    per_need = (
        sa.select(NeedSupport.need_id, sa.func.count().label("n"))
        .group_by(NeedSupport.need_id)
        .subquery()
    )
    wrong = (
        sa.select(sa.func.count()).select_from(Need).join(per_need, per_need.c.need_id == Need.id)
    )
    assert db.session.scalar(wrong.where(per_need.c.n != Need.supporters_count)) == 0
    # supporters live at the need's site
    elsewhere = (
        sa.select(sa.func.count())
        .select_from(NeedSupport)
        .join(Need, Need.id == NeedSupport.need_id)
        .outerjoin(
            Tenancy,
            sa.and_(Tenancy.user_id == NeedSupport.user_id, Tenancy.site_id == Need.site_id),
        )
        .where(Tenancy.id.is_(None))
    )
    assert db.session.scalar(elsewhere) == 0
    # every need's category mask is its categories (the dashboard counts categories by it)
    masks = dict.fromkeys(db.session.scalars(sa.select(Need.id)), 0)
    for nid, code in db.session.execute(sa.select(NeedCategory.need_id, NeedCategory.code)):
        masks[nid] |= BIT[code]
    assert dict(db.session.execute(sa.select(Need.id, Need.category_mask)).all()) == masks
    # sensitive needs are never searchable by the site's tenants
    sensitive = Need.id.in_(sa.select(NeedCategory.need_id).where(NeedCategory.code.in_(SENSITIVE)))
    assert _count(Need, sensitive, Need.sensitive.is_(False)) == 0
    assert _count(Need, Need.sensitive.is_(True), Need.search_key != "") == 0
    # every status but merged, forwards only for forwarded needs
    assert set(db.session.scalars(sa.select(Need.status).distinct())) == set(Status) - {
        Status.MERGED
    }
    not_forwarded = Need.status.in_([Status.RAISED, Status.CONFIRMED])
    assert (
        _count(NeedForward, NeedForward.need_id.in_(sa.select(Need.id).where(not_forwarded))) == 0
    )
    # every need names one group or more; "everyone" stands alone; some name several
    named = sa.select(NeedPopulation.need_id)
    assert _count(Need, Need.id.not_in(named)) == 0
    everyone = named.where(NeedPopulation.population == Population.EVERYONE)
    others = named.where(NeedPopulation.population != Population.EVERYONE)
    assert _count(Need, Need.id.in_(everyone), Need.id.in_(others)) == 0
    assert _count(NeedPopulation) > TINY.needs
