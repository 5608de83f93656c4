"""How the feeds go over HTTP: gzip when the client takes it, an ETag and a 304 per encoding,
Vary on Accept-Encoding only, and the addresses a feed is asked at in other forms.

Headers are compared whole, the security headers (tests/test_security_headers.py) aside.
"""

from __future__ import annotations

import gzip
from datetime import datetime

import pytest
from werkzeug.http import http_date

from congress.cache import cache
from congress.extensions import db
from tests.calendar_support import (
    CHANGED,
    make_agenda,
    make_congress,
    make_delegate,
    make_session,
    make_theme,
    make_user,
    sign_in,
)

FEED = "/congresses/stockholm-2024/calendar.ics"
SECURITY = {
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
}
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def feeds(app, monkeypatch):
    """A published congress with two sessions, changed at CHANGED; an agenda of a delegate."""
    with monkeypatch.context() as clock, app.app_context():
        clock.setattr("congress.programme.versions.utcnow", lambda: CHANGED)
        congress = make_congress()
        theme = make_theme(congress, 1, {"en": "Prevention"})
        opening = make_session(
            congress,
            "Opening " + "of the congress, " * 40,
            datetime(2024, 10, 25, 9),
            datetime(2024, 10, 25, 10),
            theme=theme,
        )
        make_session(congress, "Closing", datetime(2024, 10, 28, 16), datetime(2024, 10, 28, 17))
        delegate = make_delegate(congress, "carla@example.org")
        token = make_agenda(congress, [opening], delegate_id=delegate.id).feed_token
        db.session.commit()
        return {"session": opening.id, "token": token}


def _headers(response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name not in SECURITY}


def test_gzip_for_a_client_that_takes_it_and_the_plain_feed_for_the_others(app, client, feeds):
    plain = client.get(FEED)
    zipped = client.get(FEED, headers=GZIP)
    etag = plain.headers["ETag"].strip('"')
    assert len(etag) == 32
    assert _headers(plain) == {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Length": str(len(plain.data)),
        "Vary": "Accept-Encoding",
        "ETag": f'"{etag}"',
        "Last-Modified": http_date(CHANGED),
        "Cache-Control": "public, max-age=3600",
    }
    assert _headers(zipped) == {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Length": str(len(zipped.data)),
        "Content-Encoding": "gzip",
        "Vary": "Accept-Encoding",
        "ETag": f'"{etag}-gzip"',
        "Last-Modified": http_date(CHANGED),
        "Cache-Control": "public, max-age=3600",
    }
    assert plain.data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert gzip.decompress(zipped.data) == plain.data
    assert len(zipped.data) < len(plain.data) / 3
    # Refused by q=0, or not named: the plain feed.
    for refusing in ("gzip;q=0", "identity", "br"):
        response = client.get(FEED, headers={"Accept-Encoding": refusing})
        assert "Content-Encoding" not in response.headers, refusing
        assert response.headers["ETag"] == f'"{etag}"'
        assert response.data == plain.data


def test_the_cached_feed_is_kept_gzipped(app, client, feeds):
    plain = client.get(FEED)
    etag = plain.headers["ETag"].strip('"')
    with app.app_context():
        kept = cache().find(f"feed:{etag}", gzipped=True).read_bytes()
        assert cache().find(f"feed:{etag}", gzipped=False).read_bytes() == plain.data
    assert kept == client.get(FEED, headers=GZIP).data
    assert gzip.decompress(kept) == plain.data
    # Gzipped without a timestamp: the same bytes for the same feed, every time.
    assert kept[4:8] == b"\x00\x00\x00\x00"


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_304_for_each_encoding_with_its_own_etag(app, client, feeds, encoding):
    accept = {"Accept-Encoding": encoding}
    first = client.get(FEED, headers=accept)
    etag = first.headers["ETag"]
    other = client.get(FEED, headers={"Accept-Encoding": "gzip" if encoding == "identity" else ""})
    assert other.headers["ETag"] != etag

    for condition in ({"If-None-Match": etag}, {"If-Modified-Since": http_date(CHANGED)}):
        again = client.get(FEED, headers={**accept, **condition})
        assert again.status_code == 304, condition
        assert again.data == b""
        # What a 304 must carry (RFC 9110, 15.4.5); Werkzeug leaves Last-Modified out.
        assert _headers(again) == {
            "Vary": "Accept-Encoding",
            "ETag": etag,
            "Cache-Control": "public, max-age=3600",
        }
    # The other encoding's ETag is another representation: the feed, whole, in this one.
    crossed = client.get(FEED, headers={**accept, "If-None-Match": other.headers["ETag"]})
    assert crossed.status_code == 200
    assert crossed.headers["ETag"] == etag
    assert crossed.data == first.data


