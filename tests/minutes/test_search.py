"""Search over a body's published minutes: accents and case do not matter, drafts and in-camera
text are never found (same results on SQLite FTS5 and PostgreSQL)."""

from datetime import timedelta

import sqlalchemy as sa

from tenantvoice.extensions import db
from tenantvoice.minutes import search
from tenantvoice.minutes.models import Minutes, MinutesSearch, MinutesState
from tests.minutes.helpers import T0, board_meeting, minutes_in_state


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
    hits = queries.search_body_minutes(db.session.merge(body, load=False), "communautaire").items
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


# --- done by the database: snippets, pages, the index the planner uses -----------------------

MARKDOWN = (
    "## Ordre du jour\n\n**Point 1.** La _réunion_ du comité de la [salle](https://exemple.ca) "
    "porte sur l'`ÉLECTION` annuelle.\n\n- Le budget\n- Les travaux\n\n> Note de la présidence\n"
)


def _published_minutes(body, n, text, *, start_day=0, state=MinutesState.PUBLISHED):
    """`n` minutes of `body` in `state`, indexed as publication indexes them (built directly:
    the workflow is tested elsewhere), meeting k starting k days after T0."""
    made = []
    for k in range(n):
        meeting = board_meeting(
            body,
            starts_at=T0 + timedelta(days=start_day + k),
            title=f"Séance {start_day + k}",
            year_number=start_day + k + 1,
        )
        minutes = Minutes(meeting_id=meeting.id, body_id=body.id, state=state)
        db.session.add(minutes)
        db.session.flush()
        if state == MinutesState.PUBLISHED:
            search.index_minutes(minutes, text)
        made.append(minutes)
    db.session.commit()
    return made


def test_snippet_shows_no_markdown_and_marks_the_words(world, client, auth):
    _published_minutes(world.adl_a, 1, MARKDOWN)
    auth.login(world.tenant_a)
    html = _search(client, world, "election").get_data(as_text=True)
    snippet = html.split('class="minutes-snippet">', 1)[1].split("</p>", 1)[0]
    for markdown in ("##", "**", "`", "](", "_réunion_", "\n-", "> Note"):
        assert markdown not in snippet
    assert "<mark>ÉLECTION</mark>" in snippet  # as written, accents and case kept
    assert "réunion" in snippet
    assert "salle" in snippet


def test_snippet_text_is_escaped(world, client, auth):
    _published_minutes(world.adl_a, 1, "Le <script>alert(1)</script> du comité & la réunion")
    auth.login(world.tenant_a)
    html = _search(client, world, "reunion").get_data(as_text=True)
    snippet = html.split('class="minutes-snippet">', 1)[1].split("</p>", 1)[0]
    assert "<script>" not in snippet  # escaped (SQLite) or dropped by ts_headline (PostgreSQL)
    assert "réunion" in snippet


def test_plain_snippet_strips_markdown_left_in_an_extract():
    raw = "… jour\n\n## Point \x02deux\x03\n\n**Adopté** à l'[unanimité](https://x.ca) et _suivi_ …"
    assert search.plain_snippet(raw) == "… jour Point \x02deux\x03 Adopté à l'unanimité et suivi …"


