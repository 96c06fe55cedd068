"""quorum_required: the number printed on the notice and checked by the attendance sheet."""

from datetime import timedelta

from tenantvoice import clock
from tenantvoice.meetings.models import Meeting, MeetingKind
from tenantvoice.meetings.services import quorum_required
from tenantvoice.orgs.models import QuorumBase, QuorumMode
from tests import factories as f


def _meeting(body, kind=MeetingKind.AGM):
    start = clock.now() + timedelta(days=20)
    return Meeting(
        body=body, kind=kind, title="AGA", starts_at=start, ends_at=start + timedelta(hours=2)
    )


def test_number_mode_uses_the_fixed_quorum(app):
    body = f.make_body(quorum_mode=QuorumMode.NUMBER, quorum_number=7)
    for __ in range(100):
        f.make_member(body=body)
    assert quorum_required(body, _meeting(body)) == 7


def test_percent_of_adult_current_members(app):
    body = f.make_body(
        quorum_mode=QuorumMode.PERCENT,
        quorum_percent=10,
        quorum_minimum=3,
        quorum_base=QuorumBase.ADULTS,
    )
    for __ in range(41):
        f.make_member(body=body)
    for __ in range(10):
        f.make_member(body=body, is_adult=False)
    for __ in range(10):
        f.make_member(body=body, until=clock.today() - timedelta(days=1))
    assert quorum_required(body, _meeting(body)) == 5  # ceil(41 × 10%)


def test_percent_of_distinct_units(app):
    body = f.make_body(
        quorum_mode=QuorumMode.PERCENT,
        quorum_percent=25,
        quorum_minimum=1,
        quorum_base=QuorumBase.UNITS,
    )
    for unit in ("101", "102", "103", "104", "105"):
        f.make_member(body=body, unit=unit)
        f.make_member(body=body, unit=unit)  # two adults in the same unit count once
    assert quorum_required(body, _meeting(body)) == 2  # ceil(5 × 25%)


def test_percent_never_below_the_minimum(app):
    body = f.make_body(quorum_mode=QuorumMode.PERCENT, quorum_percent=10, quorum_minimum=5)
    for __ in range(12):
        f.make_member(body=body)
    assert quorum_required(body, _meeting(body)) == 5


def test_founding_small_provider_needs_at_least_five(app):
    provider = f.make_provider()
    site = f.make_site(provider=provider, units_count=30)
    body = f.make_body(provider=provider, sites=[site])
    assert quorum_required(body, _meeting(body, MeetingKind.FOUNDING)) == 5


def test_founding_is_ten_percent_of_the_units_concerned(app):
    provider = f.make_provider()
    site = f.make_site(provider=provider, units_count=120)
    f.make_site(provider=provider, units_count=300)  # another building, not concerned
    body = f.make_body(provider=provider, sites=[site])
    assert quorum_required(body, _meeting(body, MeetingKind.FOUNDING)) == 12


def test_founding_large_provider_has_no_minimum_of_five(app):
    provider = f.make_provider()
    site = f.make_site(provider=provider, units_count=24)
    f.make_site(provider=provider, units_count=100)
    body = f.make_body(provider=provider, sites=[site])
    assert quorum_required(body, _meeting(body, MeetingKind.FOUNDING)) == 3
