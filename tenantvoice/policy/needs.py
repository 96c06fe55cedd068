"""Permissions on collective needs (issue 13; domain-rules §5.2 "Collective need", §5.3.4).

- An anonymous author is seen by nobody but the author: no predicate here ever grants an
  author's identity; pages show "a tenant" unless the need is signed, and signed needs show the
  name only to the site's tenants and the reviewing body's officers.
- A sensitive need (a category marked H) is seen in full only by its author and the reviewing
  body's officers; everyone else gets 404 and only counts elsewhere.
- A non-sensitive need is seen by the tenants of its site and the reviewing body's officers.
- The organizer and the direction never open the tenants' page of a need: they read what the
  body forwarded on their own pages (policy/organizing.py).
Ids of the reviewing body's officers come from the request's facts (no query per need).
"""

from tenantvoice.accounts.models import StaffRole
from tenantvoice.needs.models import Origin
from tenantvoice.policy.core import body_ids_as_officer, facts_for, staff_scope

__all__ = [
    "can_comment_need",
    "can_raise_need",
    "can_record_need",
    "can_review_need",
    "can_review_needs_of",
    "can_see_need",
    "can_see_need_author",
    "can_see_site_needs",
    "can_support_need",
    "is_need_author",
    "lives_at",
]


def _uid(user) -> int | None:
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None


def lives_at(user, site_id: int) -> bool:
    return _uid(user) is not None and site_id in facts_for(user).site_ids


def is_need_author(user, need) -> bool:
    uid = _uid(user)
    return uid is not None and need.author_id == uid


def _reviews(user, need) -> bool:
    return (
        need.reviewing_body_id is not None
        and need.reviewing_body_id in body_ids_as_officer(user)
        and need.origin == Origin.TENANT
    )


def can_see_site_needs(user) -> bool:
    """The needs page of one's building(s): a tenant with a current tenancy."""
    return _uid(user) is not None and bool(facts_for(user).site_ids)


def can_raise_need(user, site_id: int) -> bool:
    """A tenant raises needs for a site they live at."""
    return lives_at(user, site_id)


def can_record_need(user, provider) -> bool:
    """An ISC records a de-identified multi-resident problem at a site of its scope."""
    return staff_scope(user, {StaffRole.ISC}).covers(provider)


def can_see_need(user, need) -> bool:
    """The tenants' page of a need (404 otherwise: existence is private)."""
    if is_need_author(user, need):
        return True
    if need.origin != Origin.TENANT:
        return False
    if _reviews(user, need):
        return True
    return not need.sensitive and lives_at(user, need.site_id)


def can_see_need_author(user, need) -> bool:
    """The author's name: never when anonymous (but to the author); a signed need's author is
    named to those who see the need on the tenants' side."""
    if is_need_author(user, need):
        return True
    return not need.anonymous and can_see_need(user, need)


def can_support_need(user, need) -> bool:
    """ "Me too": a tenant of the site, on an open non-sensitive need (not one's own)."""
    return (
        need.origin == Origin.TENANT
        and not need.sensitive
        and need.is_open
        and lives_at(user, need.site_id)
        and not is_need_author(user, need)
    )


def can_comment_need(user, need) -> bool:
    return (
        need.is_open
        and need.origin == Origin.TENANT
        and (
            _reviews(user, need)
            or is_need_author(user, need)
            or (not need.sensitive and lives_at(user, need.site_id))
        )
    )


def can_review_need(user, need) -> bool:
    """Confirm, merge and forward: the reviewing body's officers."""
    return _reviews(user, need)


def can_review_needs_of(user, body) -> bool:
    """The body's review queue: its officers."""
    return body.id in body_ids_as_officer(user)
