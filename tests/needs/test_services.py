"""Raising, supporting, merging and forwarding needs: the rules the data keeps."""

import pytest
import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.needs import services
from tenantvoice.needs.models import (
    EventKind,
    Need,
    NeedError,
    NeedEvent,
    NeedSupport,
    Status,
)
from tests import factories as f
from tests.minutes.helpers import make_resolution
from tests.needs.helpers import forward, neighbours, raise_need


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_need_is_anonymous_by_default_and_its_author_is_its_first_supporter(world):
    need = raise_need(world)
    assert need.anonymous
    assert not need.share_text
    assert need.supporters_count == 1
    assert services.supporter_ids(need) == {world.tenant_a.id}


def test_the_reviewing_body_is_the_sites_adl(world):
    assert raise_need(world).reviewing_body_id == world.adl_a.id


def test_a_site_without_an_adl_is_reviewed_by_the_providers_ccr(world):
    site = f.make_site(provider=world.p1, name="Les Tilleuls")
    assert services.reviewing_body_for(site).id == world.ccr.id


def test_a_site_without_adl_nor_ccr_goes_to_the_organizer_directly(world):
    site = f.make_site(provider=world.p2, name="Le Phare")
    tenant = f.make_user(name="Rita")
    f.make_tenancy(user=tenant, site=site)
    db.session.commit()
    need = raise_need(world, tenant, site=site)
    assert need.reviewing_body_id is None
    assert need.forwarded_at is not None


@pytest.mark.parametrize(
    ("title", "codes"),
    [
        ("", ["ALI"]),
        ("x" * 121, ["ALI"]),
        ("Titre", []),
        ("Titre", ["ZZZ"]),
        ("Titre", ["ALI", "ISO", "JEU", "TRA", "EMP", "BUD"]),
    ],
    ids=["empty", "oversize", "no-category", "unknown-category", "too-many"],
)
def test_bad_input_is_refused_and_nothing_is_recorded(world, title, codes):
    with pytest.raises(NeedError):
        services.raise_need(world.tenant_a, world.s1, title=title, codes=codes)
    db.session.rollback()
    assert _count(Need) == 0
    assert _count(NeedSupport) == 0


def test_an_oversize_description_is_refused(world):
    with pytest.raises(NeedError):
        services.raise_need(
            world.tenant_a, world.s1, title="T", description="x" * 2001, codes=["ALI"]
        )


def test_me_too_twice_is_refused_and_counted_once(world):
    need = raise_need(world)
    services.support(world.officer_a, need)
    db.session.commit()
    with pytest.raises(NeedError) as refusal:
        services.support(world.officer_a, need)
    assert refusal.value.status == 409
    db.session.rollback()
    db.session.refresh(need)
    assert need.supporters_count == 2
    assert _count(NeedSupport) == 2


def test_a_sensitive_category_makes_the_need_sensitive_and_unsearchable(world):
    need = raise_need(world, codes=["ALI", "SMN"])
    assert need.sensitive
    assert need.search_key == ""


def test_merging_keeps_the_supporters_and_counts_each_once(world):
    a, b = neighbours(world, 2)
    keep = raise_need(world, title="Comptoir alimentaire")
    dup = raise_need(world, a, title="Aide alimentaire")
    services.support(b, keep)
    services.support(b, dup)
    services.support(world.tenant_a, dup)
    db.session.commit()
    services.merge(world.officer_a, dup, keep)
    db.session.commit()
    assert keep.supporters_count == 3  # tenant_a, a, b: once each
    assert services.supporter_ids(keep) == {world.tenant_a.id, a.id, b.id}
    assert dup.status == Status.MERGED
    # Where it went is its timeline's "merged into" line.
    into = db.session.scalar(
        sa.select(NeedEvent.other_need_id).where(
            NeedEvent.need_id == dup.id, NeedEvent.kind == EventKind.MERGED_INTO
        )
    )
    assert into == keep.id


def test_merging_across_providers_is_refused_and_nothing_changes(world):
    ours = raise_need(world)
    theirs = raise_need(world, world.tenant_c, site=world.s3)
    with pytest.raises(NeedError):
        services.merge(world.officer_a, theirs, ours)
    db.session.rollback()
    assert theirs.status == Status.RAISED
    assert ours.supporters_count == 1
    assert _count(NeedEvent) == 2


def test_forwarding_needs_wording_and_a_recipient(world):
    need = raise_need(world)
    with pytest.raises(NeedError):
        services.forward(world.officer_a, need, wording="", to_organizer=True)
    with pytest.raises(NeedError):
        services.forward(world.officer_a, need, wording="Texte", to_organizer=False)
    db.session.rollback()
    assert need.status == Status.RAISED


def test_the_organizer_search_key_holds_the_tenants_text_only_when_shared(world):
    hidden = raise_need(world, title="Comptoir secret")
    shared = raise_need(world, title="Comptoir partagé", share_text=True)
    forward(world, hidden, wording="Aide alimentaire demandée")
    forward(world, shared, wording="Aide alimentaire demandée")
    assert "secret" not in hidden.organizer_search_key
    assert "partage" in shared.organizer_search_key


def test_a_confirmation_may_cite_only_a_resolution_of_the_bodys_meetings(world):
    other = f.make_meeting(body=world.adl_b)
    other.year_number = 1
    resolution = make_resolution(other)
    db.session.commit()
    need = raise_need(world)
    with pytest.raises(NeedError):
        services.confirm(world.officer_a, need, resolution.id)
