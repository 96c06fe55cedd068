"""The secret-ballot checklist of trust-and-safety §3.3, one test per applicable row (B-01…B-15),
on the engine the run uses (SQLite by default, PostgreSQL with TEST_DATABASE_URL): take the
database after a secret vote and show that no join, order, time or system column links a voter
to a choice. B-03 (concurrency) lives in test_concurrency.py against a live server."""

import logging
import os
import re
import subprocess
import traceback

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tenantvoice import clock
from tenantvoice.audit import AuditEvent
from tenantvoice.ballots import services, storage
from tenantvoice.ballots.errors import BallotInvalidError, BallotStorageError
from tenantvoice.ballots.models import (
    Ballot,
    Kind,
    RollEntry,
)
from tenantvoice.extensions import db
from tenantvoice.orgs.models import QuorumMode as BodyQuorumMode
from tenantvoice.outbox.mail import outbox
from tenantvoice.outbox.models import Delivery
from tests import factories as f
from tests.ballots.helpers import choice_id, make_body_with_voters, make_question


def _postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def kendall_tau(order: list) -> float:
    """Kendall's τ between 0, 1, 2, … and `order` (a permutation of those)."""
    n = len(order)
    concordant = discordant = 0
    for i in range(n):
        for j in range(i + 1, n):
            if order[i] < order[j]:
                concordant += 1
            else:
                discordant += 1
    return (concordant - discordant) / (n * (n - 1) / 2)


def _many_choice_question(n_voters=60):
    """A multiple-choice question where voter i casts a ballot no one else casts (the binary
    digits of i): a test can then tell which box row is whose, as an attacker would like to."""
    body, officer, voters, _ = make_body_with_voters(n_voters)
    question = make_question(
        body,
        officer,
        kind=Kind.MULTIPLE,
        choices=[f"Choix {n}" for n in range(8)],
        max_choices=8,
    )
    db.session.commit()
    ids = [c.id for c in question.choices]
    cast_content = {}
    for i, voter in enumerate(voters, start=1):
        picks = [ids[b] for b in range(8) if i >> b & 1]
        services.cast(voter, question, picks)
        db.session.commit()
        cast_content[f"u:{voter.id}"] = ",".join(str(p) for p in sorted(picks))
    return question, officer, voters, cast_content


# --- B-01 -----------------------------------------------------------------------------------------


def test_b01_the_ballot_box_has_no_column_linking_to_a_person(app):
    box = db.metadata.tables["ballot_box"]
    roll = db.metadata.tables["ballot_roll"]
    assert set(box.c.keys()) == {"question_id", "id", "content"}
    assert set(roll.c.keys()) == {"question_id", "vote_key", "channel"}
    assert not box.foreign_keys
    assert not roll.foreign_keys
    live = sa.inspect(db.engine)
    assert {c["name"] for c in live.get_columns("ballot_box")} == {"question_id", "id", "content"}
    assert live.get_foreign_keys("ballot_box") == []
    assert live.get_foreign_keys("ballot_roll") == []
    # The only column the two share is the question: nothing that pairs a row with a row.
    assert set(box.c.keys()) & set(roll.c.keys()) == {"question_id"}


# --- B-02 -----------------------------------------------------------------------------------------


def test_b02_the_box_holds_no_time_and_no_insertion_order(app):
    question_id = 424242
    n = 600
    for i in range(n):
        storage.put_in_box(question_id, str(i))
        if i % 50 == 49:
            db.session.commit()
    db.session.commit()
    for sql in (
        "SELECT content FROM ballot_box WHERE question_id = :q",
        "SELECT content FROM ballot_box WHERE question_id = :q ORDER BY id",
    ):
        order = [int(c) for c in db.session.scalars(sa.text(sql), {"q": question_id})]
        assert sorted(order) == list(range(n))
        assert abs(kendall_tau(order)) < 0.1, sql
    for column in db.metadata.tables["ballot_box"].c:
        assert not isinstance(column.type, sa.DateTime | sa.Date | sa.Time)
        assert column.autoincrement is not True
    if not _postgres():
        with pytest.raises(sa.exc.OperationalError):
            db.session.execute(sa.text("SELECT rowid FROM ballot_box"))
        db.session.rollback()


