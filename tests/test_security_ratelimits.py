"""Rate limits: sign-in reaches its limit and gets a clear 429 page, in memory and on Redis."""

from __future__ import annotations

import re
import runpy
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

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


# --- Several workers share one count ---------------------------------------------------------

GUNICORN_CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


@dataclass
class FakeServer:
    """What gunicorn's ``on_starting`` hook reads of its arbiter: the app and the settings."""

    flask_app: object
    workers: int

    @property
    def app(self):
        return SimpleNamespace(wsgi=lambda: self.flask_app)

    @property
    def cfg(self):
        return SimpleNamespace(workers=self.workers)


def on_starting():
    return runpy.run_path(str(GUNICORN_CONF))["on_starting"]


REFUSAL = (
    "Rate limits would be counted in each worker's memory (memory://): with 5 workers, a "
    "limit of 10 sign-ins a minute would let 50 through. Set CONGRESS_RATELIMIT_STORAGE_URI to "
    "a store every worker shares (redis://127.0.0.1:6379/0, docs/DEPLOYMENT.md), or serve "
    "with one worker (WEB_CONCURRENCY=1)."
)


def test_gunicorn_refuses_several_workers_counting_apart(app):
    from congress.security.ratelimits import PerProcessLimits

    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    hook = on_starting()
    with pytest.raises(PerProcessLimits) as refused:
        hook(FakeServer(app, workers=5))
    assert str(refused.value) == REFUSAL
    # A RuntimeError: gunicorn prints "Error: <message>" and exits with status 1.
    assert isinstance(refused.value, RuntimeError)
    # One worker counts alone, rightly.
    assert hook(FakeServer(app, workers=1)) is None


@pytest.mark.parametrize(
    "uri", [REDIS_URL, "redis://127.0.0.1:6379/0", "rediss://redis.example.org:6380/2"]
)
def test_gunicorn_starts_several_workers_on_a_shared_store(tmp_path, database_url, uri):
    with app_with(tmp_path, database_url, RATELIMIT_STORAGE_URI=uri) as app:
        assert on_starting()(FakeServer(app, workers=5)) is None


def test_several_workers_without_rate_limits_start():
    # (A plain mapping: an app with RATELIMIT_ENABLED=False would turn off the one limiter
    # object of the process for the apps of the tests that follow.)
    from congress.security.ratelimits import check_shared

    config = {"RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://"}
    assert check_shared(config, 5) is None
    with pytest.raises(RuntimeError, match="with 3 workers, a limit of 10 sign-ins a minute"):
        check_shared({**config, "RATELIMIT_ENABLED": True}, 3)


@pytest.mark.parametrize(
    ("config", "storage"),
    [
        ({}, "memory://"),
        ({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}, "redis://127.0.0.1:6379/0"),
    ],
)
def test_where_the_limits_count(tmp_path, database_url, config, storage):
    from congress.extensions import limiter

    with app_with(tmp_path, database_url, **config) as app:
        assert app.config["RATELIMIT_STORAGE_URI"] == storage
    # The store Flask-Limiter made when the app was built (limits' storage classes).
    kind = "MemoryStorage" if storage == "memory://" else "RedisStorage"
    assert type(limiter._storage).__name__ == kind