def test_every_feed_is_gzipped_with_the_same_headers(app, client, feeds):
    for url, cache_control in (
        (f"/congresses/stockholm-2024/sessions/{feeds['session']}.ics", "public, max-age=3600"),
        (f"/feeds/{feeds['token']}.ics", "private, max-age=3600"),
    ):
        plain = client.get(url)
        zipped = client.get(url, headers=GZIP)
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped.data) == plain.data
        assert zipped.headers["ETag"] == plain.headers["ETag"][:-1] + '-gzip"'
        assert (zipped.headers["Vary"], plain.headers["Vary"]) == ("Accept-Encoding",) * 2
        assert zipped.headers["Cache-Control"] == cache_control
        poll = client.get(url, headers={**GZIP, "If-None-Match": zipped.headers["ETag"]})
        assert (poll.status_code, poll.headers["ETag"]) == (304, zipped.headers["ETag"])


def test_a_signed_in_visitor_gets_the_feed_everyone_gets_without_cookies(app, client, feeds):
    """No Vary: Cookie, no Set-Cookie: shared caches keep one copy for everyone."""
    anonymous = client.get(FEED, headers=GZIP)
    with app.app_context():
        user = make_user("reader@example.org")
        db.session.commit()
    sign_in(client, user)
    for url in (FEED, f"/feeds/{feeds['token']}.ics", f"{FEED}/", f"{FEED}?lang=de"):
        response = client.get(url, headers=GZIP)
        assert "Cookie" not in response.headers.get("Vary", ""), url
        assert "Set-Cookie" not in response.headers, url
    signed_in = client.get(FEED, headers=GZIP)
    assert (signed_in.headers["ETag"], signed_in.data) == (
        anonymous.headers["ETag"],
        anonymous.data,
    )
    # Pages still vary by cookie: the session is left out of feeds only.
    assert client.get("/en/").headers["Vary"] == "Cookie"


@pytest.mark.parametrize(
    ("asked", "location"),
    [
        # A trailing slash: the feed's own address, query kept.
        (f"{FEED}/", FEED),
        (f"{FEED}/?lang=fr&theme=1", f"{FEED}?lang=fr&theme=1"),
        ("/congresses/stockholm-2024/sessions/7.ics/", "/congresses/stockholm-2024/sessions/7.ics"),
        ("/feeds/abc.ics/?lang=es", "/feeds/abc.ics?lang=es"),
        # Under /<lang>/, with or without the slash: the path's language.
        ("/fr/congresses/stockholm-2024/calendar.ics/", f"{FEED}?lang=fr"),
        ("/pt/congresses/stockholm-2024/calendar.ics?lang=de&kind=workshop", None),
        # An unknown ?lang=: the language it names, or English (no lang) when none.
        (f"{FEED}?lang=FR", f"{FEED}?lang=fr"),
        (f"{FEED}?lang=pt-BR&theme=1", f"{FEED}?theme=1&lang=pt"),
        (f"{FEED}?lang=es_ES", f"{FEED}?lang=es"),
        (f"{FEED}?lang=de", FEED),
        (f"{FEED}?lang=", FEED),
        (f"{FEED}?theme=1&lang=zz", f"{FEED}?theme=1"),
        (
            "/congresses/stockholm-2024/sessions/7.ics?lang=EN",
            "/congresses/stockholm-2024/sessions/7.ics?lang=en",
        ),
        ("/feeds/abc.ics?lang=xx", "/feeds/abc.ics"),
    ],
)
def test_other_forms_of_a_feeds_address_redirect_to_it(app, client, asked, location):
    response = client.get(asked)
    assert response.status_code == 301
    if location is None:
        location = f"{FEED}?kind=workshop&lang=pt"
    assert response.headers["Location"] == location
    # The target answers (a 404 for unknown sessions and tokens, but never another redirect).
    assert client.get(location).status_code in (200, 404)


def test_a_known_lang_is_served_where_it_is_asked(app, client, feeds):
    for lang in ("en", "fr", "es", "pt"):
        response = client.get(f"{FEED}?lang={lang}")
        assert response.status_code == 200, lang
        assert f"?lang={lang}".encode() in response.data.replace(b"\r\n ", b"")
    assert client.get(FEED).data == client.get(f"{FEED}?lang=en").data
