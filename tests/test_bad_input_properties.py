"""Bad input never gives a 500, and a refused form stores nothing (issue 6), per form family, on
SQLite and PostgreSQL (TEST_DATABASE_URL).

Each form starts from a valid submission; hypothesis replaces any of its fields with hostile
values (NUL and other control characters, "²" and other non-ASCII digits, 400-digit numbers,
ids past INTEGER, year 9999 and 0001, 6 000-character text). For every example: no 5xx; a
refusal (4xx) leaves the form's tables as they were; an acceptance stores no control character.

The suite runs FUZZ_EXAMPLES examples per form (50; derandomized by the profile in
tests/conftest.py); benchmarks/bad_input.py runs many more and prints the figures.
"""

import json
import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenantvoice import clock
from tenantvoice.assembly.models import Attendance, Resolution
from tenantvoice.extensions import db
from tenantvoice.meetings.models import AgendaItem, AgendaProposal, Meeting, Rsvp
from tenantvoice.minutes.models import Minutes, MinutesSection, MinutesState
from tenantvoice.orgs.models import Invitation, Member, Provider, Region, Site, StaffAssignment
from tenantvoice.web.cleaning import _DROP
from tests import factories as f
from tests.minutes.helpers import T0, attend, board_meeting, member_of, minutes_in_state

FUZZ_EXAMPLES = int(os.environ.get("TV_FUZZ_EXAMPLES", "50"))
#: benchmarks/bad_input.py reads the figures from here.
REPORT = os.environ.get("TV_FUZZ_REPORT", "")

HOSTILE = st.one_of(
    st.sampled_from(
        [
            "\x00",
            "Salle\x00B",
            "\x1b[31mrouge",
            "a\x7fb\x85c",
            "²",
            "١٢",
            "１２",
            "9" * 400,
            "-1",
            "0",
            "2147483648",
            "9223372036854775808",
            "9999-12-31",
            "0001-01-01",
            "2026-02-30",
            "25:99",
            "",
            " ",
            "x" * 6000,
            "None",
            "nan",
            "1e309",
            "<script>alert(1)</script>",
        ]
    ),
    st.text(max_size=40),
    st.from_regex(r"\A[0-9]{1,400}\Z"),
)


@dataclass
class FormSpec:
    """A form of one family: where it posts, a valid submission, what it stores."""

    url: str
    valid: dict  #: field → value, or a callable giving the value now
    snapshot: object  #: () → what a refused submission must leave unchanged
    stored_text: object = None  #: () → texts the form stored (checked for control chars)
    fuzz_key: bool = True  #: a fresh form key per example (forms that create a record)
    stats: dict = field(default_factory=dict)


def _values(spec: FormSpec, changes: dict) -> dict:
    data = {k: (v() if callable(v) else v) for k, v in spec.valid.items()}
    if spec.fuzz_key:
        data["form_key"] = uuid.uuid4().hex
    data.update(changes)
    return data


def _run(client, spec: FormSpec, changes: dict) -> None:
    before = spec.snapshot()
    data = _values(spec, changes)
    response = client.post(spec.url, data=data)
    status = response.status_code
    spec.stats[status] = spec.stats.get(status, 0) + 1
    db.session.rollback()
    db.session.expire_all()
    assert status < 500, (data, status)
    if 400 <= status < 500:
        assert spec.snapshot() == before, (data, status)
    elif spec.stored_text is not None:
        for text in spec.stored_text():
            assert not any(ord(c) in _DROP for c in text or ""), (data, text)


def _fields(spec: FormSpec):
    """Replace one to all of the valid fields (and the key) with hostile values."""
    names = [*spec.valid, *(["form_key"] if spec.fuzz_key else [])]
    return st.dictionaries(st.sampled_from(names), HOSTILE, min_size=1, max_size=len(names))


FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)


