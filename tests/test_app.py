"""Factory, configuration and extension wiring."""

import pytest
from cryptography.fernet import Fernet

from tenantvoice import create_app
from tenantvoice.config import ConfigError


def test_app_is_testing(app):
    """The factory's own settings yield to the ones it is given, and it binds every part."""
    assert app.testing
    plain = create_app(
        {
            "SECRET_KEY": "x" * 40,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "TASK_QUEUE_URL": "memory://",
        }
    )
    assert plain.testing is False  # TESTING came from the fixture's settings, not a default
    assert {"sqlalchemy", "babel", "csrf", "migrate", "huey"} <= set(app.extensions)
    assert app.login_manager is not None
    assert {"accounts", "orgs", "meetings", "assembly", "minutes", "pwa"} <= set(app.blueprints)


def test_production_refuses_to_start_without_a_real_secret(monkeypatch, tmp_path):
    with pytest.raises(ConfigError):
        create_app(
            {"ENV_NAME": "production", "SECRET_KEY": "", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
        )
    with pytest.raises(ConfigError):
        create_app(
            {
                "ENV_NAME": "production",
                "SECRET_KEY": "changeme",
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
            }
        )


def test_production_with_a_real_secret_is_hardened():
    app = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": "x" * 40,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "REQUIRE_STAFF_2FA": False,
            "BASE_URL": "https://tenantvoice.example.org",
            "ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "PRIVACY_OFFICER_EMAIL": "vie-privee@example.org",
            "PRIVACY_OFFICER_TITLE": "Direction générale",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert app.config["REQUIRE_STAFF_2FA"] is True
    assert app.debug is False
    assert app.config["TRUSTED_HOSTS"] == ["tenantvoice.example.org"]


@pytest.mark.parametrize("base_url", ["", "http://tenantvoice.example.org", "https://"])
def test_production_refuses_to_start_without_an_https_base_url(base_url):
    """Links in mail come from BASE_URL alone, so production must name it (issue 6, item 3)."""
    with pytest.raises(ConfigError, match="BASE_URL"):
        create_app(
            {
                "ENV_NAME": "production",
                "SECRET_KEY": "x" * 40,
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "BASE_URL": base_url,
            }
        )


def test_home_redirects_anonymous_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
