"""Recommendation pages through HTTP: bad input refused next to its field (422) with nothing
recorded, attachments served as downloads, what the direction never sees, filters and counts."""

import io
from datetime import timedelta

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.extensions import db
from tenantvoice.recommendations import services
from tenantvoice.recommendations.models import (
    Attachment,
    Comment,
    Recommendation,
    Status,
)
from tests.recommendations.helpers import TEXT, ccr_seats, make_rec

EN = {"Accept-Language": "en"}
KEY = "0123456789abcdef0123456789abcdef"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_member_drafts_a_recommendation(world, client, auth):
    auth.login(world.tenant_a)
    response = client.post(
        f"/bodies/{world.adl_a.id}/recommendations/new",
        data={**TEXT, "site_ids": [str(world.s1.id)], "form_key": KEY},
        headers=EN,
    )
    assert response.status_code == 302
    rec = db.session.scalar(sa.select(Recommendation))
    assert rec.author_id == world.tenant_a.id
    assert [s.id for s in rec.sites] == [world.s1.id]


def test_a_draft_with_a_forged_site_is_refused_next_to_the_field(world, client, auth):
    auth.login(world.tenant_a)
    response = client.post(
        f"/bodies/{world.adl_a.id}/recommendations/new",
        data={**TEXT, "site_ids": [str(world.s3.id)], "form_key": KEY},
        headers=EN,
    )
    assert response.status_code == 422
    assert b"site_ids-errors" in response.data
    assert _count(Recommendation) == 0


def test_a_draft_without_title_keeps_what_was_typed(world, client, auth):
    auth.login(world.tenant_a)
    response = client.post(
        f"/bodies/{world.adl_a.id}/recommendations/new",
        data={**TEXT, "title": "", "form_key": KEY},
        headers=EN,
    )
    assert response.status_code == 422
    assert b"This field is required." in response.data
    assert "stationnement avant le 1er février".encode() in response.data


def test_a_vote_closing_in_the_past_is_refused_in_french(world, client, auth):
    rec = make_rec(world)
    db.session.commit()
    auth.login(world.officer_a)
    past = (clock.now() - timedelta(days=1)).astimezone(clock.MONTREAL)
    response = client.post(
        f"/recommendations/{rec.id}/vote",
        data={
            "close_day": past.date().isoformat(),
            "close_time": "20:00",
            "mode": "secret",
            "confirm_small_electorate": "y",
        },
        headers={"Accept-Language": "fr-CA"},
    )
    assert response.status_code == 422
    assert b"close_day-errors" in response.data
    db.session.refresh(rec)
    assert rec.status == Status.DRAFT
    assert rec.question_id is None


def test_opening_the_vote_leads_to_the_ballot_page(world, client, auth):
    rec = make_rec(world)
    db.session.commit()
    auth.login(world.officer_a)
    day = (clock.now() + timedelta(days=3)).astimezone(clock.MONTREAL).date()
    response = client.post(
        f"/recommendations/{rec.id}/vote",
        data={
            "close_day": day.isoformat(),
            "close_time": "20:00",
            "mode": "secret",
            "confirm_small_electorate": "y",
        },
    )
    assert response.status_code == 302
    db.session.refresh(rec)
    assert response.headers["Location"].endswith(f"/ballots/{rec.question_id}")
    page = client.get(f"/recommendations/{rec.id}", headers=EN)
    assert b"Participation: 0 of 4" in page.data
    assert b"Go to the vote" in page.data


def test_an_answer_by_anyone_but_that_providers_direction_is_refused(world, client, auth):
    ccr_seats(world)
    rec = make_rec(world, body=world.ccr, status=Status.TRANSMITTED)
    db.session.commit()
    data = {"decision": "refused", "explanation": "Non."}
    for user, status in ((world.officer_a, 403), (world.direction_other, 404), (world.oc, 403)):
        auth.login(user)
        assert client.post(f"/recommendations/{rec.id}/answer", data=data).status_code == status
    db.session.refresh(rec)
    assert rec.answer is None


def test_an_accepted_answer_without_a_plan_is_refused_next_to_the_fields(world, client, auth):
    ccr_seats(world)
    rec = make_rec(world, body=world.ccr, status=Status.TRANSMITTED)
    db.session.commit()
    auth.login(world.direction)
    response = client.post(
        f"/recommendations/{rec.id}/answer",
        data={"decision": "accepted", "explanation": "Oui."},
        headers=EN,
    )
    assert response.status_code == 422
    assert b"plan-errors" in response.data
    assert b"by-errors" in response.data
    db.session.refresh(rec)
    assert rec.status == Status.TRANSMITTED