def _count(model, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _report(name, spec, started):
    if REPORT:
        with open(REPORT, "a", encoding="utf-8") as out:
            row = {"form": name, "seconds": time.monotonic() - started, "statuses": spec.stats}
            out.write(json.dumps(row) + "\n")


# --- the form families -------------------------------------------------------------------------


def _meetings_forms(w) -> dict[str, FormSpec]:
    meeting = f.make_meeting(body=w.adl_a)
    db.session.commit()
    day = (clock.now() + timedelta(days=30)).strftime("%Y-%m-%d")
    mid = meeting.id
    return {
        "schedule": FormSpec(
            f"/bodies/{w.adl_a.id}/meetings/new",
            {
                "kind": "board",
                "title": "CA",
                "day": day,
                "start_time": "19:00",
                "end_time": "20:30",
                "place": "Salle communautaire",
                "address": "1, rue Principale",
                "video_url": "",
                "audience": "members",
            },
            lambda: _count(Meeting),
            lambda: db.session.scalars(sa.select(Meeting.title)).all(),
        ),
        "agenda_item": FormSpec(
            f"/meetings/{mid}/agenda/new",
            {
                "title": "Sécurité",
                "description": "Serrures",
                "kind": "information",
                "presenter": "Jean",
                "expected_minutes": "15",
            },
            lambda: _count(AgendaItem),
            lambda: db.session.scalars(sa.select(AgendaItem.description)).all(),
        ),
    }


def _member_forms(w) -> dict[str, FormSpec]:
    meeting = f.make_meeting(body=w.adl_a)
    db.session.commit()
    mid = meeting.id
    return {
        "rsvp": FormSpec(
            f"/meetings/{mid}/rsvp",
            {"answer": "yes", "party_size": "2"},
            lambda: db.session.execute(sa.select(Rsvp.answer, Rsvp.party_size)).all(),
            fuzz_key=False,
        ),
        "proposal": FormSpec(
            f"/meetings/{mid}/proposals",
            {"title": "Punaises de lit", "description": "Au 3e étage"},
            lambda: _count(AgendaProposal),
            lambda: db.session.scalars(sa.select(AgendaProposal.title)).all(),
        ),
    }


def _assembly_forms(w) -> dict[str, FormSpec]:
    clock.set(T0 + timedelta(minutes=30))  # during the meeting: attendance is open
    meeting = board_meeting(w.adl_a, starts_at=T0)
    jean, lucie = member_of(w.officer_a, w.adl_a), member_of(w.tenant_a, w.adl_a)
    attend(meeting, jean, lucie)
    db.session.commit()
    mid = meeting.id
    return {
        "guests": FormSpec(
            f"/meetings/{mid}/attendance/guests",
            {"guests_count": "3"},
            lambda: db.session.scalar(sa.select(Meeting.guests_count).where(Meeting.id == mid)),
            fuzz_key=False,
        ),
        "mark": FormSpec(
            f"/meetings/{mid}/attendance/mark",
            {"member_id": str(w.paper_member_a.id), "present": "1", "q": ""},
            lambda: _count(Attendance),
            fuzz_key=False,
        ),
        "resolution": FormSpec(
            f"/meetings/{mid}/resolutions",
            {
                "agenda_item_id": str(meeting.agenda_items[0].id),
                "amends_id": "None",
                "text": "que l'association demande des serrures",
                "moved_by_id": str(jean.id),
                "seconded_by_id": str(lucie.id),
                "outcome": "carried_majority",
                "votes_for": "5",
                "votes_against": "2",
                "abstentions": "0",
            },
            lambda: _count(Resolution),
            lambda: db.session.scalars(sa.select(Resolution.text)).all(),
        ),
    }


def _minutes_forms(w) -> dict[str, FormSpec]:
    clock.set(T0 + timedelta(days=1))
    minutes = minutes_in_state(w, MinutesState.DRAFT)
    mid = minutes.id
    section = minutes.sections[1].id

    def version():
        return str(db.session.scalar(sa.select(Minutes.version).where(Minutes.id == mid)))

    return {
        "minutes_autosave": FormSpec(
            f"/minutes/{mid}/autosave",
            {"version": version, f"section-{section}": "Bienvenue.", "adjourned_at": "21:30"},
            lambda: (
                db.session.scalar(sa.select(Minutes.version).where(Minutes.id == mid)),
                db.session.scalars(sa.select(MinutesSection.body_markdown)).all(),
            ),
            lambda: db.session.scalars(sa.select(MinutesSection.body_markdown)).all(),
            fuzz_key=False,
        ),
    }


def _register_forms(w) -> dict[str, FormSpec]:
    return {
        "member": FormSpec(
            f"/bodies/{w.adl_a.id}/members/new",
            {
                "name": "Gisèle Roy",
                "site_id": str(w.s1.id),
                "unit": "204",
                "phone": "418 555-0101",
                "is_adult": "y",
                "role": "member",
                "seat_source": "registered",
                "since": "2024-01-15",
                "until": "",
            },
            lambda: _count(Member),
            lambda: db.session.scalars(sa.select(Member.name)).all(),
        ),
        "invitations": FormSpec(
            f"/bodies/{w.adl_a.id}/invitations/new",
            {"count": "2", "member_id": "", "site_id": str(w.s1.id), "unit": "", "label": "Hall"},
            lambda: _count(Invitation),
            lambda: db.session.scalars(sa.select(Invitation.label)).all(),
        ),
    }


def _admin_forms(w) -> dict[str, FormSpec]:
    return {
        "region": FormSpec(
            "/admin/regions",
            {"name": "Région de Lotbinière"},
            lambda: _count(Region),
            lambda: db.session.scalars(sa.select(Region.name)).all(),
        ),
        "provider": FormSpec(
            "/admin/providers",
            {"region_id": str(w.r1.id), "kind": "obnl", "name": "OBNL des Monts"},
            lambda: _count(Provider),
            lambda: db.session.scalars(sa.select(Provider.name)).all(),
        ),
        "site": FormSpec(
            "/admin/sites",
            {
                "provider_id": str(w.p1.id),
                "name": "Les Pins",
                "address": "3, rue des Pins",
                "units_count": "20",
                "program": "HLM",
            },
            lambda: _count(Site),
            lambda: db.session.scalars(sa.select(Site.address)).all(),
        ),
        "staff": FormSpec(
            "/admin/staff",
            {
                "email": "lucie@example.org",
                "role": "isc",
                "region_id": "",
                "provider_id": str(w.p1.id),
                "employer": "Office",
            },
            lambda: _count(StaffAssignment),
            lambda: db.session.scalars(sa.select(StaffAssignment.employer)).all(),
        ),
    }


FAMILIES = {
    "meetings": (_meetings_forms, "officer_a"),
    "members": (_member_forms, "tenant_a"),
    "assembly": (_assembly_forms, "officer_a"),
    "minutes": (_minutes_forms, "officer_a"),
    "register": (_register_forms, "officer_a"),
    "admin": (_admin_forms, "admin"),
}
CASES = [
    ("meetings", "schedule"),
    ("meetings", "agenda_item"),
    ("members", "rsvp"),
    ("members", "proposal"),
    ("assembly", "guests"),
    ("assembly", "mark"),
    ("assembly", "resolution"),
    ("minutes", "minutes_autosave"),
    ("register", "member"),
    ("register", "invitations"),
    ("admin", "region"),
    ("admin", "provider"),
    ("admin", "site"),
    ("admin", "staff"),
]


@pytest.mark.parametrize(("family", "form"), CASES)
def test_hostile_input_gives_no_500_and_a_refusal_stores_nothing(family, form, world, client, auth):
    build, role = FAMILIES[family]
    spec = build(world)[form]
    auth.login(getattr(world, role))
    started = time.monotonic()

    @FUZZ
    @given(changes=_fields(spec))
    def check(changes):
        _run(client, spec, changes)

    check()
    _report(form, spec, started)
    assert sum(spec.stats.values()) >= 1
