"""Conditional responses for feeds: validators computed before the feed is built.

Calendar apps poll every subscribed feed again and again; an unchanged feed is
answered 304 from the validators alone, without loading a session or building
a byte of iCalendar.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from flask import Response, request
from flask_babel import get_babel
from werkzeug.http import http_date, is_resource_modified

# Part of every ETag: raise it when the same data gives other bytes (a change
# of the feed's format), so that no cache keeps a feed of the old format.
FEED_FORMAT = 1

CONTENT_TYPE = "text/calendar; charset=utf-8"
MAX_AGE = 3600


@dataclass(frozen=True)
class Validators:
    """A strong ETag and the Last-Modified date of a feed."""

    etag: str
    last_modified: datetime | None


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
    where = (request.scheme, request.host, request.root_path)
    material = (FEED_FORMAT, where, lang, _catalogue_digest(lang), key)
    digest = hashlib.blake2b(repr(material).encode(), digest_size=16).hexdigest()
    return Validators(digest, last_modified)


# Polls of one feed ask about the same few instants: format each once.
_http_date = lru_cache(maxsize=256)(http_date)


def is_fresh(validators: Validators) -> bool:
    """True when the client's copy is current (If-None-Match first, then If-Modified-Since)."""
    return not is_resource_modified(
        request.environ, etag=validators.etag, last_modified=validators.last_modified
    )


def calendar_response(
    body: bytes | None,
    validators: Validators,
    *,
    private: bool,
    filename: str | None = None,
) -> Response:
    """The feed, or a 304 without body when ``body`` is None.

    ``filename`` makes it a download (Content-Disposition: attachment).
    """
    if body is None:
        response = Response(status=304)
    else:
        response = Response(body, content_type=CONTENT_TYPE)
        if filename:
            response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.set_etag(validators.etag)
    if validators.last_modified is not None:
        response.headers["Last-Modified"] = _http_date(validators.last_modified)
    response.headers["Cache-Control"] = f"{'private' if private else 'public'}, max-age={MAX_AGE}"
    if private:
        # A personal feed's address is its only secret: keep it out of search engines.
        response.headers["X-Robots-Tag"] = "noindex"
    return response
