"""Issue 3 end to end, on a phone, in each language: a secretary schedules an annual general
assembly and sends the notice; a tenant answers and adds it to their calendar; at the meeting the
secretary takes attendance until quorum and records a resolution; afterwards she drafts the
minutes (partly offline), they are approved at a later meeting, signed by the president and the
secretary, published, then read and found by a tenant.

The server runs in this process, so the test moves `tenantvoice.clock` between steps (and resets
it at the end). axe runs after every navigation and every htmx swap.
"""

import re
import secrets
from datetime import datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import icalendar
import pytest
import sqlalchemy as sa
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from playwright.sync_api import expect

from tenantvoice import clock
from tenantvoice.extensions import db
from tests.browser.conftest import LANGS, PHONE, log_in, shoot

pytestmark = pytest.mark.browser

MONTREAL = ZoneInfo("America/Montreal")
TITLE = "Assemblée générale annuelle : élection du conseil"
LOCAL_COPY = "() => Object.keys(localStorage).filter(k => k.startsWith('tv-minutes-')).length"
# Words typed into the minutes: online, then offline (kept on the phone), then offline again.
ONLINE_WORDS = "\n\nRéunion animée : vingt-trois personnes présentes."
OFFLINE_WORDS = " Mot-clé tulipe, tapé sans réseau."
OFFLINE_MORE = " Puis jonquille, toujours sans réseau."
OFFLINE_AGAIN = " Enfin marguerite, avant le retour du réseau."


def _translated(app, msgid, lang, **values):
    with app.test_request_context(), force_locale(lang):
        return _(msgid, **values)


def _plural(app, singular, plural, n, lang, **values):
    with app.test_request_context(), force_locale(lang):
        return ngettext(singular, plural, n, **values)


@pytest.fixture
def agm_world(live_app):
    """An association of its own (so each language's run starts clean): a secretary and a
    president with accounts, two tenants, and a member with no account. Quorum: 4 members."""
    from tenantvoice.orgs.models import MemberRole, QuorumMode
    from tests import factories as f

    tag = secrets.token_hex(3)
    with live_app.app_context():
        provider = f.make_provider(
            region=f.make_region(name=f"Région {tag}"), name=f"Office municipal {tag}"
        )
        site = f.make_site(provider=provider, name="Habitations des Érables")
        body = f.make_body(
            provider=provider,
            sites=[site],
            quorum_mode=QuorumMode.NUMBER,
            quorum_number=4,
            name=f"Association des locataires des Érables {tag}",
        )
        people = {}
        for key, name, role in (
            ("secretary", "Jean-Guy Bélanger", MemberRole.SECRETARY),
            ("president", "Hélène Côté", MemberRole.PRESIDENT),
            ("tenant", "Lucie Tremblay", MemberRole.MEMBER),
            ("other", "Marc Ouellet", MemberRole.MEMBER),
        ):
            user = f.make_tenant(body=body, role=role, name=name, email=f"{key}-{tag}@example.org")
            people[key] = SimpleNamespace(name=name, email=user.email, user_id=user.id)
        paper = f.make_member(body=body, name="Émilie Roy", unit="204")
        db.session.commit()
        return SimpleNamespace(
            body_id=body.id,
            body_name=body.name,
            password=f.PASSWORD,
            paper_name=paper.name,
            **people,
        )


@pytest.fixture
def phones(browser, lang):
    """Open one browser context per person and per sitting (each logs in on their own phone)."""
    opened = []

    def new():
        ctx = browser.new_context(locale=LANGS[lang][0], **PHONE)
        ctx.set_default_timeout(10_000)
        opened.append(ctx)
        return ctx

    yield SimpleNamespace(new=new)
    for ctx in opened:
        ctx.close()


@pytest.fixture
def moved_clock():
    yield clock
    clock.reset()


def _db(app, fn):
    with app.app_context():
        return fn()


