import pytest


@pytest.fixture
def request_ctx(app):
    """Service tests read translated refusals: give them a request (English) to render in."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield
