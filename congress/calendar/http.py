"""Conditional responses for feeds: validators computed before the feed is built.

Calendar apps poll every subscribed feed again and again; an unchanged feed is
answered 304 from the validators alone, without loading a session or building
a byte of iCalendar.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from flask import Response, current_app, request, send_file, url_for
from flask_babel import get_babel
from werkzeug.http import http_date, is_resource_modified

from congress.cache import cache
from congress.security.sessions import cookieless

# Part of every ETag: raise it when the same data gives other bytes (a change
# of the feed's format), so that no cache keeps a feed of the old format.
# 2: the zone's whole VTIMEZONE, UIDs with a domain, one CATEGORIES, unverified marked.
FEED_FORMAT = 2

CONTENT_TYPE = "text/calendar; charset=utf-8"
MAX_AGE = 3600


@dataclass(frozen=True)
class Validators:
    """A strong ETag and the Last-Modified date of a feed."""

    etag: str
    last_modified: datetime | None
    # Whether the body goes out gzipped: each encoding is its own representation,
    # with its own ETag (RFC 9110, 8.8.3).
    gzip: bool = False


def negotiate(validators: Validators) -> Validators:
    """The validators of the encoding this request gets: gzip when the client accepts it."""
    if request.accept_encodings["gzip"] <= 0:
        return validators
    return replace(validators, etag=f"{validators.etag}-gzip", gzip=True)


def compress(body: bytes) -> bytes:
    """``body`` gzipped, the same bytes every time (no timestamp in the header)."""
    return gzip.compress(body, compresslevel=6, mtime=0)


def encoded(body: bytes, validators: Validators) -> bytes:
    """``body`` in the encoding ``validators`` chose."""
    return compress(body) if validators.gzip else body


def kept_file(key: str, validators: Validators) -> BinaryIO | None:
    """The kept file of ``key`` in the encoding ``validators`` chose, open; None if not kept.

    ``key`` names the plain bytes (``kind:<ETag of the plain feed>``). The file is
    opened here, so that one pruned since it was found counts as not kept, and one
    pruned once open is still read whole.
    """
    found = cache().find(key, gzipped=validators.gzip)
    if found is None:
        return None
    try:
        return found.open("rb")
    except FileNotFoundError:
        return None


def cached_body(key: str, validators: Validators, build: Callable[[], bytes]) -> bytes | BinaryIO:
    """The body in the encoding ``validators`` chose: the kept file, open, or built and kept."""
    found = kept_file(key, validators)
    if found is not None:
        return found
    plain = build()
    gzipped = compress(plain)
    cache().keep(key, plain, gzipped)
    return gzipped if validators.gzip else plain


def uid_domain() -> str:
    """The domain part of the feeds' UIDs: UID_DOMAIN, else SERVER_NAME's host, else the request's.

    Set UID_DOMAIN where the site answers to several names, so that every
    address gives a calendar the same UIDs.
    """
    config = current_app.config
    host = config.get("UID_DOMAIN") or config.get("SERVER_NAME") or request.host
    return urlsplit(f"//{host}").hostname or "localhost"


def session_urls(slug: str) -> Callable[[object], str]:
    """Each session's page, for the events of a feed or a schedule export.

    One ``url_for`` for the whole feed: building the address anew for each of 300 sessions
    cost a tenth of the feed's own work. The session's id ends the address.
    """
    prefix = url_for("programme.session", slug=slug, session_id=0, _external=True)
    prefix = prefix.removesuffix("0")
    return lambda session: f"{prefix}{session.id}"


@lru_cache(maxsize=1)
def _zone_data_version() -> str:
    """The version of the zone data VTIMEZONEs are built from: new data, new feeds.

    zoneinfo reads the system's data first (its first line names the version),
    then the tzdata package's.
    """
    for directory in zoneinfo.TZPATH:
        path = Path(directory) / "tzdata.zi"
        if path.exists():
            with path.open(encoding="utf-8") as file:
                return file.readline().strip()
    try:
        return f"tzdata {package_version('tzdata')}"
    except PackageNotFoundError:
        return ""


@lru_cache(maxsize=8)
def _catalogue_digest(lang: str) -> str:
    """The compiled catalogue of ``lang``: new translations change the feeds' words."""
    for directory in get_babel().translation_directories:
        path = Path(directory) / lang / "LC_MESSAGES" / "messages.mo"
        if path.exists():
            return hashlib.blake2b(path.read_bytes(), digest_size=8).hexdigest()
    return ""


