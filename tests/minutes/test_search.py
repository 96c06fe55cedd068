"""Search over a body's published minutes: accents and case do not matter, drafts and in-camera
text are never found (same results on SQLite FTS5 and PostgreSQL)."""

from tenantvoice.extensions import db
from tenantvoice.minutes.models import MinutesState
from tests.minutes.helpers import minutes_in_state


def _search(client, world, q):
    return client.get(f"/bodies/{world.adl_a.id}/minutes", query_string={"q": q})


def test_unaccented_query_finds_accented_text(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.PUBLISHED)
    auth.login(world.tenant_a)
    body = _search(client, world, "reunion").get_data(as_text=True)
    assert f"/minutes/{minutes.id}" in body
    assert "1 result" in body


def test_upper_case_accented_query_finds_lower_case_text(world, client, auth):
    minutes_in_state(world, MinutesState.PUBLISHED)
    auth.login(world.tenant_a)
    from tenantvoice.minutes.models import MinutesSearch

    row = db.session.query(MinutesSearch).one()
    assert "election" in row.content_folded
    body = _search(client, world, "ÉLECTION annuelle").get_data(as_text=True)
    assert "1 result" in body


def test_in_camera_text_is_not_found(world, client, auth):
    minutes_in_state(world, MinutesState.PUBLISHED)
    auth.login(world.officer_a)
    assert "0 results" in _search(client, world, "concierge").get_data(as_text=True)


def test_unpublished_minutes_are_not_found(world, client, auth):
    minutes_in_state(world, MinutesState.SIGNED)
    auth.login(world.officer_a)
    assert "0 results" in _search(client, world, "reunion").get_data(as_text=True)


def test_every_word_must_appear(world, client, auth):
    minutes_in_state(world, MinutesState.PUBLISHED)
    auth.login(world.tenant_a)
    assert "0 results" in _search(client, world, "reunion piscine").get_data(as_text=True)


def test_search_returns_the_partial_to_htmx(world, client, auth):
    minutes_in_state(world, MinutesState.PUBLISHED)
    auth.login(world.tenant_a)
    response = client.get(
        f"/bodies/{world.adl_a.id}/minutes?q=reunion", headers={"HX-Request": "true"}
    )
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith(f'<section id="minutes-results-{world.adl_a.id}"')
    assert "HX-Request" in response.headers["Vary"]


def test_other_body_tenant_cannot_search(world, client, auth):
    auth.login(world.tenant_b)
    assert _search(client, world, "reunion").status_code == 404


def test_search_hits_come_with_their_meeting(world):
    """The results show each hit's meeting (date, title): loaded with the hits, no query each."""
    from sqlalchemy import event

    from tenantvoice.minutes import queries

    minutes_in_state(world, MinutesState.PUBLISHED)
    db.session.commit()
    body = world.adl_a
    db.session.expunge_all()  # a fresh identity map, as in a request
    hits = queries.search_body_minutes(db.session.merge(body, load=False), "communautaire")
    assert len(hits) == 1
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        titles = [hit.minutes.meeting.title for hit in hits]
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert titles == ["Assemblée régulière"]
    assert statements == []
