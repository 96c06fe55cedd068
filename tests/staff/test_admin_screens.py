"""The admin's audit screen and outbox health (issue 9): kinds, actor roles and objects, counts
and states; never a name, an event's detail, a recipient or a subject."""

from datetime import timedelta

from tenantvoice import audit, clock
from tenantvoice.extensions import db
from tenantvoice.outbox.models import Channel, Delivery
from tests.minutes.helpers import member_of


def test_the_audit_screen_shows_kind_role_and_object_never_who_attended(world, client, auth):
    meeting_id = 4242
    present = member_of(world.tenant_a, world.adl_a)
    # An officer marks Lucie present; Lucie checks herself in; the admin creates a region.
    audit.record(
        "attendance.present",
        actor=world.officer_a,
        body_id=world.adl_a.id,
        obj=None,
        detail=f"member {present.id}",
    )
    audit.record(
        "attendance.present",
        actor=world.tenant_a,
        body_id=world.adl_a.id,
        detail=f"member {present.id} Lucie Tremblay",
    )
    audit.record("region.create", actor=world.admin, obj=world.r1)
    audit.record("retention.purge")
    db.session.commit()
    auth.login(world.admin)
    page = client.get("/admin/audit")
    assert page.status_code == 200
    text = page.text
    assert text.count("attendance.present") == 2
    assert "region.create" in text
    assert "Officer of the body" in text
    assert "Account without a staff role" in text
    assert "Platform administrator" in text
    assert "The system" in text
    for secret in ("Lucie Tremblay", "Jean Gagnon", f"member {present.id}", str(meeting_id)):
        assert secret not in text


def test_the_audit_screen_is_paged(world, client, auth):
    for n in range(35):
        audit.record("region.create", actor=world.admin, detail=str(n))
    db.session.commit()
    auth.login(world.admin)
    first = client.get("/admin/audit").text
    assert "35 events" in first
    assert first.count("region.create") == 30
    assert client.get("/admin/audit?page=2").text.count("region.create") == 5


def test_outbox_health_counts_states_without_recipients_or_subjects(world, client, auth):
    now = clock.now()
    rows = [
        Delivery(channel=Channel.EMAIL, to="lucie@example.org", subject="Avis AGA", sent_at=now),
        Delivery(channel=Channel.EMAIL, to="jean@example.org", subject="Rappel", attempts=2),
        Delivery(
            channel=Channel.EMAIL, to="x@example.org", subject="Perdu", gave_up_at=now, attempts=9
        ),
        Delivery(
            channel=Channel.EMAIL,
            to="y@example.org",
            subject="Attente",
            created_at=now - timedelta(hours=3),
        ),
        Delivery(channel=Channel.PUSH, subject="Nouvelle rencontre", sent_at=now),
    ]
    db.session.add_all(rows)
    db.session.commit()
    auth.login(world.admin)
    text = client.get("/admin/outbox").text
    email = text[text.index('id="outbox-email"') : text.index('id="outbox-push"')]
    assert "<dt>Waiting</dt><dd>1</dd>" in email
    assert "<dt>Retrying after a failure</dt><dd>1</dd>" in email
    assert "<dt>Sent</dt><dd>1</dd>" in email
    assert "<dt>Given up</dt><dd>1</dd>" in email
    assert "Oldest message still waiting" in text
    for secret in (
        "lucie@example.org",
        "jean@example.org",
        "Avis AGA",
        "Rappel",
        "Nouvelle rencontre",
    ):
        assert secret not in text
