"""Valid HTML where the Nu checker found faults (issue 9): no id twice on a page (every form's
CSRF token was id="csrf_token"), no required select whose first option is a real value, and
minutes headings that do not skip a level. The browser tests also run the Nu HTML checker
over every page they visit (tests/htmlcheck.py)."""

from collections import Counter
from html.parser import HTMLParser

import pytest

from tenantvoice.extensions import db
from tenantvoice.meetings.models import MeetingStatus
from tenantvoice.minutes.markdown import render
from tests import factories as f


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = Counter()
        self.selects = []  # [name, required single select, first option's value, seen]
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids[a["id"]] += 1
        if tag == "select":
            single = "multiple" not in a and int(a.get("size") or 1) <= 1
            self._select = [a.get("name"), "required" in a and single, None, False]
            self.selects.append(self._select)
        elif tag == "option" and self._select is not None and not self._select[3]:
            self._select[2] = a.get("value", "")
            self._select[3] = True

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


#: With CSRF on, as in production: every form carries its token.
CSRF_ON = pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])


def _assert_valid(html: str) -> None:
    page = _parse(html)
    assert [i for i, n in page.ids.items() if n > 1] == []
    bad = [name for name, required, first, _ in page.selects if required and first]
    assert bad == []


@CSRF_ON
def test_meeting_page_with_several_forms_repeats_no_id(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a, status=MeetingStatus.DRAFT)
    db.session.commit()
    auth.login(world.officer_a)
    html = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert html.count('name="csrf_token"') >= 2
    _assert_valid(html)


@CSRF_ON
def test_published_meeting_page_for_a_tenant_repeats_no_id(world, client, auth):
    meeting = f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.tenant_a)
    _assert_valid(client.get(f"/meetings/{meeting.id}").get_data(as_text=True))


@CSRF_ON
def test_new_meeting_kind_select_is_valid(world, client, auth):
    auth.login(world.officer_a)
    html = client.get(f"/bodies/{world.adl_a.id}/meetings/new").get_data(as_text=True)
    assert 'name="kind"' in html
    _assert_valid(html)


@CSRF_ON
def test_body_setup_selects_are_valid(world, client, auth):
    auth.login(world.admin)
    html = client.get("/bodies/new").get_data(as_text=True)
    assert "<select" in html
    _assert_valid(html)


@CSRF_ON
def test_invitation_member_select_is_valid(world, client, auth):
    auth.login(world.officer_a)
    html = client.get(f"/bodies/{world.adl_a.id}/invitations/new").get_data(as_text=True)
    assert "<select" in html
    _assert_valid(html)


def _levels(html: str) -> list[int]:
    import re

    return [int(n) for n in re.findall(r"<h([1-6])\b", html)]


def test_minutes_headings_never_skip_a_level():
    text = "## AGA\n\n### Ouverture\n\nTexte\n\n#### Détail\n\n### Levée\n\n###### Note"
    levels = [1, *_levels(str(render(text)))]  # the page's h1 first
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert levels[1] == 2


def test_minutes_heading_right_after_the_title_is_h2():
    assert _levels(str(render("#### Seul titre"))) == [2]


def test_the_nu_checker_lets_only_htmx_attributes_through():
    from tests import htmlcheck

    assert htmlcheck.allowed({"message": "Attribute “hx-post” not allowed on element “form”."})
    assert htmlcheck.allowed({"message": "Attribute “hx-boost:inherited” not allowed here."})
    assert not htmlcheck.allowed({"message": "Duplicate ID “csrf_token”."})
    assert not htmlcheck.allowed({"message": "Attribute “onclick” not allowed here."})


def test_full_list_of_next_meetings_does_not_skip_a_heading_level(world, client, auth):
    f.make_meeting(body=world.adl_a)
    db.session.commit()
    auth.login(world.tenant_a)
    html = client.get("/meetings/upcoming").get_data(as_text=True)
    levels = _levels(html.split('id="main"', 1)[1])
    assert levels[:2] == [1, 2], levels
    home = client.get("/").get_data(as_text=True).split('id="main"', 1)[1]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    home_levels = _levels(home)
    assert all(b <= a + 1 for a, b in zip(home_levels, home_levels[1:], strict=False)), home_levels
