"""The printed invitation card (issue 9): the officer's private note is never printed, the card
says until when the code works (14 days) and what to do after joining, and a code typed with
O for 0, I or L for 1, in lower case, with spaces or dashes, is accepted (codes never hold those
letters)."""

import html
import re
import uuid
from datetime import UTC, datetime

from tenantvoice import clock
from tenantvoice.accounts.codes import ALPHABET, canonical_code
from tenantvoice.extensions import db
from tenantvoice.orgs import invitations
from tests import factories as f

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _sheet(client, world, label="Mme Tremblay, 104 — sourde, frapper fort"):
    client.post(
        f"/bodies/{world.adl_a.id}/invitations/new",
        data={"form_key": uuid.uuid4().hex, "count": "2", "label": label},
    )
    return html.unescape(client.get(f"/bodies/{world.adl_a.id}/invitations/sheet").text)


def _printed(page: str) -> str:
    """What the printer gets: the page without its no-print elements (one-line <p> here)."""
    return re.sub(r'<p class="[^"]*\bno-print\b[^"]*">.*?</p>', "", page, flags=re.S)


def test_private_note_is_never_printed(world, client, auth):
    auth.login(world.officer_a)
    page = _sheet(client, world)
    cards = page[page.index('<ul class="invitation-cards">') :]
    printed = _printed(cards)
    assert "sourde" not in printed
    assert "Mme Tremblay" not in printed
    # The officer still tells the cards apart on screen.
    assert "sourde" in cards


def test_card_shows_its_expiry_date_in_both_languages(world, client, auth):
    clock.set(NOW)
    auth.login(world.officer_a)
    page = _printed(_sheet(client, world))
    assert page.count("Valid until March 16, 2026.") == 2
    assert (
        page.count("Valide jusqu’au 16 mars 2026.") + page.count("Valide jusqu'au 16 mars 2026.")
        == 2
    )


def test_card_says_what_to_do_after_joining(world, client, auth):
    auth.login(world.officer_a)
    page = _printed(_sheet(client, world))
    assert page.count("After joining, your home page shows") == 2
    assert page.count("Une fois inscrit") + page.count("Après votre inscription") == 2


def _code_with_zero_or_one(body):
    for _attempt in range(60):
        invitation, code = invitations.create_invitation(None, body)
        if "0" in code or "1" in code:
            db.session.commit()
            return invitation, code
    raise AssertionError("no code with a 0 or a 1 in 60 tries")


def test_canonical_code_forgives_look_alikes_case_spaces_and_dashes():
    assert canonical_code("abco lxyz") == "ABC0-1XYZ"
    assert canonical_code(" AB-CO-IX-YZ ") == "ABC0-1XYZ"
    assert canonical_code("abc0-1xyz") == "ABC0-1XYZ"
    # U is not in the alphabet and looks like nothing in it: left as typed, never matches.
    assert "U" not in ALPHABET
    assert canonical_code("ABCU-1XYZ") == "ABCU-1XYZ"


def test_code_typed_with_o_for_0_and_i_for_1_is_accepted(app, client):
    body = f.make_body(name="Association du Parc", sites=[f.make_site()])
    invitation, code = _code_with_zero_or_one(body)
    typed = code.replace("0", "O").replace("1", "I").lower().replace("-", " ")
    assert typed.upper() != code
    assert invitations.find_usable(typed) is not None
    assert invitations.find_usable(typed.replace("i", "l")) is not None
    response = client.post("/join", data={"step": "code", "code": typed})
    assert response.status_code == 200
    assert "Association du Parc" in html.unescape(response.text)
    # The next step carries the code as printed.
    assert f'value="{code}"' in response.text
