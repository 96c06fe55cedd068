"""Home-page items of issue 9: the next five meetings lead to the full list ("see all"), the
RSVP question is asked once and without a point médian, and search snippets show no raw
Markdown (already fixed with the minutes search in issue 8; closing hashes and underlined
headings were still shown)."""

from datetime import timedelta

from tenantvoice.extensions import db
from tenantvoice.meetings.models import MeetingStatus
from tenantvoice.minutes import search
from tests import factories as f
from tests.minutes.test_search import _published_minutes, _search


def _meetings(world, n, **kw):
    made = [
        f.make_meeting(body=world.adl_a, title=f"Réunion {k:02d}", starts_in=timedelta(days=3 + k))
        for k in range(n)
    ]
    db.session.commit()
    return made


def test_home_shows_five_and_links_to_all(world, client, auth):
    _meetings(world, 7)
    auth.login(world.tenant_a)
    home = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert home.count("Réunion ") == 5
    assert 'href="/meetings/upcoming"' in home
    assert "See all my next meetings" in home
    page = client.get("/meetings/upcoming", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert all(f"Réunion {k:02d}" in text for k in range(7))
    assert "7 meetings to come" in text


def test_full_list_is_paged_and_shows_only_my_meetings(world, client, auth):
    _meetings(world, 25)
    f.make_meeting(body=world.adl_b, title="Réunion des Érables")
    f.make_meeting(body=world.adl_a, title="Brouillon", status=MeetingStatus.DRAFT)
    db.session.commit()
    auth.login(world.tenant_a)
    first = client.get("/meetings/upcoming").get_data(as_text=True)
    assert first.count("Réunion ") == 20
    assert "Érables" not in first
    assert "Brouillon" not in first
    second = client.get("/meetings/upcoming?page=2").get_data(as_text=True)
    assert second.count("Réunion ") == 5
    assert "Réunion 24" in second


def test_full_list_for_someone_with_no_body(world, client, auth):
    auth.login(world.outsider)
    assert client.get("/meetings/upcoming").status_code == 200


def test_rsvp_question_is_asked_once_without_point_median(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.tenant_a)
    fr = client.get(f"/meetings/{meeting.id}", headers={"Accept-Language": "fr-CA"})
    page = fr.get_data(as_text=True)
    assert page.count("Serez-vous là\u00a0?") == 1
    assert "présent·e" not in page
    assert "·e" not in page.split('id="meeting-rsvp-', 1)[1].split("</section>", 1)[0]
    en = client.get(f"/meetings/{meeting.id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert en.count("Will you come?") == 1


def test_snippets_drop_closing_hashes_and_underlined_headings():
    raw = "## Ordre du jour ##\n\nPoint \x02deux\x03\n\nBudget\n======\nsuite"
    assert search.plain_snippet(raw) == "Ordre du jour Point \x02deux\x03 Budget suite"


def test_search_results_show_no_markdown(world, client, auth):
    _published_minutes(
        world.adl_a,
        1,
        "## Ordre du jour ##\n\n### Élection du conseil\n\nBudget adopté\n=====\n\n**fin**",
    )
    auth.login(world.tenant_a)
    html = _search(client, world, "election").get_data(as_text=True)
    snippet = html.split('class="minutes-snippet">', 1)[1].split("</p>", 1)[0]
    for markdown in ("#", "**", "==="):
        assert markdown not in snippet
    assert "<mark>Élection</mark>" in snippet
