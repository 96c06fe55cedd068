"""Creating a poll through HTTP: what is recorded, and every refusal (a translated 422 next to
its field, nothing recorded)."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tenantvoice import clock
from tenantvoice.ballots.models import Audience, Kind, Mode, Purpose, Question, Status
from tenantvoice.extensions import db
from tests import factories as f
from tests.polls.helpers import local, make_body_with_voters


def _form(**overrides):
    data = {
        "title": "Quel soir convient pour l'assemblée?",
        "explanation": "",
        "kind": "single",
        "choice": ["Mardi", "Mercredi", "Jeudi"],
        "audience": "members",
        "closes_at": local(clock.now() + timedelta(days=3)),
        "mode": "secret",
        "results": "after",
        "confirm_small": "y",
    }
    data.update(overrides)
    return data


def _polls():
    return db.session.scalars(sa.select(Question).where(Question.purpose == Purpose.POLL)).all()


@pytest.fixture
def setup(app, auth):
    body, officer, voters, _paper = make_body_with_voters(6)
    db.session.commit()
    auth.login(officer)
    return body, officer, voters


def test_the_form_shows_three_choice_rows_and_the_body_s_buildings_ticked(setup, client):
    body, _officer, _voters = setup
    page = client.get(f"/bodies/{body.id}/polls/new")
    assert page.status_code == 200
    assert page.data.count(b'name="choice"') == 3
    assert re.search(
        rb"<input checked[^>]*name=\"sites\"[^>]*value=\"%d\"" % body.sites[0].id, page.data
    )


def test_an_officer_creates_a_secret_poll_that_opens_now(setup, client):
    body, _officer, _voters = setup
    done = client.post(f"/bodies/{body.id}/polls/new", data=_form())
    assert done.status_code == 302
    (poll,) = _polls()
    assert poll.kind == Kind.SINGLE
    assert poll.mode == Mode.SECRET
    assert [c.label for c in poll.choices] == ["Mardi", "Mercredi", "Jeudi"]
    assert poll.status == Status.OPEN
    assert poll.electorate_size == 6
    assert not poll.results_live


def test_a_date_poll_takes_its_dates_in_montreal_time(setup, client):
    body, _officer, _voters = setup
    first = (
        (clock.now() + timedelta(days=10))
        .astimezone(clock.MONTREAL)
        .replace(hour=19, minute=0, second=0, microsecond=0)
    )
    second = first + timedelta(days=1)
    done = client.post(
        f"/bodies/{body.id}/polls/new",
        data=_form(kind="dates", choice=[], date=[local(second), local(first)]),
    )
    assert done.status_code == 302
    (poll,) = _polls()
    assert [c.starts_at for c in poll.choices] == [first, second]


def test_a_named_poll_with_live_results_scheduled_later(setup, client):
    body, _officer, _voters = setup
    opens = clock.now() + timedelta(days=1)
    done = client.post(
        f"/bodies/{body.id}/polls/new",
        data=_form(
            mode="open", results="live", opens_at=local(opens), kind="multiple", max_choices="2"
        ),
    )
    assert done.status_code == 302
    (poll,) = _polls()
    assert poll.status == Status.SCHEDULED
    assert poll.results_live
    assert poll.max_choices == 2


def test_adding_and_removing_a_choice_works_without_javascript_and_records_nothing(setup, client):
    body, _officer, _voters = setup
    added = client.post(f"/bodies/{body.id}/polls/new", data=_form(action="add-choice"))
    assert added.status_code == 200
    assert added.data.count(b'name="choice"') == 4
    removed = client.post(f"/bodies/{body.id}/polls/new", data=_form(action="remove-choice-0"))
    assert removed.data.count(b'name="choice"') == 2
    assert b'value="Mardi"' not in removed.data
    assert b'value="Jeudi"' in removed.data
    assert _polls() == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"choice": ["Mardi", ""]}, b"Give at least two choices."),
        ({"choice": ["Mardi", "mardi "]}, b"The same choice is given twice."),
        ({"kind": "multiple", "max_choices": "4"}, b"from 1 to 3"),
        ({"kind": "dates", "date": ["pas une date", "2027-01-01T19:00"]}, b"Give each date"),
        (
            {"opens_at": "2027-06-02T19:00", "closes_at": "2027-06-01T19:00"},
            b"close after it opens",
        ),
        ({"closes_at": ""}, b"Give a closing date and time."),
        ({"results": "live"}, b"Live results are for named votes only"),
        ({"title": ""}, b"Write the question."),
    ],
)
def test_bad_input_is_refused_with_a_422_next_to_the_field_and_nothing_recorded(
    setup, client, overrides, message
):
    body, _officer, _voters = setup
    page = client.post(f"/bodies/{body.id}/polls/new", data=_form(**overrides))
    assert page.status_code == 422
    assert message in page.data
    assert _polls() == []


def test_buildings_of_another_provider_are_refused(setup, client):
    body, _officer, _voters = setup
    elsewhere = f.make_site()
    db.session.commit()
    page = client.post(
        f"/bodies/{body.id}/polls/new", data=_form(audience="sites", sites=[str(elsewhere.id)])
    )
    assert page.status_code == 422
    assert b"Choose buildings of this housing provider." in page.data
    assert _polls() == []


def test_a_secret_poll_for_fewer_than_five_needs_the_confirmation(app, client, auth):
    body, officer, _voters, _paper = make_body_with_voters(3)
    db.session.commit()
    auth.login(officer)
    page = client.post(f"/bodies/{body.id}/polls/new", data=_form(confirm_small=""))
    assert page.status_code == 422
    assert b"Fewer than 5 people can vote" in page.data
    assert _polls() == []


def test_the_refusal_is_translated(setup, client):
    body, _officer, _voters = setup
    page = client.post(
        f"/bodies/{body.id}/polls/new",
        data=_form(choice=["Mardi"]),
        headers={"Accept-Language": "fr-CA"},
    )
    assert page.status_code == 422
    assert b"Donnez au moins deux choix." in page.data


def test_a_poll_of_the_whole_provider_asks_its_tenants(setup, client):
    body, _officer, _voters = setup
    client.post(f"/bodies/{body.id}/polls/new", data=_form(audience="provider"))
    (poll,) = _polls()
    assert poll.audience == Audience.PROVIDER
