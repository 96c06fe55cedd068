"""Answering a poll and reading its result through HTTP: the secret answer reviewed then final,
a named answer changed, double taps, paper then app, the threshold, the protected cells in the
page, the chart and the CSV, the printed ballots and the best date's meeting link."""

import csv
import html
import io
import re
from datetime import timedelta

import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.ballots import services as ballots
from tenantvoice.ballots.models import Elector, Kind, Mode, RollEntry
from tenantvoice.extensions import db
from tests.perf.test_query_counts import steady_count
from tests.polls.helpers import choice_id, make_body_with_voters, make_poll
from tests.same_page import without_tokens


def _setup(n=6, **kw):
    body, officer, voters, paper = make_body_with_voters(n, paper=kw.pop("paper", 1))
    poll = make_poll(body, officer, confirm_small_electorate=True, **kw)
    db.session.commit()
    return poll, officer, voters, paper


def _roll():
    return db.session.scalar(sa.select(sa.func.count()).select_from(RollEntry))


def _main(page) -> str:
    return page.data.decode().split("<main")[1].split("</main>")[0]


def test_a_secret_answer_is_announced_final_reviewed_then_recorded_once(app, client, auth):
    poll, _officer, voters, _ = _setup()
    auth.login(voters[1])
    page = client.get(f"/polls/{poll.id}")
    assert "once given it is final" in page.text
    assert "only the participation will be published" in page.text
    jardin = choice_id(poll, "Jardin")
    review = client.post(f"/polls/{poll.id}/answer", data={"choice": jardin})
    assert review.status_code == 200
    assert _roll() == 0
    assert "final and cannot be changed" in review.text
    done = client.post(f"/polls/{poll.id}/answer", data={"choice": jardin, "confirm": "yes"})
    assert done.status_code == 302
    assert _roll() == 1
    again = client.post(f"/polls/{poll.id}/answer", data={"choice": jardin, "confirm": "yes"})
    assert again.status_code == 409
    assert _roll() == 1
    after = client.get(f"/polls/{poll.id}")
    assert "You have answered" in after.text
    assert 'name="choice"' not in after.text


def test_a_named_answer_can_be_changed_until_closing(app, client, auth):
    poll, _officer, voters, _ = _setup(mode=Mode.OPEN)
    auth.login(voters[2])
    first = client.post(f"/polls/{poll.id}/answer", data={"choice": choice_id(poll, "Jardin")})
    assert first.status_code == 302
    page = client.get(f"/polls/{poll.id}")
    assert "You may change your answer" in page.text
    changed = client.post(
        f"/polls/{poll.id}/answer", data={"choice": choice_id(poll, "Cuisine collective")}
    )
    assert changed.status_code == 302
    assert _roll() == 1


def test_a_choice_of_another_poll_is_refused_and_nothing_recorded(app, client, auth):
    poll, officer, voters, _ = _setup()
    other = make_poll(poll.body, officer, confirm_small_electorate=True)
    db.session.commit()
    auth.login(voters[1])
    page = client.post(
        f"/polls/{poll.id}/answer",
        data={"choice": choice_id(other, "Jardin"), "confirm": "yes"},
    )
    assert page.status_code == 422
    assert _roll() == 0


def test_after_closing_an_answer_is_refused(app, client, auth):
    poll, _officer, voters, _ = _setup()
    clock.advance(timedelta(days=3))
    auth.login(voters[1])
    page = client.post(
        f"/polls/{poll.id}/answer", data={"choice": choice_id(poll, "Jardin"), "confirm": "yes"}
    )
    assert page.status_code == 409
    assert _roll() == 0


def test_someone_not_asked_cannot_see_or_answer(app, client, auth):
    poll, _officer, _voters, _ = _setup()
    outsider_body, _o, outsiders, _p = make_body_with_voters(2)
    db.session.commit()
    auth.login(outsiders[1])
    assert client.get(f"/polls/{poll.id}").status_code == 404
    assert client.post(f"/polls/{poll.id}/answer", data={"choice": "1"}).status_code == 404


