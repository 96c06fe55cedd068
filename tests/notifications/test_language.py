"""Each person is told in the language they read, and in French the body's name takes the
article it needs after "de": "de l'Association…", "du Comité…", never "de Association…"
(issue 9, French)."""

import pytest
from flask_babel import force_locale

from tenantvoice.extensions import db
from tenantvoice.notifications.kinds import get_kind
from tenantvoice.notifications.models import Channel, Frequency
from tenantvoice.notifications.services import headline, set_preferences
from tenantvoice.outbox.models import Channel as OutboxChannel
from tests.minutes.helpers import in_request
from tests.notifications.helpers import deliveries, draft_meeting, publish


def test_each_recipient_reads_the_bodys_name_as_their_language_says_it(world):
    w = world
    w.tenant_a.locale = "fr_CA"
    w.president_a.locale = "en"
    with in_request():
        for user in (w.tenant_a, w.president_a):
            set_preferences(user, {("meeting.notice", Channel.EMAIL): Frequency.IMMEDIATELY})
    db.session.commit()
    publish(draft_meeting(w.adl_a), w.officer_a)

    [french] = deliveries(OutboxChannel.EMAIL, user=w.tenant_a)
    assert french.subject == "Nouvel avis de convocation de l'Association des locataires du Parc"
    assert "de Association" not in french.payload
    [english] = deliveries(OutboxChannel.EMAIL, user=w.president_a)
    assert english.subject == "New meeting notice from Association des locataires du Parc"


@pytest.mark.parametrize(
    ("key", "name", "expected"),
    [
        ("meeting.changed", "Association des Érables", "Une réunion de l'Association des Érables"),
        ("meeting.cancelled", "Comité du Parc", "Une réunion du Comité du Parc est annulée"),
        ("meeting.reminder", "Table de quartier", "Rappel\u00a0: une réunion de la Table"),
        ("ballot.open", "CCR de la Rivière", "Nouveau vote du CCR de la Rivière"),
        ("minutes.published", "Association du Quai", "Nouveau procès-verbal de l'Association"),
    ],
)
def test_each_french_headline_elides(app, key, name, expected):
    with in_request(), force_locale("fr_CA"):
        assert headline(get_kind(key), name).startswith(expected)


def test_the_centre_shows_the_elided_name_to_a_french_reader(world, client, auth):
    w = world
    w.tenant_a.locale = "fr_CA"
    db.session.commit()
    publish(draft_meeting(w.adl_a), w.officer_a)
    auth.login(w.tenant_a)
    page = client.get("/notifications").text
    assert "Nouvel avis de convocation de l&#39;Association des locataires du Parc" in page
    assert "de Association" not in page