# --- B-04 -----------------------------------------------------------------------------------------


def test_b04_roll_and_ballot_are_written_together_or_not_at_all(app, client, auth, monkeypatch):
    body, officer, voters, _ = make_body_with_voters(6)
    question = make_question(body, officer)
    db.session.commit()

    def broken(question_id, content):
        raise BallotStorageError("the ballot could not be stored")

    monkeypatch.setattr(storage, "put_in_box", broken)
    auth.login(voters[1])
    data = {"choice": choice_id(question, "for"), "confirm": "yes"}
    assert client.post(f"/ballots/{question.id}/vote", data=data).status_code == 500
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RollEntry)) == 0
    monkeypatch.undo()
    assert client.post(f"/ballots/{question.id}/vote", data=data).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RollEntry)) == 1


# --- B-05 -----------------------------------------------------------------------------------------


def test_b05_results_are_hidden_until_close_for_every_role(app, client, auth):
    body, officer, voters, _ = make_body_with_voters(8)
    question = make_question(body, officer)
    for voter in voters[:6]:
        services.cast(voter, question, choice_id(question, "for"))
    db.session.commit()
    direction = f.make_staff(role="direction", provider=body.provider).user
    admin = f.make_staff(role="admin").user
    oc = f.make_staff(role="oc", region=body.provider.region).user
    db.session.commit()
    for who in (officer, voters[1], voters[7]):
        auth.login(who)
        page = client.get(f"/ballots/{question.id}")
        assert page.status_code == 200
        assert b"Votes per choice" not in page.data
        assert b"Adopted" not in page.data
        assert b"Participation: 6 of 8" in page.data  # n of N, never the tally
    for who in (direction, admin, oc):
        auth.login(who)
        assert client.get(f"/ballots/{question.id}").status_code == 404


# --- B-06 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("ballots", "counts_shown"), [(4, False), (5, True)])
def test_b06_counts_are_published_only_from_five_ballots(app, client, auth, ballots, counts_shown):
    body, officer, voters, _ = make_body_with_voters(
        8, quorum_mode=BodyQuorumMode.NUMBER, quorum_number=1
    )
    question = make_question(body, officer)
    for voter in voters[:ballots]:
        services.cast(voter, question, choice_id(question, "for"))
    services.close_question(question)
    db.session.commit()
    auth.login(voters[0])
    page = client.get(f"/ballots/{question.id}")
    assert b"Adopted" in page.data  # the outcome is published either way
    assert (b"Votes per choice" in page.data) is counts_shown
    assert (b"the counts are not published" in page.data) is not counts_shown


# --- B-07 -----------------------------------------------------------------------------------------


def test_b07_the_housing_office_cannot_learn_who_voted_what(app, client, auth):
    body, officer, voters, paper = make_body_with_voters(6, paper=1)
    question = make_question(body, officer)
    for voter in voters[:5]:
        services.cast(voter, question, choice_id(question, "against"))
    direction = f.make_staff(role="direction", provider=body.provider).user
    db.session.commit()
    auth.login(direction)
    names = [v.name.encode() for v in voters] + [paper[0].name.encode()]
    pages = [
        f"/ballots/{question.id}",
        f"/ballots/{question.id}/participation",
        f"/ballots/{question.id}/paper",
        f"/ballots/{question.id}/paper/count",
        f"/ballots/{question.id}/close",
        "/",
    ]
    for url in pages:
        response = client.get(url, follow_redirects=True)
        assert response.status_code in (200, 404), url
        if url.startswith("/ballots"):
            assert response.status_code == 404, url
        assert not any(name in response.data for name in names), url


# --- B-08 -----------------------------------------------------------------------------------------


