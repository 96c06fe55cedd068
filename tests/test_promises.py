"""The help and rules pages promise only what the app does (issue 9). Each test reads the code
for the fact behind a sentence; when the fact changes (a view opens votes, something follows
the office's answers), the test says which sentence to update."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "tenantvoice"


def _source_of(kind: str) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob(f"{kind}.py"))


def _app_opens_votes() -> bool:
    """A page (a view) creates ballot questions: recommendations or polls can be voted (the
    recommendations' view opens its vote through its service, which calls create_question)."""
    views = _source_of("views")
    return "create_question(" in views or "services.open_vote(" in views


def _app_follows_answer_delay() -> bool:
    """Something besides the rules form reads the office's answer delay."""
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts or path.name in ("forms.py", "models.py"):
            continue
        text = path.read_text(encoding="utf-8")
        # orgs/services.py only saves the rules form.
        if "answer_delay_days" in text and not path.as_posix().endswith("orgs/services.py"):
            return True
    return False


def _rules_page(world, client, auth) -> str:
    auth.login(world.officer_a)
    response = client.get(f"/bodies/{world.adl_a.id}/rules", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_help_promises_no_paper_ballot_the_app_cannot_take(client):
    html = client.get("/help", headers={"Accept-Language": "en"}).get_data(as_text=True)
    if not _app_opens_votes():
        assert "your paper ballot" not in html
    assert "records your attendance" in html


def test_rules_page_says_when_the_secret_ballot_default_applies(world, client, auth):
    html = _rules_page(world, client, auth)
    assert "Secret ballot by default" in html
    note = "Opening such a vote (a recommendation, a poll) is not available yet"
    assert (note in html) is not _app_opens_votes(), (
        "votes can be opened in the app now: update the note under 'Secret ballot by default' "
        "(templates/orgs/rules.html)"
    )


def test_rules_page_says_the_answer_delay_is_not_followed_yet(world, client, auth):
    html = _rules_page(world, client, auth)
    note = "The app does not follow the office's answers yet"
    assert (note in html) is not _app_follows_answer_delay(), (
        "the office's answer delay is used now: update its hint (templates/orgs/rules.html)"
    )


def test_secret_ballot_default_is_what_the_ballots_use():
    """The checkbox is not decoration: opening a question without a mode follows it."""
    source = (PACKAGE / "ballots" / "services.py").read_text(encoding="utf-8")
    assert "body.secret_ballot_default" in source