def test_paper_then_app_is_told_already_answered(app, client, auth):
    poll, officer, voters, _ = _setup()
    key = db.session.scalar(
        sa.select(Elector.person_key).where(
            Elector.question_id == poll.id, Elector.user_id == voters[3].id
        )
    )
    ballots.check_in_paper(officer, poll, key)
    db.session.commit()
    auth.login(voters[3])
    page = client.get(f"/polls/{poll.id}")
    assert "You have already answered on paper." in page.text
    tried = client.post(
        f"/polls/{poll.id}/answer", data={"choice": choice_id(poll, "Jardin"), "confirm": "yes"}
    )
    assert tried.status_code == 409
    assert _roll() == 1


def _answer_all(poll, voters, labels):
    for voter, label in zip(voters, labels, strict=False):
        ballots.cast(voter, poll, choice_id(poll, label))
    db.session.commit()


def _close(poll):
    clock.advance(timedelta(days=3))
    ballots.close_due_questions()
    db.session.commit()


def test_under_five_answers_only_participation_is_published_in_page_and_csv(app, client, auth):
    poll, _officer, voters, _ = _setup()
    _answer_all(poll, voters[:4], ["Jardin", "Jardin", "Cuisine collective", "Jardin"])
    _close(poll)
    auth.login(voters[1])
    page = client.get(f"/polls/{poll.id}")
    assert "only the participation is published" in page.text
    assert "Participation: 4 answers of 7 people asked" in page.text
    assert "poll-chart-svg" not in page.text
    data = client.get(f"/polls/{poll.id}/results.csv").text
    assert "Jardin" not in data
    assert "only the participation" in data


def _published_numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"(?<![\w-])(\d+)(?![\w-])", text)]


def test_small_cells_cannot_be_recomputed_from_page_chart_or_csv(app, client, auth):
    """16 answers: Jardin 8, Cuisine 6, Salle 2. Salle is under 5 and hidden; Cuisine is hidden
    too, or 16 − 8 − 6 would give Salle back. Only 8 (50 %) is published, in the page's chart,
    its table and the CSV alike; a reader knows Cuisine + Salle = 8 and nothing more."""
    poll, _officer, voters, _ = _setup(n=16, paper=0)
    _answer_all(
        poll, voters, ["Jardin"] * 8 + ["Cuisine collective"] * 6 + ["Salle d'ordinateurs"] * 2
    )
    _close(poll)
    auth.login(voters[1])
    main = _main(client.get(f"/polls/{poll.id}"))
    chart = main.split("<svg")[1].split("</svg>")[0]
    table = main.split('<table class="poll-table">')[1].split("</table>")[0]
    for part in (chart, table):
        assert part.count("fewer than 5") == 1
        assert part.count(">hidden<") == 1
        text = html.unescape(re.sub(r'"[^"]*"', "", part)).replace("fewer than 5", "")
        numbers = _published_numbers(text)
        assert set(numbers) <= {8, 50}, numbers
    data = list(csv.reader(io.StringIO(client.get(f"/polls/{poll.id}/results.csv").text)))
    rows = {row[0]: row[1:] for row in data if row}
    assert rows["Jardin"][:2] == ["8", "50"]
    assert rows["Cuisine collective"] == ["hidden", ""]
    assert rows["Salle d'ordinateurs"] == ["fewer than 5", ""]
    # What a reader can still work out: Cuisine + Salle = 16 − 8, Salle from 1 to 4.
    solutions = [(8 - s, s) for s in range(1, 5)]
    assert len(solutions) > 1