def test_b08_no_choice_in_logs_mail_or_audit_events(app, client, auth, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    body, officer, voters, _ = make_body_with_voters(7)
    labels = ["Jardin communautaire", "Salle de lavage", "Cuisine", "Bibliothèque"]
    question = make_question(body, officer, kind=Kind.MULTIPLE, choices=labels, max_choices=3)
    db.session.commit()
    picks = [choice_id(question, label) for label in labels[:3]]
    content = ",".join(str(p) for p in sorted(picks))
    for voter in voters[:5]:
        auth.login(voter)
        client.post(f"/ballots/{question.id}/vote", data={"choice": picks, "confirm": "yes"})
    # A ballot the database refuses: SQLAlchemy's error quotes the statement's parameters
    # (the content); neither the log nor a traceback may carry it.
    monkeypatch.setattr(
        storage,
        "_box_statement",
        lambda: sa.text("UPDATE no_such_table SET content = :content WHERE :q = :q AND :id = :id"),
    )
    auth.login(voters[5])
    response = client.post(f"/ballots/{question.id}/vote", data={"choice": picks, "confirm": "yes"})
    assert response.status_code == 500
    with pytest.raises(BallotStorageError) as caught:
        services.cast(voters[6], question, picks)
    db.session.rollback()
    monkeypatch.undo()
    trace = "".join(traceback.format_exception(caught.value))
    services.close_question(question)
    db.session.commit()
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    for text in (logged, trace):
        assert content not in text
        assert not any(label in text for label in labels)
    assert not any(any(label in str(m) for label in labels) for m in outbox())
    queued = db.session.scalars(sa.select(Delivery)).all()
    assert not any(label in f"{d.subject} {d.payload}" for d in queued for label in labels)
    events = db.session.scalars(sa.select(AuditEvent)).all()
    assert all(content not in e.detail for e in events)
    assert not [e for e in events if e.action.startswith("ballot.cast")]


# --- B-09, B-10 -----------------------------------------------------------------------------------


def test_b09_already_voted_shows_participation_only_never_the_choice(app, client, auth):
    body, officer, voters, _ = make_body_with_voters(6)
    question = make_question(
        body, officer, kind=Kind.SINGLE, choices=["Jardin communautaire", "Salle de lavage"]
    )
    db.session.commit()
    auth.login(voters[1])
    data = {"choice": choice_id(question, "Salle de lavage"), "confirm": "yes"}
    client.post(f"/ballots/{question.id}/vote", data=data)
    again = client.post(f"/ballots/{question.id}/vote", data=data)
    assert again.status_code == 409
    assert b"You have already voted." in again.data
    assert b"Salle de lavage" not in again.data
    assert b"Participation: 1 of 6" in again.data


def test_b10_no_revote_in_a_secret_question(app):
    body, officer, voters, _ = make_body_with_voters(6)
    question = make_question(body, officer)
    services.cast(voters[1], question, choice_id(question, "for"))
    db.session.commit()
    with pytest.raises(services.AlreadyVotedError):
        services.cast(voters[1], question, choice_id(question, "against"))
    db.session.rollback()
    contents = db.session.scalars(sa.select(Ballot.content)).all()
    assert contents == [str(choice_id(question, "for"))]


# --- B-11 -----------------------------------------------------------------------------------------


def _dump() -> dict[str, list[list]]:
    """A logical dump of the database (sqlite3's iterdump, or pg_dump), as the rows of each
    table in the order the dump tool wrote them."""
    rows: dict[str, list[list]] = {}
    if _postgres():
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        out = subprocess.run(
            ["pg_dump", "--data-only", url], capture_output=True, text=True, check=True
        ).stdout
        table = None
        for line in out.splitlines():
            if line.startswith("COPY "):
                table = line.split()[1].split(".")[-1]
                rows[table] = []
            elif line == "\\.":
                table = None
            elif table:
                rows[table].append([None if v == "\\N" else v for v in line.split("\t")])
        return rows
    raw = db.session.connection().connection.driver_connection
    for line in raw.iterdump():
        match = re.match(r'INSERT INTO "(\w+)" VALUES\((.*)\);$', line)
        if match:
            values = [
                q.replace("''", "'") if q or not bare else (None if bare == "NULL" else bare)
                for q, bare in re.findall(r"'((?:[^']|'')*)'|(NULL|-?[\d.]+)", match[2])
            ]
            rows.setdefault(match[1], []).append(values)
    return rows


def test_b11_a_dump_taken_mid_vote_cannot_line_voters_up_with_choices(app):
    question, _officer, _voters, cast_content = _many_choice_question()
    rows = _dump()
    roll_order = [r[1] for r in rows["ballot_roll"] if str(r[0]) == str(question.id)]
    box_order = [r[2] for r in rows["ballot_box"] if str(r[0]) == str(question.id)]
    assert sorted(roll_order) == sorted(cast_content)
    assert sorted(box_order) == sorted(cast_content.values())
    # No row of any table holds both a voter's key and their ballot (ballots of two choices or
    # more: a lone choice id is just a number, found in any table).
    for table, table_rows in rows.items():
        for row in table_rows:
            for key, content in cast_content.items():
                assert not ("," in content and key in row and content in row), table
    # The order of the box in the dump says nothing of the order of the roll.
    owner = {content: key for key, content in cast_content.items()}
    position_in_roll = {key: i for i, key in enumerate(roll_order)}
    assert abs(kendall_tau([position_in_roll[owner[c]] for c in box_order])) < 0.4


# --- B-12, B-13 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        ("en", ["Your vote is secret", "watches its database live", "everyone votes the same"]),
        ("fr-CA", ["Votre vote est secret", "base de données en direct", "de la même façon"]),
    ],
)
def test_b12_the_ballot_page_says_honestly_what_is_secret(app, client, auth, language, phrases):
    body, officer, voters, _ = make_body_with_voters(6)
    question = make_question(body, officer)
    db.session.commit()
    auth.login(voters[1])
    page = client.get(f"/ballots/{question.id}", headers={"Accept-Language": language})
    text = page.get_data(as_text=True)
    for phrase in phrases:
        assert phrase in text


