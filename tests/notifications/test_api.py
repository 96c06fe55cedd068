"""The API later domains use: a kind registered from the factory, `notify(..., only=...,
once_key=...)`, and periodic jobs. Shown with a stand-in "vote closes in 24 hours" kind: the
system computes the people who have not voted, the policy still decides who may open the vote,
the reminder goes out once, and its traces do not say who received it."""

import pytest
from flask import url_for
from flask_babel import lazy_gettext as _l

from tenantvoice import policy
from tenantvoice.extensions import db
from tenantvoice.notifications.kinds import URGENT, Kind, get_kind, register_kinds
from tenantvoice.notifications.models import Channel, Frequency
from tenantvoice.notifications.services import notify, set_preferences
from tenantvoice.outbox.delivery import deliver_due
from tenantvoice.outbox.models import Channel as OutboxChannel
from tests.minutes.helpers import in_request
from tests.notifications.helpers import deliveries, told

CLOSING = Kind(
    key="vote.closing_test",
    label=_l("Meeting notices"),
    summary=_l("Meeting reminder"),
    headline=_l("Reminder: a meeting of %(of_body)s is coming up"),
    may_open=lambda user, body: policy.is_member(user, body),
    url=lambda body: url_for("home.index"),
    body=lambda body: body,
    defaults=URGENT,
    private=True,
)


@pytest.fixture
def closing_kind(app):
    register_kinds(app, [CLOSING])
    return CLOSING


def test_a_kind_registers_once(app, closing_kind):
    with pytest.raises(ValueError, match="twice"):
        register_kinds(app, [CLOSING])


def test_an_unknown_kind_is_a_programming_error(app):
    with pytest.raises(LookupError, match="register it in create_app"):
        get_kind("vote.unknown")


def test_only_restricts_to_the_people_the_system_computed(world, closing_kind):
    w = world
    not_voted = {w.tenant_a.id, w.tenant_b.id}  # tenant_b is not a member of ADL A
    with in_request():
        notify("vote.closing_test", w.adl_a, only=not_voted, once_key="vote:1:closing")
    db.session.commit()
    assert told("vote.closing_test") == {w.tenant_a.id}  # the policy still decides


def test_once_key_makes_it_happen_once(world, closing_kind):
    w = world
    with in_request():
        first = notify("vote.closing_test", w.adl_a, once_key="vote:1:closing")
        second = notify("vote.closing_test", w.adl_a, once_key="vote:1:closing")
    db.session.commit()
    assert first is not None
    assert second is None
    assert len(told("vote.closing_test")) == 3  # tenant_a, officer_a, president_a: once each


def test_a_private_kinds_deliveries_forget_who_received_them(world, closing_kind):
    w = world
    with in_request():
        set_preferences(w.tenant_a, {("vote.closing_test", Channel.EMAIL): Frequency.IMMEDIATELY})
        notify("vote.closing_test", w.adl_a, only={w.tenant_a.id})
    db.session.commit()
    [email] = deliveries(OutboxChannel.EMAIL)
    assert email.private
    deliver_due()
    [email] = deliveries(OutboxChannel.EMAIL)
    assert email.sent_at is not None
    assert (email.to, email.user_id) == ("", None)


def test_the_factory_registers_each_domains_jobs_with_the_queue(app):
    jobs = app.extensions["periodic_jobs"]
    assert {"outbox.deliver_due", "notifications.digests", "meetings.reminders"} <= set(jobs)
    assert "retention.purge" in jobs
    registered = set(app.extensions["huey"]._registry._registry)
    prefix = "tenantvoice.outbox.queue."  # huey names a task by its module and name
    assert {prefix + name for name in ["outbox.wake_up", *jobs]} == registered


def test_jobs_cli_lists_and_runs_a_job(runner):
    listed = runner.invoke(args=["jobs", "list"])
    assert "meetings.reminders" in listed.output
    ran = runner.invoke(args=["jobs", "run", "notifications.digests"])
    assert ran.exit_code == 0, ran.output
    assert "messages" in ran.output
    unknown = runner.invoke(args=["jobs", "run", "nothing.here"])
    assert unknown.exit_code != 0
