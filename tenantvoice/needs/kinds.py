"""The notifications of collective needs (registered by the factory):

- need.raised: a need waits for review, to the reviewing body's officers;
- need.forwarded: the body forwarded a need, to the organizer of its territory;
- need.direct: a need of a site with neither an ADL nor a CCR, to the organizer(s) whose scope
  covers the site (nobody else reviews it); no body, no title;
- need.update: the need moved (confirmed, forwarded, acknowledged, referred…), to its author
  and supporters;
  (at a site without a body, where the organizer acts directly, the headline names no body);
- need.recorded: a socio-community worker recorded a need (no name of anyone), to the
  organizer(s) whose scope covers the site; no title;
- need.info_requested: the organizer asks the reviewing body's officers for more information.

The title travels only for a non-sensitive need, and only to those who may read it: the
organizer's notification carries no title at all (the tenant's text goes to the organizer only
through the dashboard, and only when shared). Recipients never see who else was told; a
notification names no author and no supporter.
"""

from flask import url_for
from flask_babel import lazy_gettext as _l

from tenantvoice import policy
from tenantvoice.needs import queries
from tenantvoice.needs.models import Need
from tenantvoice.notifications.kinds import OFFICERS, STAFF, Kind


def _tenant_url(need: Need) -> str:
    return url_for("needs.show", need_id=need.id)


def _organizer_url(need: Need) -> str:
    return url_for("organizing.need", need_id=need.id)


def _body(need: Need):
    return need.reviewing_body


def _body_or_none(need: Need):
    return need.reviewing_body if need.reviewing_body_id else None


def _no_body(need: Need) -> None:
    return None


def _organizers(need: Need) -> set[int]:
    return queries.organizer_ids(need)


def _followers(need: Need) -> set[int]:
    return queries.follower_ids(need)


def _title(need: Need) -> str:
    return "" if need.sensitive else need.title


def _no_title(need: Need) -> str:
    return ""


#: The settings page's heading for these kinds.
GROUP = _l("Collective needs")

KINDS = [
    Kind(
        key="need.raised",
        label=_l("Collective needs raised at your association's sites"),
        summary=_l("A collective need waits for review"),
        headline=_l("A collective need waits for the review of %(of_body)s"),
        may_open=policy.can_review_need,
        url=_tenant_url,
        body=_body,
        title=_title,
        audiences=(OFFICERS,),
    ),
    Kind(
        key="need.forwarded",
        label=_l("Collective needs forwarded to you"),
        summary=_l("A collective need was forwarded to you"),
        headline=_l("A collective need was forwarded on behalf of %(of_body)s"),
        may_open=policy.can_act_on_need,
        url=_organizer_url,
        body=_body,
        title=_no_title,
        audiences=(STAFF,),
    ),
    Kind(
        key="need.direct",
        label=_l("Collective needs of buildings without an association"),
        summary=_l("A collective need came to you directly"),
        headline=_l("A collective need came to you from a building without an association"),
        may_open=policy.can_act_on_need,
        url=_organizer_url,
        body=_no_body,
        title=_no_title,
        extra_candidates=_organizers,
        audiences=(STAFF,),
    ),
    Kind(
        key="need.update",
        label=_l("News of the collective needs you raised or support"),
        summary=_l("A collective need you follow moved"),
        headline=_l("News of a collective need at %(body)s"),
        headline_no_body=_l("News of a collective need of your building"),
        may_open=policy.can_see_need,
        url=_tenant_url,
        body=_body_or_none,
        title=_title,
        extra_candidates=_followers,
    ),
]

KINDS += [
    Kind(
        key="need.recorded",
        label=_l("Collective needs recorded by a socio-community worker"),
        summary=_l("A socio-community worker recorded a collective need"),
        headline=_l("A socio-community worker recorded a collective need in your territory"),
        may_open=policy.can_act_on_need,
        url=_organizer_url,
        body=_no_body,
        title=_no_title,
        extra_candidates=_organizers,
        audiences=(STAFF,),
    ),
]

KINDS.append(
    Kind(
        key="need.info_requested",
        label=_l("Questions of the organizer about the needs you forwarded"),
        summary=_l("The organizer asks for more information about a need"),
        headline=_l(
            "The organizer asks the officers of %(of_body)s for more information about a need"
        ),
        may_open=policy.can_review_need,
        url=_tenant_url,
        body=_body,
        title=_title,
        audiences=(OFFICERS,),
    )
)