def test_results_come_in_pages_of_twenty_newest_first(world, client, auth):
    made = _published_minutes(world.adl_a, 23, "La réunion annuelle des membres.")
    auth.login(world.tenant_a)
    first = _search(client, world, "reunion").get_data(as_text=True)
    assert "23 results" in first
    assert "Page 1 of 2" in first
    assert first.count('class="minutes-snippet"') == 20
    assert f'/minutes/{made[-1].id}"' in first  # newest meeting first
    assert f'/minutes/{made[0].id}"' not in first
    assert 'rel="next"' in first
    assert 'rel="prev"' not in first
    next_url = first.split('rel="next" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    second = client.get(next_url).get_data(as_text=True)
    assert second.count('class="minutes-snippet"') == 3
    assert f'/minutes/{made[0].id}"' in second
    assert 'rel="prev"' in second
    assert 'rel="next"' not in second


def test_page_links_are_translated(world, client, auth):
    _published_minutes(world.adl_a, 21, "La réunion annuelle des membres.")
    world.tenant_a.locale = "fr_CA"
    db.session.commit()
    auth.login(world.tenant_a)
    html = _search(client, world, "reunion").get_data(as_text=True)
    assert "Page 1 de 2" in html
    assert "Page suivante" in html


def test_a_page_past_the_end_shows_the_last_page(world, client, auth):
    _published_minutes(world.adl_a, 21, "La réunion annuelle des membres.")
    auth.login(world.tenant_a)
    response = client.get(
        f"/bodies/{world.adl_a.id}/minutes", query_string={"q": "reunion", "page": "99999999"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Page 2 of 2" in html
    assert html.count('class="minutes-snippet"') == 1


def test_results_page_does_not_list_every_minutes(world, client, auth):
    _published_minutes(world.adl_a, 2, "La réunion annuelle des membres.")
    _published_minutes(world.adl_a, 1, "Le budget.", start_day=10)
    auth.login(world.tenant_a)
    html = _search(client, world, "reunion").get_data(as_text=True)
    assert "All minutes" not in html
    assert "Séance 10" not in html


def test_minutes_of_another_body_are_not_found(world, client, auth):
    _published_minutes(world.adl_b, 1, "La réunion annuelle des membres.")
    auth.login(world.officer_a)
    assert "0 results" in _search(client, world, "reunion").get_data(as_text=True)


def test_unpublished_minutes_in_the_index_are_still_not_found(world, client, auth):
    """Even a row left in the index (minutes taken back to another state) is never found:
    the search joins the minutes' state, it does not trust the index alone."""
    (minutes,) = _published_minutes(world.adl_a, 1, "La réunion annuelle des membres.")
    minutes.state = MinutesState.SIGNED
    db.session.commit()
    auth.login(world.officer_a)
    assert "0 results" in _search(client, world, "reunion").get_data(as_text=True)


def test_site_tenants_find_minutes_only_when_the_body_publishes_to_them(world, client, auth):
    from tenantvoice.orgs.models import MinutesAudience

    _published_minutes(world.ccr, 1, "La réunion annuelle des membres.")
    auth.login(world.tenant_a)
    url = f"/bodies/{world.ccr.id}/minutes"
    world.ccr.minutes_audience = MinutesAudience.MEMBERS
    db.session.commit()
    assert client.get(url, query_string={"q": "reunion"}).status_code == 404
    world.ccr.minutes_audience = MinutesAudience.SITE_TENANTS
    db.session.commit()
    assert "1 result" in client.get(url, query_string={"q": "reunion"}).get_data(as_text=True)


def _plan(statement) -> str:
    """The engine's plan for the page statement of a search (SQLite: EXPLAIN QUERY PLAN;
    PostgreSQL: EXPLAIN, sequential scans discouraged as a big table would)."""
    sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("ANALYZE minutes_search"))
        db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
        rows = db.session.execute(sa.text(f"EXPLAIN {sql}"))
    else:
        rows = db.session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}"))
    return "\n".join(" ".join(str(c) for c in row) for row in rows)


def test_the_planner_uses_the_full_text_index(world):
    _published_minutes(world.adl_a, 3, "La réunion annuelle des membres.")
    words = search.query_words("réunion annuelle")
    statement = search.matching(
        sa.select(MinutesSearch.minutes_id, search.snippet_column(words)), world.adl_a.id, words
    )
    plan = _plan(statement)
    if db.engine.dialect.name == "postgresql":
        assert search.PG_INDEX in plan, plan
    else:
        assert "VIRTUAL TABLE INDEX" in plan, plan  # the FTS5 MATCH drives the search
        assert "SCAN minutes_search" not in plan, plan
    db.session.rollback()


def test_an_older_fts_table_is_rebuilt_from_the_index_rows(world):
    """SQLite databases made before the FTS5 table had its body column: the search setup (run
    after every upgrade) rebuilds it from minutes_search, so nothing published gets lost."""
    if db.engine.dialect.name != "sqlite":
        return
    (minutes,) = _published_minutes(world.adl_a, 1, "La réunion annuelle des membres.")
    db.session.execute(sa.text("DROP TABLE minutes_fts"))
    db.session.execute(sa.text("CREATE VIRTUAL TABLE minutes_fts USING fts5(content_folded)"))
    db.session.commit()
    search.create_search_structures()
    assert search.search_ids(world.adl_a.id, "Réunion") == [minutes.id]
    search.create_search_structures()  # idempotent
    assert search.search_ids(world.adl_a.id, "reunion annuelle") == [minutes.id]