def test_meeting_to_minutes(live_server, live_app, agm_world, phones, axe, lang, moved_clock):
    base = live_server.url
    w = agm_world

    def t(msgid, **values):
        return _translated(live_app, msgid, lang, **values)

    def t_of(msgid, name):
        """A message naming a person after "of" (French: d'Émilie, de Marc)."""
        from tenantvoice.web.i18n import of_name

        with live_app.test_request_context(), force_locale(lang):
            return _(msgid, name=of_name(name))

    def check(page, name=None):
        found = axe.check(page)
        if name:
            shoot(page, f"mtm-{name}", lang)
        return found

    def flash(page, text):
        expect(page.locator("body")).to_contain_text(text)

    def sign_in(person):
        page = phones.new().new_page()
        log_in(page, base, person.email, w.password)
        check(page)
        return page

    # --- 1. The secretary schedules the AGA three weeks ahead and sends the notice --------------
    from tenantvoice.meetings.agenda_templates import items_for
    from tenantvoice.meetings.models import MeetingKind

    with live_app.test_request_context(), force_locale(lang):
        agenda = [title for title, _kind in items_for(MeetingKind.AGM)]
    day = (clock.now().astimezone(MONTREAL) + timedelta(days=21)).date()
    starts_at = datetime.combine(day, time(19, 0), MONTREAL)

    sec = sign_in(w.secretary)
    sec.goto(f"{base}/bodies/{w.body_id}")
    check(sec, "body")
    sec.get_by_role("link", name=t("See the meetings")).click()
    sec.wait_for_url(f"{base}/bodies/{w.body_id}/meetings")
    check(sec, "meetings")
    sec.get_by_role("link", name=t("Schedule a meeting")).click()
    sec.wait_for_url(f"{base}/bodies/{w.body_id}/meetings/new")
    check(sec, "schedule")
    main = sec.locator("main")
    main.get_by_label(t("Kind of meeting")).select_option(label=t("Annual general meeting"))
    main.get_by_label(t("Title"), exact=True).fill(TITLE)
    main.get_by_label(t("Date"), exact=True).fill(day.isoformat())
    main.get_by_label(t("Start time")).fill("19:00")
    main.get_by_label(t("End time")).fill("21:00")
    main.get_by_label(t("Place (for example, the community room)")).fill("Salle communautaire")
    main.get_by_label(t("Address"), exact=True).fill("1250, rue des Érables, Lévis")
    main.get_by_role("button", name=t("Save"), exact=True).click()
    sec.wait_for_url(re.compile(r"/meetings/\d+$"))
    meeting_url = sec.url
    meeting_id = int(meeting_url.rsplit("/", 1)[1])
    check(sec, "meeting-draft")
    flash(sec, t("Draft saved. Check the agenda, then send the notice."))
    expect(sec.get_by_role("heading", level=1)).to_have_text(TITLE)

    agenda_region = sec.get_by_role("region", name=t("Agenda"))
    items = agenda_region.locator("ol > li > strong")
    expect(items).to_have_text(agenda)

    # Rename "Other business", through the item's own form.
    other = agenda[-2]
    renamed = "Varia : questions des membres"
    agenda_region.get_by_role("link", name=t("Change: %(title)s", title=other)).click()
    sec.wait_for_url(re.compile(r"/agenda/\d+/edit$"))
    check(sec, "agenda-item")
    sec.locator("main").get_by_label(t("Item"), exact=True).fill(renamed)
    sec.locator("main").get_by_role("button", name=t("Save"), exact=True).click()
    sec.wait_for_url(re.compile(rf"/meetings/{meeting_id}(#.*)?$"))
    check(sec)
    agenda[-2] = renamed
    expect(items).to_have_text(agenda)

    # Treasurer's report before the president's: one tap on "Move up" (htmx swaps the agenda).
    sec.evaluate("() => { window.__noReload = true; }")
    treasurer, president_report = agenda[7], agenda[6]
    agenda_region.get_by_role("button", name=t("Move up: %(title)s", title=treasurer)).click()
    agenda[6], agenda[7] = treasurer, president_report
    expect(items).to_have_text(agenda)
    assert sec.evaluate("() => window.__noReload === true"), "the page reloaded: no htmx swap"
    check(sec, "agenda-moved")

    sec.get_by_role("button", name=t("Publish the notice")).click()
    sec.wait_for_url(re.compile(rf"/meetings/{meeting_id}(#.*)?$"))
    check(sec, "meeting-published")
    flash(sec, t("The notice is published."))
    expect(sec.get_by_role("button", name=t("Publish the notice"))).to_have_count(0)

    def meeting_row():
        from tenantvoice.meetings.models import Meeting

        m = db.session.get(Meeting, meeting_id)
        return SimpleNamespace(
            status=m.status.value,
            late=m.late_notice,
            kind=m.kind,
            starts_at=m.starts_at,
            ends_at=m.ends_at,
            titles=[i.title for i in m.agenda_items],
        )

    stored = _db(live_app, meeting_row)
    assert (stored.status, stored.late, stored.kind) == ("published", False, MeetingKind.AGM)
    assert stored.starts_at == starts_at
    assert stored.titles == agenda

    # --- 2. A tenant answers "I'll come" with 2 people and adds the meeting to the calendar -----
    ten = sign_in(w.tenant)
    ten.get_by_role("link", name=TITLE).first.click()
    ten.wait_for_url(meeting_url)
    check(ten, "meeting-tenant")
    expect(ten.get_by_role("region", name=t("Agenda")).locator("ol > li > strong")).to_have_text(
        agenda
    )
    rsvp = ten.get_by_role("region", name=t("Will you come?"))
    ten.evaluate("() => { window.__noReload = true; }")
    rsvp.get_by_label(t("I'll come")).check()
    rsvp.get_by_label(t("How many people in all, you included")).fill("2")
    rsvp.get_by_role("button", name=t("Send my answer")).click()
    expect(rsvp.get_by_role("status")).to_have_text(t("Thank you, your answer is saved."))
    assert ten.evaluate("() => window.__noReload === true"), "the page reloaded: no htmx swap"
    check(ten, "rsvp")
    expect(rsvp).to_contain_text(t("Your answer: %(answer)s", answer=t("I'll come")))
    expect(rsvp.get_by_label(t("I'll come"))).to_be_checked()
    expect(rsvp.get_by_label(t("How many people in all, you included"))).to_have_value("2")

    def rsvp_row():
        from tenantvoice.meetings.models import Rsvp

        r = db.session.scalar(
            sa.select(Rsvp).where(Rsvp.meeting_id == meeting_id, Rsvp.user_id == w.tenant.user_id)
        )
        return (r.answer.value, r.party_size)

    assert _db(live_app, rsvp_row) == ("yes", 2)

    with ten.expect_download() as download:
        ten.get_by_role("link", name=t("Add to my calendar")).click()
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == TITLE
    assert event["DTSTART"].params["TZID"] == "America/Montreal"
    assert event["DTSTART"].dt == starts_at
    assert str(event["UID"]) == f"meeting-{meeting_id}@tenantvoice"
    assert download.value.suggested_filename.endswith(".ics")

    # --- 3. At the meeting: attendance until quorum ---------------------------------------------
    clock.set(stored.starts_at + timedelta(minutes=5))
    sec = sign_in(w.secretary)  # three weeks later: a new sitting
    sec.goto(meeting_url)
    check(sec)
    sec.get_by_role("link", name=t("Attendance sheet")).click()
    sec.wait_for_url(f"{base}/meetings/{meeting_id}/attendance")
    check(sec, "attendance")
    quorum = sec.get_by_role("region", name=t("Quorum"))
    expect(quorum).to_contain_text(t("Required"))
    expect(quorum).not_to_contain_text(t("Quorum reached"))
    search = sec.get_by_label(t("Search by name or unit"))
    register = sec.locator(f"#attendance-list-{meeting_id}")

    def mark(query, name, on_paper=False):
        with sec.expect_response(lambda r: "/attendance?q=" in r.url):
            search.fill(query)  # htmx searches as the secretary types
        expect(register.get_by_role("status")).to_have_text(
            _plural(
                live_app,
                "%(count)s person in the register",
                "%(count)s people in the register",
                1,
                lang,
                count=1,
            )
        )
        row = register.get_by_role("listitem").filter(has_text=name)
        if on_paper:
            row.get_by_label(t("Signed the paper sheet")).check()
        row.get_by_role("button", name=t_of("Mark %(name)s present", name)).click()
        expect(row).to_contain_text(t("Present"))
        check(sec)

    mark("trem", w.tenant.name)
    mark("emilie", w.paper_name, on_paper=True)  # typed without the accent, as on a phone
    expect(register).to_contain_text(t("Signed the paper sheet"))
    mark("belanger", w.secretary.name)
    expect(quorum).not_to_contain_text(t("Quorum reached"))
    mark("HÉLÈNE", w.president.name)
    expect(quorum).to_contain_text(t("Quorum reached"))
    check(sec, "quorum")
    sec.get_by_role("link", name=t("Refresh")).click()  # the no-JS way: a page of its own
    sec.wait_for_url(f"{base}/meetings/{meeting_id}/quorum")
    check(sec, "quorum-page")
    expect(sec.locator("main")).to_contain_text(t("Quorum reached"))
    sec.go_back()
    sec.wait_for_url(f"{base}/meetings/{meeting_id}/attendance")
    check(sec)

    # --- 4. A resolution, moved and seconded by members present --------------------------------
    sec.get_by_role("link", name=t("Resolutions"), exact=True).click()
    sec.wait_for_url(f"{base}/meetings/{meeting_id}/resolutions")
    check(sec, "resolutions")
    form = sec.locator("main form.resolution-form")
    elections = agenda[8]
    form.get_by_label(t("Agenda item"), exact=True).select_option(label=elections)
    form.get_by_label(t("Text of the motion")).fill(
        "Hélène Côté soit élue à la présidence pour deux ans."
    )
    form.get_by_label(t("Moved by")).select_option(label=w.tenant.name)
    form.get_by_label(t("Seconded by")).select_option(label=w.paper_name)
    form.get_by_label(t("Outcome"), exact=True).select_option(label=t("Carried unanimously"))
    form.get_by_role("button", name=t("Record the motion")).click()
    sec.wait_for_url(f"{base}/meetings/{meeting_id}/resolutions")
    check(sec, "resolution-recorded")
    number = f"{day.year}-01-01"
    flash(sec, t("Resolution %(number)s was recorded.", number=number))
    expect(
        sec.get_by_role("heading", name=t("Resolution %(number)s", number=number))
    ).to_be_visible()

    # --- 5. After the meeting: the minutes, partly written offline ------------------------------
    clock.set(stored.ends_at + timedelta(minutes=30))
    sec.goto(meeting_url)
    check(sec)
    sec.get_by_role("button", name=t("Draft the minutes")).click()
    sec.wait_for_url(re.compile(r"/minutes/\d+/edit$"))
    minutes_id = int(sec.url.split("/")[-2])
    edit_url = sec.url
    check(sec, "minutes-editor")
    saved_prefix = t("Saved at %(time)s", time="").strip()
    status = sec.locator(f"#minutes-status-{minutes_id}")

    def section(page):
        return page.locator("main").get_by_label(elections, exact=True)

    def type_into(page, words):
        box = section(page)
        box.click()
        box.press("Control+End")
        box.press_sequentially(words)

    expect(section(sec)).to_contain_text(number)  # drafted with the resolution in it
    type_into(sec, ONLINE_WORDS)
    expect(status).to_contain_text(saved_prefix)
    check(sec)
    assert sec.evaluate(LOCAL_COPY) == 0

    editor_ctx = sec.context
    editor_ctx.set_offline(True)
    type_into(sec, OFFLINE_WORDS)
    sec.wait_for_function(f"{LOCAL_COPY} === 1", timeout=15_000)  # the autosave failed: kept
    expect(status).to_have_text(
        t(
            "Not saved: no connection. Your text is kept on this phone and "
            "sent as soon as the connection is back."
        )
    )
    expect(status).to_be_in_viewport()  # in sight while typing, far above the Save button
    check(sec, "minutes-offline")
    type_into(sec, OFFLINE_MORE)  # the copy follows every keystroke
    sec.wait_for_function(
        "() => Object.entries(localStorage).some(([k, v]) => k.startsWith('tv-minutes-')"
        " && v.includes('jonquille'))"
    )
    sec.close()  # the phone closes the tab while still offline
    editor_ctx.set_offline(False)

    sec = editor_ctx.new_page()  # back online, she opens the meeting, then the editor (an htmx
    sec.goto(meeting_url)  # navigation: the editor's page <head> is never loaded)
    check(sec)
    sec.get_by_role("link", name=t("Edit the minutes")).click()
    sec.wait_for_url(edit_url)
    expect(
        sec.get_by_text(
            t("Your unsent text was restored. It will be saved as soon as the connection is back.")
        )
    ).to_be_visible()
    expect(section(sec)).to_have_value(re.compile("tulipe.*jonquille", re.S))
    status = sec.locator(f"#minutes-status-{minutes_id}")
    expect(status).to_contain_text(saved_prefix)  # sent by itself, without typing
    sec.wait_for_function(f"{LOCAL_COPY} === 0")
    check(sec, "minutes-restored")

    # Offline once more, then the connection comes back with the page still open.
    editor_ctx.set_offline(True)
    type_into(sec, OFFLINE_AGAIN)
    sec.wait_for_function(f"{LOCAL_COPY} === 1", timeout=15_000)
    editor_ctx.set_offline(False)
    sec.wait_for_function(f"{LOCAL_COPY} === 0", timeout=15_000)
    expect(status).to_contain_text(saved_prefix)
    check(sec)

    def section_text():
        from tenantvoice.minutes.models import Minutes

        minutes = db.session.get(Minutes, minutes_id)
        return next(s.body_markdown for s in minutes.sections if s.title == elections)

    stored_text = _db(live_app, section_text)
    for words in (ONLINE_WORDS, OFFLINE_WORDS, OFFLINE_MORE, OFFLINE_AGAIN):
        assert words.strip() in stored_text
    assert (
        stored_text.index("tulipe")
        < stored_text.index("jonquille")
        < stored_text.index("marguerite")
    )

    # --- 6. Approval at a later meeting, two signatures, publication, reading, search ----------
    def later_meeting():
        """The board meeting that approves the minutes (created directly, to save time)."""
        from tenantvoice.orgs.models import Body
        from tests import factories as f

        later = f.make_meeting(
            body=db.session.get(Body, w.body_id),
            kind=MeetingKind.BOARD,
            title="Conseil d'administration",
            starts_in=timedelta(days=14),
            year_number=2,
            agenda=(agenda[0], agenda[4], agenda[-1]),
        )
        db.session.commit()
        return later.id, later.starts_at

    def officers_present():
        """The president and the secretary signed the later meeting's attendance sheet."""
        from tenantvoice.assembly.models import Attendance
        from tenantvoice.orgs.models import Member

        officers = db.session.scalars(
            sa.select(Member).where(
                Member.body_id == w.body_id,
                Member.user_id.in_([w.president.user_id, w.secretary.user_id]),
            )
        )
        for member in officers:
            db.session.add(
                Attendance(
                    meeting_id=later_id, member_id=member.id, recorded_by_id=w.secretary.user_id
                )
            )
        db.session.commit()

    sec.get_by_role("link", name=t("Preview")).click()
    sec.wait_for_url(f"{base}/minutes/{minutes_id}")
    check(sec, "minutes-draft")
    later_id, later_start = _db(live_app, later_meeting)
    sec.get_by_role("button", name=t("Propose for approval at the next meeting")).click()
    sec.wait_for_url(f"{base}/minutes/{minutes_id}")
    check(sec)
    flash(sec, t("The draft minutes are proposed for approval at the next meeting."))

    clock.set(later_start + timedelta(minutes=10))

    _db(live_app, officers_present)
    sec = sign_in(w.secretary)
    sec.goto(f"{base}/meetings/{later_id}/resolutions")
    check(sec)
    form = sec.locator("main form.resolution-form")
    form.get_by_label(t("Agenda item"), exact=True).select_option(label=agenda[4])
    approval_text = "le procès-verbal de l'assemblée générale annuelle soit adopté tel que rédigé."
    form.get_by_label(t("Text of the motion")).fill(approval_text)
    form.get_by_label(t("Moved by")).select_option(label=w.president.name)
    form.get_by_label(t("Seconded by")).select_option(label=w.secretary.name)
    form.get_by_label(t("Outcome"), exact=True).select_option(label=t("Carried unanimously"))
    form.get_by_role("button", name=t("Record the motion")).click()
    # The approving meeting's own year (Montréal): two weeks after a December AGM is January.
    approval_number = f"{later_start.astimezone(MONTREAL).year}-02-01"
    flash(sec, t("Resolution %(number)s was recorded.", number=approval_number))
    check(sec)

    sec.goto(f"{base}/minutes/{minutes_id}")
    check(sec)
    sec.get_by_role("link", name=t("Record the approval")).click()
    sec.wait_for_url(f"{base}/minutes/{minutes_id}/approve")
    check(sec, "minutes-approve")
    sec.locator("main").get_by_label(t("Resolution that approved the minutes")).select_option(
        label=t("Resolution %(number)s: %(text)s", number=approval_number, text=approval_text[:80])
    )
    sec.locator("main").get_by_role("button", name=t("Record the approval")).click()
    sec.wait_for_url(f"{base}/minutes/{minutes_id}")
    check(sec)
    flash(sec, t("The approval of the minutes is recorded."))
    sec.get_by_role("button", name=t("Sign the minutes")).click()
    sec.wait_for_url(f"{base}/minutes/{minutes_id}")
    check(sec)
    flash(sec, t("Your signature is recorded."))
    expect(sec.get_by_role("button", name=t("Sign the minutes"))).to_have_count(0)
    expect(sec.get_by_role("button", name=t("Publish the minutes"))).to_have_count(0)

    pres = sign_in(w.president)
    pres.goto(f"{base}/minutes/{minutes_id}")
    check(pres, "minutes-sign")
    pres.get_by_role("button", name=t("Sign the minutes")).click()
    pres.wait_for_url(f"{base}/minutes/{minutes_id}")
    check(pres)
    flash(pres, t("Your signature is recorded."))

    sec.reload()
    check(sec)
    sec.get_by_role("button", name=t("Publish the minutes")).click()
    sec.wait_for_url(f"{base}/minutes/{minutes_id}")
    check(sec, "minutes-published")
    flash(sec, t("The minutes are published."))

    # A tenant finds them from the association's page and searches without accents.
    ten = sign_in(w.tenant)
    ten.goto(f"{base}/bodies/{w.body_id}")
    check(ten, "body-tenant")
    ten.get_by_role("link", name=t("Read and search the minutes")).click()
    ten.wait_for_url(f"{base}/bodies/{w.body_id}/minutes")
    check(ten, "minutes-index")
    results = ten.locator(f"#minutes-results-{w.body_id}")
    for query in ("ELECTION", "reunion tulipe"):
        ten.get_by_label(t("Search the published minutes")).fill(query)
        ten.locator("main").get_by_role("button", name=t("Search"), exact=True).click()
        expect(results.get_by_role("heading", level=2)).to_have_text(
            _plural(
                live_app,
                "%(count)s result for “%(q)s”",
                "%(count)s results for “%(q)s”",
                1,
                lang,
                count=1,
                q=query,
            )
        )
        expect(results.get_by_role("link")).to_have_count(1)
        check(ten, "minutes-search")
    results.get_by_role("link").click()
    ten.wait_for_url(f"{base}/minutes/{minutes_id}")
    check(ten, "minutes-read")
    text = ten.locator("main article")
    expect(text.get_by_role("heading", level=1)).to_have_text(t("Minutes of the meeting"))
    for words in ("tulipe", "jonquille", "marguerite", number, w.president.name):
        expect(text).to_contain_text(words)
    expect(ten.get_by_role("button", name=t("Sign the minutes"))).to_have_count(0)
    axe.assert_clean(at_least=40)


