"""Feed addresses written another way, sent on to the feed's own address.

Every page lives under ``/<lang>/``, so a person who types or edits a feed's address
puts the language there too; some add a trailing slash. A feed itself stays outside
``/<lang>/`` (a calendar app keeps one address for good, its language in ``?lang=``)
and ends in ``.ics``: these answer with a permanent redirect to that address, the
rest of the query kept. Nothing is read: the feed's own rule decides, once the app
follows the redirect.
"""

from __future__ import annotations

from flask import Blueprint, g, redirect, request, url_for

from congress.security import access
from congress.security.sessions import cookieless

bp = Blueprint("calendar_in_language", __name__)


def _to_feed(endpoint: str, **values: object):
    # Under /<lang>/ the path's language wins over a ?lang= beside it.
    in_path = "lang" in g
    query = {key: request.args.getlist(key) for key in request.args if not in_path or key != "lang"}
    if in_path:
        query["lang"] = g.lang
    return cookieless(redirect(url_for(endpoint, **values, **query), code=301))


@bp.get("/<lang>/congresses/<slug>/calendar.ics")
@bp.get("/<lang>/congresses/<slug>/calendar.ics/")
@bp.get("/congresses/<slug>/calendar.ics/")
@access("public")
def programme_feed(slug: str):
    return _to_feed("calendar.programme_feed", slug=slug)


@bp.get("/<lang>/congresses/<slug>/sessions/<int:session_id>.ics")
@bp.get("/<lang>/congresses/<slug>/sessions/<int:session_id>.ics/")
@bp.get("/congresses/<slug>/sessions/<int:session_id>.ics/")
@access("public")
def session_feed(slug: str, session_id: int):
    return _to_feed("calendar.session_feed", slug=slug, session_id=session_id)


@bp.get("/<lang>/feeds/<token>.ics")
@bp.get("/<lang>/feeds/<token>.ics/")
@bp.get("/feeds/<token>.ics/")
@access("public")
def agenda_feed(token: str):
    return _to_feed("calendar.agenda_feed", token=token)
