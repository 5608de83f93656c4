"""Security headers, cookies, trusted hosts and proxies."""

from __future__ import annotations

import pytest
from flask import session

from congress.extensions import db
from tests.conftest import make_app

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def assert_security_headers(response, *, https: bool = False):
    assert response.headers["Content-Security-Policy"] == CSP
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    if https:
        assert (
            response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        )
    else:
        assert "Strict-Transport-Security" not in response.headers


def test_html_page(client, archive):
    response = client.get("/en/congresses/rio-2008/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert_security_headers(response)


def test_json_response(client, archive):
    response = client.get("/api/v1/congresses")
    assert response.mimetype == "application/json"
    assert_security_headers(response)


def test_error_pages(client):
    not_found = client.get("/en/congresses/nowhere/")
    assert not_found.status_code == 404
    assert "There is no page at this address." in not_found.text
    assert_security_headers(not_found)
    json_not_found = client.get("/api/v1/congresses/nowhere")
    assert json_not_found.get_json() == {"error": "Not Found", "status": 404}
    assert_security_headers(json_not_found)


def test_server_error_page(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    app.testing = False  # let the 500 handler answer rather than the test re-raising
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Something went wrong on our side." in response.text
    assert_security_headers(response)


def test_calendar_feed(client, archive):
    from tests.security_support import calendar_feed_url

    response = client.get(calendar_feed_url(client.application))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert_security_headers(response)


def test_hsts_only_over_https(client, archive):
    assert_security_headers(client.get("/en/", base_url="https://congress.test"), https=True)
    assert_security_headers(client.get("/en/", base_url="http://congress.test"))


def _cookie(response, name):
    (header,) = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "=")]
    return {part.strip().split("=")[0].lower(): part for part in header.split(";")}


def _session_route(app):
    @app.get("/touch-session")
    def touch_session():
        session["seen"] = True
        return "ok"


def test_session_cookie_is_httponly_and_lax(app, client):
    _session_route(app)
    cookie = _cookie(client.get("/touch-session"), "session")
    assert "httponly" in cookie
    assert cookie["samesite"].strip() == "SameSite=Lax"
    assert "secure" not in cookie


def test_https_makes_cookies_secure(tmp_path, database_url):
    app = make_app(tmp_path, database_url, HTTPS=True)
    _session_route(app)
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert app.config["PREFERRED_URL_SCHEME"] == "https"
    cookie = _cookie(
        app.test_client().get("/touch-session", base_url="https://congress.test"), "session"
    )
    assert {"secure", "httponly", "samesite"} <= set(cookie)
    with app.app_context():
        db.engine.dispose()


def test_remember_me_cookie_flags(tmp_path, database_url):
    """Flask-Login's remember-me cookie carries the same flags as the session's."""
    from flask_login import login_user

    from congress.accounts.models import User

    app = make_app(tmp_path, database_url, HTTPS=True)

    @app.get("/remember")
    def remember():
        login_user(User(id=1, email="a@example.org"), remember=True)
        return "ok"

    cookie = _cookie(
        app.test_client().get("/remember", base_url="https://congress.test"), "remember_token"
    )
    assert {"secure", "httponly"} <= set(cookie)
    assert cookie["samesite"].strip() == "SameSite=Lax"
    with app.app_context():
        db.engine.dispose()


def test_max_content_length(app, client):
    assert app.config["MAX_CONTENT_LENGTH"] == 10 * 1024 * 1024
    response = client.post("/en/", data={"x": "a" * (10 * 1024 * 1024 + 1)})
    assert response.status_code == 413
    assert "The file is too large." in response.text


@pytest.mark.parametrize("host", ["evil.example", "congress.test.evil.example"])
def test_untrusted_host_is_refused(client, host):
    response = client.get("/en/", headers={"Host": host})
    assert response.status_code == 400
    assert_security_headers(response)


def test_trusted_hosts_from_the_environment(tmp_path, database_url, monkeypatch):
    monkeypatch.setenv("CONGRESS_TRUSTED_HOSTS", "congress.example.org, .ecpat.example")
    app = make_app(tmp_path, database_url, SERVER_NAME=None)
    assert app.config["TRUSTED_HOSTS"] == [
        "congress.example.org",
        ".ecpat.example",
        "localhost",
        "127.0.0.1",
    ]
    if database_url is None:
        with app.app_context():
            db.create_all()
    client = app.test_client()
    assert client.get("/en/", headers={"Host": "congress.example.org"}).status_code == 200
    assert client.get("/en/", headers={"Host": "www.ecpat.example"}).status_code == 200
    assert client.get("/en/", headers={"Host": "127.0.0.1:5000"}).status_code == 200
    assert client.get("/en/", headers={"Host": "evil.example"}).status_code == 400
    with app.app_context():
        db.engine.dispose()


def test_behind_a_proxy(tmp_path, database_url):
    app = make_app(tmp_path, database_url, TRUSTED_PROXIES=1)

    @app.get("/whoami")
    def whoami():
        from flask import request

        return {"addr": request.remote_addr, "secure": request.is_secure}

    response = app.test_client().get(
        "/whoami",
        headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
    )
    assert response.get_json() == {"addr": "203.0.113.9", "secure": True}
    assert_security_headers(response, https=True)
    with app.app_context():
        db.engine.dispose()


def test_without_proxies_forwarded_headers_are_ignored(app, client):
    @app.get("/whoami")
    def whoami():
        from flask import request

        return {"addr": request.remote_addr, "secure": request.is_secure}

    response = client.get(
        "/whoami", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    )
    assert response.get_json() == {"addr": "127.0.0.1", "secure": False}