def test_an_oversize_attachment_is_refused_next_to_the_field(world, client, auth):
    rec = make_rec(world)
    db.session.commit()
    auth.login(world.officer_a)
    big = b"%PDF-1.7\n" + b"x" * (5 * 1024 * 1024)
    response = client.post(
        f"/recommendations/{rec.id}/attachments",
        data={"file": (io.BytesIO(big), "rapport.pdf")},
        headers=EN,
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert b"larger than 5 MB" in response.data
    assert _count(Attachment) == 0


def test_a_disguised_attachment_is_refused(world, client, auth):
    rec = make_rec(world)
    db.session.commit()
    auth.login(world.officer_a)
    response = client.post(
        f"/recommendations/{rec.id}/attachments",
        data={"file": (io.BytesIO(b"<svg onload=alert(1)>"), "photo.png")},
        headers=EN,
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert b"checked by their content" in response.data
    assert _count(Attachment) == 0


def test_an_attachment_is_served_as_a_download_never_inline(world, client, auth):
    rec = make_rec(world)
    attachment = services.add_attachment(world.officer_a, rec, "../../photo.png", PNG)
    db.session.commit()
    auth.login(world.tenant_a)
    response = client.get(f"/recommendations/{rec.id}/attachments/{attachment.id}")
    assert response.status_code == 200
    assert response.data == PNG
    assert response.headers["Content-Disposition"] == 'attachment; filename="photo.png"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "image/png"


def test_an_attachment_of_another_recommendation_is_not_found(world, client, auth):
    rec = make_rec(world)
    other = make_rec(world)
    attachment = services.add_attachment(world.officer_a, other, "p.png", PNG)
    db.session.commit()
    auth.login(world.tenant_a)
    assert client.get(f"/recommendations/{rec.id}/attachments/{attachment.id}").status_code == 404


def test_the_direction_never_sees_comments_amendment_authors_or_names(world, client, auth):
    ccr_seats(world)
    rec = make_rec(world, body=world.ccr)
    services.comment(world.tenant_a, rec, "Le concierge refuse de s'en occuper.")
    services.propose_amendment(world.tenant_a, rec, "Que l'office répare vite l'éclairage.")
    rec.status = Status.ADOPTED
    db.session.flush()
    services.transmit(world.officer_a, rec)
    db.session.commit()
    auth.login(world.direction)
    page = client.get(f"/recommendations/{rec.id}", headers=EN).get_data(as_text=True)
    assert "Answer this recommendation" in page
    assert "concierge" not in page
    assert "Lucie Tremblay" not in page
    assert "Jean Gagnon" not in page
    assert client.get(f"/recommendations/{rec.id}/compare").status_code == 404
    auth.login(world.tenant_a)
    assert "concierge" in client.get(f"/recommendations/{rec.id}").get_data(as_text=True)


def test_a_comment_on_a_transmitted_recommendation_is_refused(world, client, auth):
    rec = make_rec(world, status=Status.ADOPTED)
    db.session.commit()
    auth.login(world.tenant_a)
    assert client.post(f"/recommendations/{rec.id}/comments", data={"text": "x"}).status_code == 403
    assert _count(Comment) == 0


def test_the_public_list_filters_by_status_and_category_and_counts_the_wait(world, client, auth):
    ccr_seats(world)
    make_rec(world, body=world.ccr, status=Status.TRANSMITTED, title="Éclairage")
    make_rec(world, body=world.ccr, status=Status.DONE, title="Bancs", category="quality_of_life")
    make_rec(world, body=world.ccr, title="Brouillon secret")
    db.session.commit()
    clock.advance(timedelta(days=60))
    auth.login(world.tenant_b)
    page = client.get(f"/providers/{world.p1.id}/recommendations", headers=EN).get_data(
        as_text=True
    )
    assert "Éclairage" in page
    assert "Bancs" in page
    assert "Brouillon secret" not in page
    assert "1 recommendation waits for an answer." in page
    assert "1 answer is overdue." in page
    filtered = client.get(
        f"/providers/{world.p1.id}/recommendations?category=quality_of_life", headers=EN
    ).get_data(as_text=True)
    assert "Bancs" in filtered
    assert "Éclairage" not in filtered


def test_a_page_read_after_the_delay_writes_nothing(world, client, auth):
    ccr_seats(world)
    rec = make_rec(world, body=world.ccr, status=Status.TRANSMITTED)
    db.session.commit()
    clock.advance(timedelta(days=90))
    auth.login(world.tenant_a)
    page = client.get(f"/recommendations/{rec.id}", headers=EN)
    assert b"Answer overdue" in page.data
    db.session.refresh(rec)
    assert rec.overdue_notified_at is None


def test_two_versions_compare_as_a_word_diff(world, client, auth):
    rec = make_rec(world)
    amendment = services.propose_amendment(
        world.tenant_a, rec, "Que l'office répare tout l'éclairage."
    )
    services.decide_amendment(world.officer_a, rec, amendment, accept=True)
    db.session.commit()
    auth.login(world.tenant_a)
    page = client.get(f"/recommendations/{rec.id}/compare?a=1&b=2").get_data(as_text=True)
    assert "<ins>" in page
    assert "<del>" in page


def test_a_draft_sent_twice_is_recorded_once(world, client, auth):
    auth.login(world.tenant_a)
    url = f"/bodies/{world.adl_a.id}/recommendations/new"
    first = client.post(url, data={**TEXT, "form_key": KEY})
    again = client.post(url, data={**TEXT, "form_key": KEY})
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert _count(Recommendation) == 1


def test_a_draft_without_its_key_is_refused_as_stale(world, client, auth):
    auth.login(world.tenant_a)
    response = client.post(f"/bodies/{world.adl_a.id}/recommendations/new", data=TEXT)
    assert response.status_code == 422
    assert _count(Recommendation) == 0


def test_an_amendment_of_another_recommendation_is_not_found(world, client, auth):
    rec = make_rec(world)
    other = make_rec(world)
    amendment = services.propose_amendment(world.tenant_a, other, "Autre libellé.")
    db.session.commit()
    auth.login(world.officer_a)
    response = client.post(
        f"/recommendations/{rec.id}/amendments/{amendment.id}", data={"decision": "accept"}
    )
    assert response.status_code == 404
    db.session.refresh(other)
    assert other.version == 1


def test_a_forged_follow_up_status_is_refused_next_to_the_field(world, client, auth):
    ccr_seats(world)
    rec = make_rec(world, body=world.ccr, status=Status.ACCEPTED)
    db.session.commit()
    auth.login(world.direction)
    response = client.post(
        f"/recommendations/{rec.id}/follow-up",
        data={"status": "refused", "note": "Finalement non."},
        headers=EN,
    )
    assert response.status_code == 422
    assert b"status-errors" in response.data
    db.session.refresh(rec)
    assert rec.status == Status.ACCEPTED


def test_the_body_page_links_to_its_recommendations(world, client, auth):
    ccr_seats(world)
    make_rec(world, body=world.ccr, status=Status.TRANSMITTED)
    db.session.commit()
    auth.login(world.tenant_a)
    page = client.get(f"/bodies/{world.ccr.id}", headers=EN).get_data(as_text=True)
    assert f"/bodies/{world.ccr.id}/recommendations" in page
    assert "1 recommendation waits for the office's answer." in page
    home = client.get("/", headers=EN).get_data(as_text=True)
    assert f"/providers/{world.p1.id}/recommendations" in home


def test_a_recommendation_sent_to_the_ccr_does_not_say_it_awaits_the_office(world, client, auth):
    rec = make_rec(world, status=Status.ADOPTED)
    services.transmit(world.officer_a, rec)
    db.session.commit()
    auth.login(world.tenant_b)
    page = client.get(f"/recommendations/{rec.id}", headers=EN).get_data(as_text=True)
    assert "Sent to the resident advisory committee (CCR)" in page
    assert "awaiting an answer" not in page


def _voted(world):
    world.adl_a.quorum_minimum = 1
    rec = make_rec(world)
    question = services.open_vote(
        world.officer_a,
        rec,
        closes_at=clock.now() + timedelta(days=1),
        confirm_small_electorate=True,
    )
    db.session.commit()
    return rec, question


def test_the_vote_s_page_links_back_to_its_recommendation(world, client, auth):
    rec, question = _voted(world)
    auth.login(world.tenant_a)
    page = client.get(f"/ballots/{question.id}", headers=EN).text
    assert f'<a href="/recommendations/{rec.id}">The recommendation</a>' in page
    french = client.get(f"/ballots/{question.id}", headers={"Accept-Language": "fr-CA"}).text
    assert f'<a href="/recommendations/{rec.id}">La recommandation</a>' in french


def test_no_link_for_whoever_the_policy_keeps_from_the_recommendation(
    world, client, auth, monkeypatch
):
    from tenantvoice import policy

    _rec, question = _voted(world)
    monkeypatch.setattr(policy, "can_see_recommendation", lambda user, rec: False)
    auth.login(world.tenant_a)
    page = client.get(f"/ballots/{question.id}", headers=EN).text
    assert "The recommendation" not in page


def test_the_link_back_costs_one_statement(world, client, auth, monkeypatch):
    from tenantvoice.ballots import views as ballot_views
    from tenantvoice.ballots.models import Purpose
    from tests.perf.test_query_counts import steady_count

    _rec, question = _voted(world)
    auth.login(world.tenant_a)
    with_link = steady_count(client, f"/ballots/{question.id}")
    monkeypatch.delitem(ballot_views.SUBJECT_LINKS, Purpose.RECOMMENDATION)
    without = steady_count(client, f"/ballots/{question.id}")
    assert with_link <= without + 1
