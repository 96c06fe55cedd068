"""Download my data (Q-07): the worker builds it from the inventory, its owner alone downloads it
for 24 hours; it holds everything collected from the person and nothing of anyone else's, never
a secret ballot, never an intervention."""

import csv
import io
import json
import zipfile
from datetime import timedelta

import jsonschema
import sqlalchemy as sa
from flask import current_app

from tenantvoice import clock
from tenantvoice.accounts import consents
from tenantvoice.ballots.models import (
    Ballot,
    Channel,
    Kind,
    Mode,
    NamedVote,
    Purpose,
    Question,
    RollEntry,
)
from tenantvoice.config import ROOT
from tenantvoice.extensions import db
from tenantvoice.meetings.models import AgendaProposal, Rsvp, RsvpAnswer
from tenantvoice.needs.models import EventKind, NeedEvent
from tenantvoice.outbox.queue import run_in_app
from tenantvoice.privacy import export
from tenantvoice.privacy.inventory import BY_NAME
from tenantvoice.privacy.models import DataExport
from tests import factories as f
from tests.needs.helpers import raise_need

SCHEMA = json.loads((ROOT / export.SCHEMA_PATH).read_text(encoding="utf-8"))


def _question(w, mode):
    q = Question(
        body_id=w.adl_a.id,
        purpose=Purpose.POLL,
        title="Quel soir vous convient?",
        kind=Kind.YES_NO,
        mode=mode,
        opens_at=clock.now(),
        closes_at=clock.now() + timedelta(days=2),
    )
    db.session.add(q)
    db.session.flush()
    return q


def _footprint(w, user, mark: str) -> None:
    """One row of every kind a tenant leaves, each carrying `mark`."""
    meeting = f.make_meeting(body=w.adl_a)
    db.session.add(Rsvp(meeting_id=meeting.id, user_id=user.id, answer=RsvpAnswer.YES))
    db.session.add(
        AgendaProposal(meeting_id=meeting.id, proposed_by_id=user.id, title=f"Proposition {mark}")
    )
    consents.record(user, consents.NEED_TEXT_TO_ORGANIZER, True)
    named = _question(w, Mode.OPEN)
    key = f"u:{user.id}"
    db.session.add(
        NamedVote(
            question_id=named.id,
            vote_key=key,
            person_key=key,
            content=f"oui-{mark}",
            channel=Channel.APP,
        )
    )
    secret = _question(w, Mode.SECRET)
    db.session.add(RollEntry(question_id=secret.id, vote_key=key, channel=Channel.APP))
    db.session.add(
        Ballot(
            question_id=secret.id, id=f"{mark}ballot".ljust(32, "0")[:32], content=f"SECRET-{mark}"
        )
    )
    db.session.commit()
    need = raise_need(w, user, title=f"Besoin {mark}", description=f"Texte {mark}")
    db.session.add(
        NeedEvent(
            need_id=need.id,
            kind=EventKind.REFERRED,
            public_text="",
            staff_note=f"Intervention {mark}",
        )
    )
    db.session.commit()


def _build(user):
    row = export.request_export(user)
    db.session.commit()
    run_in_app(current_app._get_current_object(), export.build_exports)
    db.session.refresh(row)
    return row


def test_the_export_validates_against_the_published_schema(world):
    _footprint(world, world.tenant_a, "A")
    row = _build(world.tenant_a)
    document = json.loads(row.json_text)
    jsonschema.validate(document, SCHEMA)


def test_each_section_holds_exactly_the_inventorys_exported_columns(world):
    _footprint(world, world.tenant_a, "A")
    document = json.loads(_build(world.tenant_a).json_text)
    for table in export.exported_tables():
        for entry in document["sections"][table.section]:
            assert sorted(entry) == sorted(table.exported_columns), table.name


def test_everything_collected_from_the_person_is_there(world):
    _footprint(world, world.tenant_a, "A")
    sections = json.loads(_build(world.tenant_a).json_text)["sections"]
    assert sections["profile"][0]["name"] == world.tenant_a.name
    assert sections["register_entries"][0]["body_id"] == world.adl_a.id
    assert sections["tenancies"]
    assert sections["rsvps"][0]["answer"] == "yes"
    assert sections["agenda_proposals"][0]["title"] == "Proposition A"
    assert [c["purpose"] for c in sections["consents"]] == [consents.NEED_TEXT_TO_ORGANIZER]
    assert sections["consents"][0]["policy_version"] == "2026-12"
    assert sections["needs_raised"][0]["title"] == "Besoin A"
    assert sections["needs_raised"][0]["anonymous"] is True  # the person's own, anonymous too
    assert sections["needs_supported"]  # the author's own support
    assert sections["need_categories"][0]["code"] == "ALI"
    assert [v["content"] for v in sections["named_answers"]] == ["oui-A"]


