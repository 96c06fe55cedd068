"""Labels of the logbook's values (translated when shown)."""

from flask_babel import lazy_gettext as _l

from tenantvoice.logbook.models import Kind

KIND = {
    Kind.INDIVIDUAL: _l("Individual support"),
    Kind.COLLECTIVE: _l("Collective action"),
    Kind.GROUP_PROJECT: _l("Group project"),
    Kind.ASSOCIATION: _l("Support to a tenant association or committee"),
    Kind.CONCERTATION: _l("Concertation"),
    Kind.PREVENTION: _l("Prevention and information"),
    Kind.OTHER: _l("Other"),
}

#: How the statistics name a kind of provider (as the organizing statistics do).
PROVIDER_KIND = {"office": "OMH / ORH", "obnl": "OBNL", "coop": "COOP"}

#: Lines of the two-way figures.
LINE = {
    "referred": _l("Ended in a referral"),
    "not_referred": _l("No referral"),
    "linked_need": _l("Linked to a collective need"),
    "linked_body": _l("Linked to an association or committee"),
    "not_linked": _l("Not linked"),
    "unlisted": _l("Partner not listed"),
}

#: Titles of the figures.
FIGURE = {
    "provider_kind": _l("By kind of provider"),
    "population": _l("By population reached"),
    "kind": _l("By kind of intervention"),
    "referral": _l("Referral rate"),
    "partner_kind": _l("Referrals, by kind of partner"),
    "need": _l("Linked to collective needs"),
    "body": _l("Linked to associations and committees"),
    "category_cisss": _l("Referrals to CISSS services, by service"),
    "category_community": _l("Referrals to community organizations, by category"),
    "category_municipal": _l("Referrals to municipal services, by service"),
}