def test_b13_voting_pages_use_the_strict_csp_and_no_third_party_script(app, client, auth):
    body, officer, voters, _ = make_body_with_voters(6)
    question = make_question(body, officer)
    db.session.commit()
    auth.login(voters[1])
    for url in (f"/ballots/{question.id}", f"/ballots/{question.id}/participation"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert b"<script>" not in response.data
        assert b'src="http' not in response.data
    review = client.post(
        f"/ballots/{question.id}/vote", data={"choice": choice_id(question, "for")}
    )
    assert "script-src 'self'" in review.headers["Content-Security-Policy"]
    assert b"form_key" not in review.data  # no idempotency key beside a secret ballot


# --- B-14 -----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("request_ctx")
def test_b14_a_secret_question_for_fewer_than_five_needs_a_confirmation_that_is_audited(app):
    body, officer, _voters, _ = make_body_with_voters(3)
    db.session.commit()
    with pytest.raises(BallotInvalidError, match="Fewer than 5 people"):
        make_question(body, officer)
    db.session.rollback()
    question = make_question(body, officer, confirm_small_electorate=True)
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.object_id == question.id)
    ).all()
    assert "ballot.small_electorate_confirmed" in actions


# --- B-15 -----------------------------------------------------------------------------------------


def test_b15_after_close_no_system_column_or_storage_order_links_roll_and_box(app):
    question, _officer, voters, cast_content = _many_choice_question()
    voting_order = list(cast_content)
    if _postgres():
        xmins = db.session.execute(
            sa.text("SELECT vote_key, xmin::text FROM ballot_roll WHERE question_id = :q"),
            {"q": question.id},
        ).all()
        assert len({x for _k, x in xmins}) == len(xmins)  # mid-vote: one per voter (the limit)
    clock.set(question.closes_at)
    services.close_due_questions()
    # A transaction that began before the close and still runs (in any database of the
    # cluster: another xdist worker's) makes the compaction wait, then leave it owed to the
    # worker's job, which does it once that transaction ends.
    assert _worker_compacts()
    db.session.refresh(question)
    assert question.storage_compacted_at is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 0
    assert db.session.scalar(
        sa.select(sa.func.count()).where(RollEntry.question_id == question.id)
    ) == len(voters)
    if _postgres():
        roll = db.session.execute(
            sa.text(
                "SELECT vote_key, xmin::text AS x, ctid::text AS c FROM ballot_roll "
                "WHERE question_id = :q"
            ),
            {"q": question.id},
        ).all()
        roll_xmins = {r.x for r in roll}
        assert len(roll_xmins) == 1  # one closing transaction rewrote every row
        tally_xmins = set(db.session.scalars(sa.text("SELECT xmin::text FROM ballot_tally")).all())
        # The counts were written by that same closing transaction: one xmin shared by every
        # roll row and every count pairs nothing with anything.
        assert tally_xmins <= roll_xmins
        others = db.session.scalars(
            sa.text("SELECT xmin::text FROM ballot_electors WHERE question_id = :q"),
            {"q": question.id},
        ).all()
        assert roll_xmins.isdisjoint(others)
        # Physical order (ctid) of the roll is not the order of voting.
        physical = [
            r.vote_key
            for r in sorted(roll, key=lambda r: tuple(int(x) for x in r.c.strip("()").split(",")))
        ]
        ranks = [voting_order.index(k) for k in physical]
        assert abs(kendall_tau(ranks)) < 0.4
        # VACUUM FULL rewrote both tables: no dead version is left in any page, with its old
        # xmin or the ballot's bytes (a plain VACUUM leaves both in the pages' free space).
        db.session.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
        items = db.session.execute(
            sa.text(
                "SELECT t_xmin::text, t_data FROM generate_series(0, "
                "greatest(pg_relation_size('ballot_roll') / 8192 - 1, 0)) AS p, "
                "heap_page_items(get_raw_page('ballot_roll', p::int))"
            )
        ).all()
        assert {x for x, _data in items if x is not None} == roll_xmins
        box_bytes = db.session.scalar(
            sa.text(
                "SELECT string_agg(encode(get_raw_page('ballot_box', p::int), 'hex'), '') "
                "FROM generate_series(0, pg_relation_size('ballot_box') / 8192 - 1) AS p"
            )
        )
        assert box_bytes is None  # the box's file is empty: every page is gone
        db.session.commit()
    else:
        with pytest.raises(sa.exc.OperationalError):
            db.session.execute(sa.text("SELECT rowid FROM ballot_roll"))
        db.session.rollback()
        # The roll reads in key order whatever the order of voting.
        stored = db.session.scalars(
            sa.text("SELECT vote_key FROM ballot_roll WHERE question_id = :q"), {"q": question.id}
        ).all()
        assert stored == sorted(stored)