def test_never_a_secret_ballot_nor_who_voted_nor_an_intervention(world):
    _footprint(world, world.tenant_a, "A")
    text = _build(world.tenant_a).json_text
    assert "SECRET-A" not in text
    assert "Intervention A" not in text
    assert "ballot_roll" not in text
    assert "ballot_box" not in text


def test_never_another_members_data(world):
    _footprint(world, world.tenant_a, "A")
    _footprint(world, world.tenant_b, "B")
    text = _build(world.tenant_a).json_text
    for value in ("Besoin B", "Texte B", "Proposition B", "oui-B", world.tenant_b.name):
        assert value not in text
    assert world.tenant_b.email not in text


def test_no_secret_of_the_account_is_exported(world):
    user = world.tenant_a
    text = _build(user).json_text
    assert user.password_hash not in text
    withheld = [c for c, d in BY_NAME["users"].decisions().items() if d != "exported"]
    assert not set(json.loads(text)["sections"]["profile"][0]) & set(withheld)


def test_the_csv_zip_has_one_formula_safe_file_per_section(world):
    world.tenant_a.name = '=HYPERLINK("http://evil")'
    db.session.commit()
    row = _build(world.tenant_a)
    archive = zipfile.ZipFile(io.BytesIO(export.zip_bytes(row)))
    names = {t.section + ".csv" for t in export.exported_tables()}
    assert set(archive.namelist()) == names
    profile = list(csv.reader(io.StringIO(archive.read("profile.csv").decode("utf-8-sig"))))
    assert profile[0] == BY_NAME["users"].exported_columns
    assert profile[1][1].startswith("'=")


def test_only_the_owner_downloads_it(world, client, auth):
    row = _build(world.tenant_a)
    auth.login(world.tenant_b)
    assert client.get(f"/account/privacy/export/{row.id}.json").status_code == 404
    auth.login(world.tenant_a)
    response = client.get(f"/account/privacy/export/{row.id}.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.json["sections"]["profile"][0]["id"] == world.tenant_a.id
    zipped = client.get(f"/account/privacy/export/{row.id}.zip")
    assert zipped.status_code == 200
    assert zipped.mimetype == "application/zip"


def test_it_is_not_offered_before_the_worker_built_it(world, client, auth):
    auth.login(world.tenant_a)
    client.post("/account/privacy/export")
    row = db.session.scalar(sa.select(DataExport))
    assert row.ready_at is None
    assert client.get(f"/account/privacy/export/{row.id}.json").status_code == 404
    assert (
        "being prepared" in client.get("/account/privacy", headers={"Accept-Language": "en"}).text
    )


def test_it_is_deleted_after_24_hours(world, client, auth):
    row = _build(world.tenant_a)
    row_id = row.id
    auth.login(world.tenant_a)
    clock.advance(timedelta(hours=24, minutes=1))
    assert client.get(f"/account/privacy/export/{row_id}.json").status_code == 404
    assert run_in_app(current_app._get_current_object(), export.build_exports)["expired"] == 1
    assert db.session.get(DataExport, row_id) is None


def test_asking_again_replaces_the_earlier_file(world):
    first = _build(world.tenant_a).requested_at
    clock.advance(timedelta(minutes=5))
    _build(world.tenant_a)
    kept = db.session.scalars(sa.select(DataExport.requested_at)).all()
    assert len(kept) == 1
    assert kept[0] > first


def test_the_job_is_idempotent(world):
    _build(world.tenant_a)
    assert run_in_app(current_app._get_current_object(), export.build_exports) == {
        "built": 0,
        "expired": 0,
    }


def test_the_account_page_offers_download_my_data(world, client, auth):
    auth.login(world.tenant_a)
    page = client.get("/account", headers={"Accept-Language": "en"}).text
    assert "Download my data" in page
    assert "/account/privacy#export" in page