def feed_validators(lang: str, key: tuple, last_modified: datetime | None) -> Validators:
    """Validators from whatever shapes a feed's bytes, and the time of its last change.

    ``key`` names the feed (its kind and filters) and the versions of what it
    shows (congress.programme.versions). The host is part of it because the
    feed holds absolute addresses, the catalogue of ``lang`` because it names
    kinds and calendars.
    """
    where = (request.scheme, request.host, request.root_path, uid_domain())
    material = (FEED_FORMAT, _zone_data_version(), where, lang, _catalogue_digest(lang), key)
    digest = hashlib.blake2b(repr(material).encode(), digest_size=16).hexdigest()
    return Validators(digest, last_modified)


# Polls of one feed ask about the same few instants: format each once.
_http_date = lru_cache(maxsize=256)(http_date)


def is_fresh(validators: Validators) -> bool:
    """True when the client's copy is current (If-None-Match first, then If-Modified-Since)."""
    return not is_resource_modified(
        request.environ, etag=validators.etag, last_modified=validators.last_modified
    )


@dataclass(frozen=True)
class PollAnswer:
    """What the row of versions alone answers: a 304 (``body`` None) or the kept feed."""

    validators: Validators
    body: BinaryIO | None


def from_poll(read_poll, validators_of, *, kept: str | None = None) -> PollAnswer | None:
    """A 304, or the kept feed, from the small row of versions alone; None otherwise.

    ``read_poll`` reads that row (congress.calendar.queries), ``validators_of``
    makes the feed's validators of it. Versions are random and new with every
    change, so an ETag that matches them was given out for this very state of the
    feed: the feed was public then, its theme or room existed, and all of it still
    holds. So it is for a feed kept under that ETag, for feeds the cache keeps
    (``kept`` names their kind there). Otherwise nothing more is known, and the
    caller reads the feed's state.
    """
    if not request.if_none_match and kept is None:
        return None
    poll = read_poll()
    if poll is None:
        return None
    plain = validators_of(poll)
    validators = negotiate(plain)
    # If-None-Match, when sent, decides alone, by the weak comparison (RFC 9110, 13.1.2).
    if request.if_none_match:
        if request.if_none_match.contains_weak(validators.etag):
            return PollAnswer(validators, None)
        return None
    found = kept_file(f"{kept}:{plain.etag}", validators)
    if found is None:
        return None
    if is_fresh(validators):
        found.close()
        return PollAnswer(validators, None)
    return PollAnswer(validators, found)


def calendar_response(
    body: bytes | BinaryIO | None,
    validators: Validators,
    *,
    private: bool,
    filename: str | None = None,
) -> Response:
    """The feed, or a 304 without body when ``body`` is None.

    ``body`` is in the encoding ``validators`` chose (:func:`encoded`): bytes, or a
    kept file open for reading (:func:`cached_body`).
    ``filename`` makes it a download (Content-Disposition: attachment).
    """
    if body is None:
        response = Response(status=304)
    elif isinstance(body, bytes):
        response = Response(body, content_type=CONTENT_TYPE)
    else:
        # A kept file goes out through the server's file wrapper (sendfile), not Python.
        response = send_file(body, mimetype="text/calendar", conditional=False, etag=False)
        response.content_type = CONTENT_TYPE
        response.content_length = os.fstat(body.fileno()).st_size
    if body is not None:
        if validators.gzip:
            response.headers["Content-Encoding"] = "gzip"
        if filename:
            response.headers.set("Content-Disposition", "attachment", filename=filename)
    # The encoding follows Accept-Encoding, and nothing else of the request: no cookie.
    response.headers["Vary"] = "Accept-Encoding"
    response.set_etag(validators.etag)
    if validators.last_modified is not None:
        response.headers["Last-Modified"] = _http_date(validators.last_modified)
    response.headers["Cache-Control"] = f"{'private' if private else 'public'}, max-age={MAX_AGE}"
    if private:
        # A personal feed's address is its only secret: keep it out of search engines.
        response.headers["X-Robots-Tag"] = "noindex"
    # A feed reads no cookie: its address (and its secret, for an agenda) says it all.
    return cookieless(response)
