"""Autosave with optimistic concurrency: version match, conflict view with both texts, and the
three ways out (keep mine, keep theirs, merge)."""

from tenantvoice.extensions import db
from tenantvoice.minutes.models import MinutesState
from tests.minutes.helpers import minutes_in_state

HX = {"HX-Request": "true"}


def _data(minutes, version, text):
    data = {"version": str(version), "adjourned_at": ""}
    data[f"section-{minutes.sections[1].id}"] = text
    return data


def test_autosave_with_current_version_saves_and_returns_status(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.officer_a)
    response = client.post(
        f"/minutes/{minutes.id}/autosave", data=_data(minutes, 1, "Notes"), headers=HX
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<div id="minutes-status-{minutes.id}"')
    assert 'data-version="2"' in body
    assert "Saved at" in body
    db.session.refresh(minutes)
    assert minutes.sections[1].body_markdown == "Notes"
    assert minutes.version == 2


def test_autosave_with_stale_version_shows_both_texts(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.officer_a)
    client.post(
        f"/minutes/{minutes.id}/autosave", data=_data(minutes, 1, "Texte de Jean"), headers=HX
    )
    response = client.post(
        f"/minutes/{minutes.id}/autosave", data=_data(minutes, 1, "Texte de Fatima"), headers=HX
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Texte de Jean" in body
    assert "Texte de Fatima" in body
    assert 'value="mine"' in body
    assert 'value="theirs"' in body
    assert 'value="merge"' in body
    db.session.refresh(minutes)
    assert minutes.sections[1].body_markdown == "Texte de Jean"


def test_full_save_with_stale_version_shows_the_conflict_page(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.officer_a)
    client.post(f"/minutes/{minutes.id}/edit", data=_data(minutes, 1, "Premier"))
    response = client.post(f"/minutes/{minutes.id}/edit", data=_data(minutes, 1, "Second"))
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Premier" in body
    assert "Second" in body
    assert "<html" in body


def _conflict(client, minutes):
    client.post(f"/minutes/{minutes.id}/edit", data=_data(minutes, 1, "Le leur"))
    return minutes.sections[1].id


def test_keep_mine_overwrites_with_my_text(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.officer_a)
    sid = _conflict(client, minutes)
    response = client.post(
        f"/minutes/{minutes.id}/resolve",
        data={
            "resolution": "mine",
            "version": "2",
            f"mine-{sid}": "Le mien",
            f"merge-{sid}": "ignoré",
        },
    )
    assert response.status_code == 302
    db.session.refresh(minutes)
    assert minutes.sections[1].body_markdown == "Le mien"
    assert minutes.version == 3


def test_keep_theirs_changes_nothing(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.officer_a)
    sid = _conflict(client, minutes)
    response = client.post(
        f"/minutes/{minutes.id}/resolve",
        data={"resolution": "theirs", "version": "2", f"mine-{sid}": "Le mien"},
    )
    assert response.status_code == 302
    db.session.refresh(minutes)
    assert minutes.sections[1].body_markdown == "Le leur"
    assert minutes.version == 2


def test_merge_saves_the_edited_merge(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.officer_a)
    sid = _conflict(client, minutes)
    response = client.post(
        f"/minutes/{minutes.id}/resolve",
        data={
            "resolution": "merge",
            "version": "2",
            f"mine-{sid}": "Le mien",
            f"merge-{sid}": "Le mien et le leur",
        },
    )
    assert response.status_code == 302
    db.session.refresh(minutes)
    assert minutes.sections[1].body_markdown == "Le mien et le leur"


def test_resolving_against_a_newer_save_conflicts_again(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.officer_a)
    sid = _conflict(client, minutes)
    client.post(f"/minutes/{minutes.id}/edit", data=_data(minutes, 2, "Encore un autre"))
    response = client.post(
        f"/minutes/{minutes.id}/resolve",
        data={"resolution": "mine", "version": "2", f"mine-{sid}": "Le mien"},
    )
    assert response.status_code == 409
    db.session.refresh(minutes)
    assert minutes.sections[1].body_markdown == "Encore un autre"


def test_autosave_over_the_limit_is_422_and_saves_nothing(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.officer_a)
    response = client.post(
        f"/minutes/{minutes.id}/autosave", data=_data(minutes, 1, "é" * 100_001), headers=HX
    )
    assert response.status_code == 422
    db.session.refresh(minutes)
    assert minutes.version == 1


def test_editor_page_loads_the_autosave_script_and_is_not_kept_offline(world, client, auth):
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.officer_a)
    response = client.get(f"/minutes/{minutes.id}/edit")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "js/app.js" in body  # app.js carries the editor's autosave and offline copy
    assert 'hx-trigger="input delay:2s"' in body
    assert f'name="version" id="minutes-version-{minutes.id}" value="1"' in body
    assert "X-TV-Offline" not in response.headers
    assert "Secret: plainte contre le concierge." in body  # officers see in-camera notes


def test_pages_reached_by_htmx_navigation_already_have_the_editor_script(world, client, auth):
    """Boosted navigations never run the <head> of the page they open: the script and the
    minutes styles must come with every page, or the editor keeps no copy offline."""
    auth.login(world.officer_a)
    body = client.get("/").get_data(as_text=True)
    assert "js/app.js" in body
    assert "css/app.css" in body
    script = client.get("/static/js/app.js").get_data(as_text=True)
    assert 'var PREFIX = "tv-minutes-";' in script
    styles = client.get("/static/css/app.css").get_data(as_text=True)
    assert ".minutes-status" in styles


def test_editor_tells_the_script_what_to_say_offline_and_sends_no_server_clock(world, client, auth):
    """The unsent copy is compared with the server's text, never with the server's clock (a
    phone whose clock is behind dropped its unsent text)."""
    minutes = minutes_in_state(world, MinutesState.DRAFT)
    auth.login(world.officer_a)
    body = client.get(f"/minutes/{minutes.id}/edit").get_data(as_text=True)
    assert 'data-offline-message="Not saved: no connection.' in body
    assert "data-server-updated" not in body
