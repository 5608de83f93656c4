"""Calendar addresses under ``/<lang>/``, sent on to the feed in that language.

Every page lives under ``/<lang>/``, so a person who types or edits a feed's address
puts the language there too. A feed itself stays outside it (a calendar app keeps one
address for good, its language in ``?lang=``): these answer with a permanent redirect
to that address, the rest of the query kept.
"""

from __future__ import annotations

from flask import Blueprint, g, redirect, request, url_for

from congress.security import access

bp = Blueprint("calendar_in_language", __name__)


def _to_feed(endpoint: str, **values: object):
    query = {key: request.args.getlist(key) for key in request.args if key != "lang"}
    return redirect(url_for(endpoint, **values, **query, lang=g.lang), code=301)


@bp.get("/<lang>/congresses/<slug>/calendar.ics")
@access("public")
def programme_feed(slug: str):
    return _to_feed("calendar.programme_feed", slug=slug)


@bp.get("/<lang>/congresses/<slug>/sessions/<int:session_id>.ics")
@access("public")
def session_feed(slug: str, session_id: int):
    return _to_feed("calendar.session_feed", slug=slug, session_id=session_id)


@bp.get("/<lang>/feeds/<token>.ics")
@access("public")
def agenda_feed(token: str):
    # Nothing is read: the feed's own rule decides, once the app follows the redirect.
    return _to_feed("calendar.agenda_feed", token=token)
