"""Rate limits: sign-in reaches its limit and gets a clear 429 page, in memory and on Redis."""

from __future__ import annotations

import re
import uuid

import pytest
import redis

from tests.conftest import app_with

REDIS_URL = "redis://127.0.0.1:6379"


def attempt(client, lang="en"):
    return client.post(
        f"/{lang}/account/sign-in",
        data={"email": "nobody@example.org", "password": "wrong password"},
    )


def assert_limit_reached_on_sign_in(app):
    app.config["RATELIMIT_SIGN_IN"] = "3 per minute"
    client = app.test_client()
    for _ in range(3):
        refused = attempt(client)
        assert refused.status_code == 200
        assert refused.headers["X-RateLimit-Limit"] == "3"
    limited = attempt(client)
    assert limited.status_code == 429
    retry_after = int(limited.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    page = limited.get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Too many attempts</h1>' in page
    assert "Too many attempts. Please wait a moment and try again." in page
    (seconds,) = re.findall(r"<strong>Please wait (\d+) seconds?, then try again.</strong>", page)
    assert abs(int(seconds) - retry_after) <= 1
    assert limited.headers["Content-Security-Policy"].startswith("default-src 'self'")
    # The limit counts attempts to sign in, not visits to the page.
    assert client.get("/en/account/sign-in").status_code == 200
    # Nor does it depend on the language of the page.
    assert attempt(client, lang="fr").status_code == 429
    return limited


def test_sign_in_limit_in_memory(app):
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert_limit_reached_on_sign_in(app)


@pytest.mark.redis
def test_sign_in_limit_on_redis(tmp_path, database_url):
    prefix = f"congress-test-{uuid.uuid4().hex}"
    config = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix}
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        with app_with(tmp_path, database_url, **config) as app:
            assert_limit_reached_on_sign_in(app)
            # The counts live in Redis, where every worker process sees them.
            assert any(connection.scan_iter(match=f"*{prefix}*"))
    finally:
        for key in connection.scan_iter(match=f"*{prefix}*"):
            connection.delete(key)
        connection.close()


@pytest.mark.parametrize(
    ("seconds", "text"), [(1, "1 second,"), (42, "42 seconds"), (600, "10 minutes")]
)
def test_wait_message(app, seconds, text):
    from congress.security.ratelimits import wait_message

    with app.test_request_context("/en/"):
        assert text in wait_message(seconds)
