"""The printed notice (avis de convocation) as a secretary posts it in the lobby (issue 9):
date of notice, signatory with role, contact, quorum as a minimum, a Print button without
inline script, a draft marked PROJET / DRAFT with no QR code to a page tenants cannot open, and
no placeholder item published unchanged."""

import re
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.meetings.models import Meeting, MeetingKind, MeetingStatus
from tests import factories as f

NOW = datetime(2025, 3, 3, 15, 0, tzinfo=UTC)


def _publish_draft(world, client, auth, **kw):
    clock.set(NOW)
    meeting = f.make_meeting(body=world.adl_a, status=MeetingStatus.DRAFT, **kw)
    db.session.commit()
    auth.login(world.officer_a)
    assert client.post(f"/meetings/{meeting.id}/publish").status_code == 302
    db.session.refresh(meeting)
    return meeting


def _notice(client, meeting, lang):
    response = client.get(f"/meetings/{meeting.id}/notice?lang={lang}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_notice_is_dated_and_signed_by_the_publishing_officer_with_role(world, client, auth):
    meeting = _publish_draft(world, client, auth)
    assert meeting.published_by_id == world.officer_a.id
    fr = _notice(client, meeting, "fr")
    assert "Date de l’avis" in fr or "Date de l'avis" in fr
    assert "3 mars 2025" in fr
    assert "Jean Gagnon" in fr
    assert "Secrétariat" in fr
    en = _notice(client, meeting, "en")
    assert "Date of notice: March 3, 2025" in en
    assert "Jean Gagnon" in en
    assert "Secretary" in en


def test_notice_gives_a_contact(world, client, auth):
    meeting = _publish_draft(world, client, auth)
    en = _notice(client, meeting, "en")
    assert "Questions: ask Jean Gagnon or another officer of the association." in en
    meeting.notice_contact = "Boîte aux lettres de l'association, hall d'entrée"
    db.session.commit()
    fr = _notice(client, meeting, "fr")
    assert "Boîte aux lettres de l&#39;association, hall d&#39;entrée" in fr


def test_contact_is_typed_on_the_meeting_form(world, client, auth):
    clock.set(NOW)
    meeting = f.make_meeting(body=world.adl_a, status=MeetingStatus.DRAFT)
    db.session.commit()
    auth.login(world.officer_a)
    data = {
        "kind": "agm",
        "title": "AGA 2025",
        "day": "2025-04-10",
        "start_time": "19:00",
        "end_time": "21:00",
        "place": "Salle communautaire",
        "audience": "members",
        "notice_contact": "Secrétariat : 418 555-0199",
        "form_key": uuid.uuid4().hex,
    }
    assert client.post(f"/meetings/{meeting.id}/edit", data=data).status_code == 302
    db.session.refresh(meeting)
    assert meeting.notice_contact == "Secrétariat : 418 555-0199"
    assert "418 555-0199" in client.get(f"/meetings/{meeting.id}/edit").get_data(as_text=True)


def test_quorum_reads_as_a_minimum_not_a_head_count(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.tenant_a)
    fr = _notice(client, meeting, "fr")
    en = _notice(client, meeting, "en")
    assert "au moins 5 membres doivent être présents" in fr
    assert "at least 5 members must be present" in en
    assert "membres présents" not in fr
    assert "members present" not in en


def test_print_button_needs_no_inline_script(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.tenant_a)
    page = _notice(client, meeting, "both")
    assert re.search(r"<button[^>]*data-print", page)
    assert "onclick" not in page
    # Every script is a file (the CSP forbids inline scripts).
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))


def test_draft_prints_marked_and_without_a_qr_code_to_a_404(world, client, auth):
    draft = f.make_meeting(body=world.adl_a, status=MeetingStatus.DRAFT)
    db.session.commit()
    auth.login(world.officer_a)
    page = _notice(client, draft, "both")
    assert "PROJET" in page
    assert "DRAFT" in page
    assert "data:image/svg+xml" not in page
    assert f"/meetings/{draft.id}<" not in page  # no address tenants would get a 404 from
    # Tenants indeed cannot open it: the QR code would have led there.
    auth.login(world.tenant_a)
    assert client.get(f"/meetings/{draft.id}").status_code == 404
    # Published: no mark, the QR code comes back.
    published = f.make_meeting(body=world.adl_a)
    db.session.commit()
    page = _notice(client, published, "both")
    assert "PROJET" not in page
    assert "data:image/svg+xml" in page


def _schedule_special(client, world, lang):
    response = client.post(
        f"/bodies/{world.adl_a.id}/meetings/new",
        data={
            "kind": "special",
            "title": "Assemblée spéciale",
            "day": "2025-04-10",
            "start_time": "19:00",
            "end_time": "21:00",
            "place": "Salle communautaire",
            "audience": "members",
            "form_key": uuid.uuid4().hex,
        },
        headers={"Accept-Language": lang},
    )
    assert response.status_code == 302
    return db.session.scalars(sa.select(Meeting).order_by(Meeting.id.desc())).first()


def test_placeholder_item_cannot_be_published_unchanged(world, client, auth):
    clock.set(NOW)
    auth.login(world.officer_a)
    meeting = _schedule_special(client, world, "fr-CA")
    assert meeting.kind == MeetingKind.SPECIAL
    titles = [i.title for i in meeting.agenda_items]
    assert "Sujet de la convocation" in titles
    response = client.post(f"/meetings/{meeting.id}/publish", headers={"Accept-Language": "fr-CA"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Sujet de la convocation" in page
    assert "avant de publier" in page or "puis publiez" in page
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.DRAFT
    item = next(i for i in meeting.agenda_items if i.title == "Sujet de la convocation")
    item.title = "Adoption des nouveaux règlements d'immeuble"
    db.session.commit()
    assert client.post(f"/meetings/{meeting.id}/publish").status_code == 302
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.PUBLISHED


def test_placeholder_in_the_other_language_is_refused_too(world, client, auth):
    clock.set(NOW)
    auth.login(world.officer_a)
    meeting = _schedule_special(client, world, "en")
    assert "Subject of the call" in [i.title for i in meeting.agenda_items]
    response = client.post(f"/meetings/{meeting.id}/publish", headers={"Accept-Language": "fr-CA"})
    assert response.status_code == 422
