"""The privacy officer's contact is configuration (issue 9): production refuses to start
without a real address; elsewhere a development placeholder is shown."""

import pytest
from cryptography.fernet import Fernet

from tenantvoice import create_app
from tenantvoice.config import DEV_PRIVACY_OFFICER_EMAIL, ConfigError


def _production(**extra):
    config = {
        "ENV_NAME": "production",
        "SECRET_KEY": "x" * 40,
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "BASE_URL": "https://tenantvoice.example.org",
        "ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "PRIVACY_OFFICER_TITLE": "Direction générale",
    }
    config.update(extra)
    return create_app(config)


@pytest.mark.parametrize("email", ["", "  ", DEV_PRIVACY_OFFICER_EMAIL, "rprp@office.local"])
def test_production_refuses_to_start_without_a_privacy_officer(email):
    with pytest.raises(ConfigError, match="PRIVACY_OFFICER_EMAIL"):
        _production(PRIVACY_OFFICER_EMAIL=email)


@pytest.mark.parametrize("title", ["", "   "])
def test_production_refuses_to_start_without_the_officer_title(title):
    """Q-01: the title and the contact are published; neither may be missing."""
    with pytest.raises(ConfigError, match="PRIVACY_OFFICER_TITLE"):
        _production(PRIVACY_OFFICER_EMAIL="rprp@omh-riviere.qc.ca", PRIVACY_OFFICER_TITLE=title)


def test_production_shows_the_configured_privacy_officer():
    app = _production(PRIVACY_OFFICER_EMAIL="rprp@omh-riviere.qc.ca")
    assert app.config["PRIVACY_OFFICER_EMAIL"] == "rprp@omh-riviere.qc.ca"
    page = app.test_client().get("/privacy", base_url="https://tenantvoice.example.org")
    assert "rprp@omh-riviere.qc.ca" in page.text
    assert "Direction générale" in page.text


def test_development_falls_back_to_the_placeholder():
    app = create_app(
        {
            "SECRET_KEY": "x" * 40,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "TESTING": True,
            "PRIVACY_OFFICER_EMAIL": "",
        }
    )
    assert app.config["PRIVACY_OFFICER_EMAIL"] == DEV_PRIVACY_OFFICER_EMAIL
