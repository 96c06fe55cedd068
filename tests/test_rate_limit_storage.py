"""Rate limits work on the shared Redis storage used when TenantVoice runs several workers.

Runs under `make test-pg` (which sets TEST_REDIS_URL and a per-run RATELIMIT_KEY_PREFIX when
Redis answers); elsewhere the in-memory storage is covered by the domains' own tests."""

import os

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")


@pytest.fixture
def app_config():
    if not REDIS_URL:
        pytest.skip("TEST_REDIS_URL not set (make test-pg sets it when Redis is reachable)")
    # The run's own prefix (make test-pg draws one per run): Flask-Limiter keeps the first
    # prefix its singleton saw in this process, so a per-test prefix would never be used.
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": REDIS_URL}


def test_login_attempts_are_limited_through_redis(client, app):
    import redis

    statuses = [
        client.post(
            "/login", data={"identifier": "x@example.org", "password": "wrong password"}
        ).status_code
        for _attempt in range(11)
    ]
    assert statuses[:10] == [422] * 10
    assert statuses[10] == 429
    prefix = app.config["RATELIMIT_KEY_PREFIX"]
    assert prefix.startswith("tvtest-"), "make test-pg sets a per-run prefix"
    r = redis.Redis.from_url(REDIS_URL)
    keys = list(r.scan_iter(match=f"*{prefix}*"))
    assert keys, "no rate-limit key was written to Redis"
    r.delete(*keys)