def test_b15_a_refused_compaction_is_owed_and_the_worker_does_it(app):
    """When VACUUM cannot have the ballot tables after a close (someone reading them), the
    question stays marked as owed a compaction, and the worker's job does it later: no dead
    version of the roll, old xmin included, is left behind for good."""
    question, _officer, _voters, _content = _many_choice_question(n_voters=12)
    clock.set(question.closes_at)
    if _postgres():
        # A reader holds the box for longer than the 5 s lock timeout.
        with db.engine.connect() as reader:
            reader.execute(sa.text("BEGIN"))
            reader.execute(sa.text("SELECT count(*) FROM ballot_box"))
            services.close_due_questions()
            reader.execute(sa.text("ROLLBACK"))
    else:
        real_compact = storage.compact
        storage.compact = lambda: False  # the tables were busy
        try:
            services.close_due_questions()
        finally:
            storage.compact = real_compact
    db.session.refresh(question)
    assert question.closed_at is not None
    assert question.storage_compacted_at is None  # owed

    assert _worker_compacts()
    db.session.refresh(question)
    assert question.storage_compacted_at is not None
    if _postgres():
        live = set(db.session.scalars(sa.text("SELECT xmin::text FROM ballot_roll")).all())
        assert _roll_xmins_in_pages() == live
        db.session.commit()