def test_without_javascript_the_same_steps_work(live_server, live_app, agm_world, browser, lang):
    """No script (old phone, script blocked): the agenda buttons, the RSVP form and the
    attendance sheet fall back to plain forms and full pages. (axe needs script to run: these
    page types are checked with it in test_meeting_to_minutes.)"""
    from tenantvoice.orgs.models import Body
    from tests import factories as f

    base = live_server.url
    w = agm_world

    def t(msgid, **values):
        return _translated(live_app, msgid, lang, **values)

    def t_of(msgid, name):
        """A message naming a person after "of" (French: d'Émilie, de Marc)."""
        from tenantvoice.web.i18n import of_name

        with live_app.test_request_context(), force_locale(lang):
            return _(msgid, name=of_name(name))

    def make():
        m = f.make_meeting(
            body=db.session.get(Body, w.body_id),
            title=TITLE,
            starts_in=timedelta(minutes=30),
            year_number=1,
            agenda=("Ouverture", "Élections", "Levée"),
        )
        db.session.commit()
        return m.id

    meeting_id = _db(live_app, make)
    meeting_url = f"{base}/meetings/{meeting_id}"
    ctx = browser.new_context(locale=LANGS[lang][0], java_script_enabled=False, **PHONE)
    ctx.set_default_timeout(10_000)
    try:
        sec = ctx.new_page()
        log_in(sec, base, w.secretary.email, w.password)
        sec.goto(meeting_url)
        sec.get_by_role("button", name=t("Move down: %(title)s", title="Ouverture")).click()
        sec.wait_for_url(f"{meeting_url}#meeting-agenda-{meeting_id}")
        expect(
            sec.get_by_role("region", name=t("Agenda")).locator("ol > li > strong")
        ).to_have_text(["Élections", "Ouverture", "Levée"])

        sec.goto(f"{meeting_url}/attendance")
        sec.get_by_label(t("Search by name or unit")).fill("emilie")
        sec.locator("main").get_by_role("button", name=t("Search"), exact=True).click()
        sec.wait_for_url(f"{meeting_url}/attendance?q=emilie")
        row = sec.get_by_role("listitem").filter(has_text=w.paper_name)
        row.get_by_label(t("Signed the paper sheet")).check()
        row.get_by_role("button", name=t_of("Mark %(name)s present", w.paper_name)).click()
        sec.wait_for_url(f"{meeting_url}/attendance?q=emilie")
        expect(row).to_contain_text(t("Present"))
        expect(row).to_contain_text(t("Signed the paper sheet"))
        sec.locator("form[data-logout] button").click()
        sec.wait_for_url(base + "/login")

        log_in(sec, base, w.tenant.email, w.password)
        sec.goto(meeting_url)
        rsvp = sec.get_by_role("region", name=t("Will you come?"))
        rsvp.get_by_label(t("Maybe")).check()
        rsvp.get_by_role("button", name=t("Send my answer")).click()
        sec.wait_for_url(f"{meeting_url}#meeting-rsvp-{meeting_id}")
        expect(sec.locator("body")).to_contain_text(t("Thank you, your answer is saved."))
        expect(rsvp.get_by_label(t("Maybe"))).to_be_checked()
    finally:
        ctx.close()