def test_a_date_poll_result_offers_the_best_date_as_a_meeting(app, client, auth):
    poll, officer, voters, _ = _setup(kind=Kind.DATES, mode=Mode.OPEN)
    dates = [c.id for c in poll.choices]
    for voter in voters[:6]:
        ballots.cast(voter, poll, {dates[0]: "n", dates[1]: "y", dates[2]: "m"})
    db.session.commit()
    _close(poll)
    auth.login(officer)
    page = client.get(f"/polls/{poll.id}")
    assert "Best date" in page.text
    link = re.search(r'href="(/bodies/\d+/meetings/new\?[^"]+)"', page.text)
    assert link
    best = poll.choices[1].starts_at.astimezone(clock.MONTREAL)
    form = client.get(link.group(1).replace("&amp;", "&"))
    assert form.status_code == 200
    assert f'value="{best.date().isoformat()}"' in form.text
    assert f'value="{best.strftime("%H:%M")}"' in form.text
    auth.login(voters[1])
    assert "Schedule a meeting" not in client.get(f"/polls/{poll.id}").text


def test_a_named_poll_shows_answers_by_building_protected(app, client, auth):
    poll, _officer, voters, _ = _setup(mode=Mode.OPEN)
    _answer_all(poll, voters, ["Jardin"] * 6)
    _close(poll)
    auth.login(voters[1])
    page = client.get(f"/polls/{poll.id}")
    assert "Jardin" in page.text
    assert "100" in page.text
    # Every voter lives at the body's one building: no breakdown to show.
    assert "Answers by building" not in page.text


def test_printed_ballots_carry_no_identifying_mark_and_both_languages(app, client, auth):
    poll, officer, _voters, _ = _setup(kind=Kind.DATES)
    auth.login(officer)
    page = client.get(f"/polls/{poll.id}/print?lang=both")
    assert page.status_code == 200
    assert 'lang="fr-CA"' in page.text
    assert 'lang="en"' in page.text
    assert "Do not write your name on it." in page.text
    again = client.get(f"/polls/{poll.id}/print?lang=both")
    # Every copy is the same: no serial, no per-print mark (the page's CSRF token aside, which
    # is signed with the second and never printed).
    assert without_tokens(again.text) == without_tokens(page.text)
    assert officer.name not in _main(page)


def test_open_polls_are_on_the_tenant_home_page(app, client, auth):
    poll, _officer, voters, _ = _setup()
    auth.login(voters[1])
    home = client.get("/")
    assert "Polls open to you" in home.text
    assert f"/polls/{poll.id}" in home.text


def test_the_ballots_question_page_sends_a_poll_s_readers_to_the_poll(app, client, auth):
    poll, _officer, voters, _ = _setup()
    auth.login(voters[1])
    moved = client.get(f"/ballots/{poll.id}")
    assert moved.status_code == 302
    assert moved.location.endswith(f"/polls/{poll.id}")


def test_the_home_page_s_poll_card_costs_one_statement_however_many_polls(app, client, auth):
    poll, officer, voters, _ = _setup()
    auth.login(voters[1])
    one = steady_count(client, "/")
    for n in range(4):
        make_poll(poll.body, officer, title=f"Sondage {n}", confirm_small_electorate=True)
    db.session.commit()
    assert steady_count(client, "/") == one
    assert "Sondage 3" in client.get("/").text


def test_no_ballots_page_shows_a_poll_s_unprotected_counts(app, client, auth):
    """The ballots pages never show an owned question's result: a refused vote on a closed
    secret poll (8, 6, 2) answers without any count the poll page hides."""
    poll, _officer, voters, _ = _setup(n=16, paper=0)
    _answer_all(
        poll, voters, ["Jardin"] * 8 + ["Cuisine collective"] * 6 + ["Salle d'ordinateurs"] * 2
    )
    _close(poll)
    auth.login(voters[1])
    refused = client.post(
        f"/ballots/{poll.id}/vote", data={"choice": choice_id(poll, "Jardin"), "confirm": "yes"}
    )
    assert refused.status_code == 409
    main = _main(refused)
    assert "Cuisine collective" not in main
    assert ">6<" not in main
    assert ">2<" not in main
