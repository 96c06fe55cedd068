"""Permissions on recommendations (domain-rules §5.2 "CCR recommendations": tenants read them
once adopted, the body's members write them, the OC reads them, the ISC and the platform admin
never; the office's direction reads them once sent and writes its answer; §5.3: the office
never sees comments, who proposed an amendment, nor who voted how).

How staff could turn these powers against a tenant, and what stops it:

* The direction reads only what its own provider's bodies transmitted to it (never a draft, a
  rejected text, a comment, an amendment's author, a vote roll or an actor's name on the
  timeline), so it cannot learn who argued for what.
* Only the direction of that provider answers; it cannot edit the text, nor delete a line of the
  timeline (nothing deletes it), nor mark a recommendation done silently: every follow-up is a
  dated public line, and the body's officers may add their own.
* The body's officers cannot rewrite an adopted text: versions freeze at the vote.
"""

import sqlalchemy as sa
from flask import g, has_request_context

from tenantvoice.accounts.models import StaffRole
from tenantvoice.extensions import db
from tenantvoice.orgs.models import BodyKind, Site
from tenantvoice.policy.core import facts_for, is_member, is_officer, staff_covers
from tenantvoice.recommendations.models import (
    AWAITING_ANSWER,
    FOLLOWED,
    Status,
    Target,
)

__all__ = [
    "can_answer_recommendation",
    "can_decide_amendment",
    "can_discuss_recommendation",
    "can_draft_recommendation",
    "can_edit_recommendation",
    "can_follow_up_recommendation",
    "can_list_body_recommendations",
    "can_list_provider_recommendations",
    "can_open_recommendation_vote",
    "can_record_recommendation_resolution",
    "can_see_recommendation",
    "can_see_recommendation_internals",
    "can_take_up_recommendation",
    "can_transmit_recommendation",
    "is_provider_direction",
    "is_provider_tenant",
]

DRAFTING_BODIES = (BodyKind.ADL, BodyKind.CCR, BodyKind.COMMITTEE)


def _provider_site_ids(provider_id: int) -> frozenset[int]:
    stmt = sa.select(Site.id).where(Site.provider_id == provider_id)
    if not has_request_context():
        return frozenset(db.session.scalars(stmt))
    cache = g.setdefault("_policy_facts", {})
    key = ("provider_sites", provider_id)
    if key not in cache:
        cache[key] = frozenset(db.session.scalars(stmt))
    return cache[key]


def is_provider_tenant(user, provider_id: int) -> bool:
    """The user lives at a site of this provider, or sits on the register of one of its
    bodies."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    facts = facts_for(user)
    if any(m.body.provider_id == provider_id for m in facts.members.values()):
        return True
    return bool(facts.site_ids) and bool(facts.site_ids & _provider_site_ids(provider_id))


def is_provider_direction(user, provider) -> bool:
    return staff_covers(user, provider, (StaffRole.DIRECTION,))


def _sent_to_direction(rec) -> bool:
    return rec.target == Target.DIRECTION and rec.transmitted_at is not None


def can_draft_recommendation(user, body) -> bool:
    """Draft a recommendation: the members of a tenant body (an ADL, the CCR, a committee)."""
    return body.kind in DRAFTING_BODIES and is_member(user, body)


def can_list_body_recommendations(user, body) -> bool:
    """A body's own list (drafts included): its members."""
    return is_member(user, body)


def can_list_provider_recommendations(user, provider) -> bool:
    """The provider's public list (adopted onward): its tenants, the OC covering it, its
    direction (which sees there only what was transmitted to it)."""
    return (
        is_provider_tenant(user, provider.id)
        or staff_covers(user, provider, (StaffRole.OC,))
        or is_provider_direction(user, provider)
    )


def can_see_recommendation(user, rec) -> bool:
    """Drafts and rejected texts: the body's members. From adoption: every tenant of the
    provider and the OC; the direction once transmitted to it. Nobody else learns it exists."""
    if is_member(user, rec.body):
        return True
    if rec.target_body is not None and is_member(user, rec.target_body) and rec.is_public:
        return True
    if not rec.is_public:
        return False
    if is_provider_direction(user, rec.body.provider):
        return _sent_to_direction(rec)
    return is_provider_tenant(user, rec.provider_id) or staff_covers(
        user, rec.body.provider, (StaffRole.OC,)
    )


def can_see_recommendation_internals(user, rec) -> bool:
    """Comments, amendments with their authors, the drafting history, the vote and the names
    on the timeline: the body's members only (never the direction, §5.3)."""
    return is_member(user, rec.body)


def can_edit_recommendation(user, rec) -> bool:
    """Edit the text, attachments and sites: the author or an officer, while a draft."""
    return rec.status == Status.DRAFT and (
        (rec.author_id is not None and rec.author_id == getattr(user, "id", None))
        and is_member(user, rec.body)
        or is_officer(user, rec.body)
    )


def can_discuss_recommendation(user, rec) -> bool:
    """Comment and propose amended wording: the body's members, before the vote."""
    return rec.status == Status.DRAFT and is_member(user, rec.body)


def can_decide_amendment(user, rec) -> bool:
    """Accept an amendment into the text (or decline it): the author or an officer."""
    return can_edit_recommendation(user, rec)


def can_open_recommendation_vote(user, rec) -> bool:
    return rec.status == Status.DRAFT and is_officer(user, rec.body)


def can_record_recommendation_resolution(user, rec) -> bool:
    """Record the vote held in a meeting as a resolution of that meeting: the officers."""
    question = rec.question
    return (
        is_officer(user, rec.body)
        and rec.resolution_id is None
        and question is not None
        and question.meeting_id is not None
        and question.finalized_at is not None
        and rec.status != Status.VOTING
    )


def can_transmit_recommendation(user, rec) -> bool:
    """Transmit an adopted recommendation: the body's officers."""
    return rec.status == Status.ADOPTED and is_officer(user, rec.body)


def can_take_up_recommendation(user, rec) -> bool:
    """The CCR's officers take up an association's recommendation sent to them."""
    return (
        rec.target == Target.CCR
        and rec.status == Status.TRANSMITTED
        and rec.target_body is not None
        and is_officer(user, rec.target_body)
    )


def can_answer_recommendation(user, rec) -> bool:
    """Answer: that provider's direction only, once transmitted to it and until it decided."""
    return (
        _sent_to_direction(rec)
        and rec.status in AWAITING_ANSWER
        and is_provider_direction(user, rec.body.provider)
    )


def can_follow_up_recommendation(user, rec) -> bool:
    """Report progress (in progress, done) on an accepted recommendation: the direction that
    accepted it, or the body's officers (who may say it is not done)."""
    return rec.status in FOLLOWED and (
        (_sent_to_direction(rec) and is_provider_direction(user, rec.body.provider))
        or is_officer(user, rec.body)
    )