def _roll_xmins_in_pages() -> set[str]:
    db.session.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
    return set(
        db.session.scalars(
            sa.text(
                "SELECT t_xmin::text FROM generate_series(0, "
                "greatest(pg_relation_size('ballot_roll') / 8192 - 1, 0)) AS p, "
                "heap_page_items(get_raw_page('ballot_roll', p::int)) "
                "WHERE t_xmin IS NOT NULL"
            )
        ).all()
    )


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="transaction horizons are PostgreSQL's"
)
def test_b15_a_transaction_older_than_the_close_in_another_database_defers_compaction(
    app, monkeypatch
):
    """The cause of a flaky B-15 check: VACUUM FULL copies a row version deleted by a commit
    that a still-running transaction may not have seen ("recently dead"), old xmin and all,
    and a transaction running in ANY database of the cluster holds that horizon back. The
    compaction waits for it, and when it is still running leaves the work owed, never marks
    the question done with the voting-time versions in the pages."""
    monkeypatch.setitem(app.config, "BALLOT_COMPACT_WAIT_SECONDS", 0.2)
    question, _officer, _voters, _content = _many_choice_question(n_voters=12)
    clock.set(question.closes_at)
    other_database = sa.create_engine(make_url(os.environ["TEST_DATABASE_URL"]))
    try:
        with other_database.connect() as elsewhere:
            elsewhere.execute(sa.text("SELECT pg_current_xact_id()"))  # holds an xid
            services.close_due_questions()
            db.session.refresh(question)
            assert question.storage_compacted_at is None  # owed, not falsely done
            assert storage.compact_owed() is False  # still running: still owed
            elsewhere.rollback()
    finally:
        other_database.dispose()
    assert _worker_compacts()
    live = set(db.session.scalars(sa.text("SELECT xmin::text FROM ballot_roll")).all())
    assert _roll_xmins_in_pages() == live
    db.session.commit()


def _worker_compacts() -> bool:
    """The worker's job, run until it has nothing owed: on PostgreSQL another xdist worker's
    running transaction can hold the horizon back for a moment (tests wait 0.5 s, not 5)."""
    return any(storage.compact_owed() for _attempt in range(60))


def test_b15_a_close_that_compacts_leaves_nothing_owed(app, monkeypatch):
    # The close's own wait, long enough for another test worker's transaction to end.
    monkeypatch.setitem(app.config, "BALLOT_COMPACT_WAIT_SECONDS", 30)
    question, _officer, _voters, _content = _many_choice_question(n_voters=12)
    clock.set(question.closes_at)
    services.close_due_questions()
    db.session.refresh(question)
    assert question.storage_compacted_at is not None
    assert storage.compact_owed() is True  # nothing to do


def test_b15_sqlite_file_holds_no_ballot_bytes_after_close(tmp_path):
    """On a file database: after close no ballot row is left anywhere in the file (the deleted
    rows were zeroed by secure_delete, then VACUUM rebuilt the file)."""
    from tests.conftest import make_test_app

    path = tmp_path / "ballots.sqlite3"
    app = make_test_app(f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
        body, officer, voters, _ = make_body_with_voters(6)
        question = make_question(body, officer)
        db.session.commit()
        for voter in voters[:5]:
            services.cast(voter, question, choice_id(question, "against"))
            db.session.commit()
        ballot_ids = db.session.scalars(sa.select(Ballot.id)).all()
        # The ballots may still sit in the write-ahead log: move them into the file first, so the
        # "before" check proves the file did hold them.
        db.session.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))
        before = path.read_bytes()
        services.close_question(question)
        db.session.commit()
        freelist = db.session.scalar(sa.text("PRAGMA freelist_count"))
        db.session.remove()
        db.engine.dispose()
    after = path.read_bytes()
    assert all(ballot_id.encode() in before for ballot_id in ballot_ids)
    assert not any(ballot_id.encode() in after for ballot_id in ballot_ids)
    assert freelist == 0
