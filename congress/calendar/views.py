"""Calendar feeds: the programme, one session, a personal agenda; and reissuing a feed's address.

The feeds live outside ``/<lang>/`` because a calendar app keeps one address
for good; their language is ``?lang=`` (English by default).
"""

from __future__ import annotations

from functools import partial

from flask import Blueprint, Response, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from congress.cache import cache
from congress.calendar import queries, rules
from congress.calendar.http import (
    MAX_AGE,
    Validators,
    calendar_response,
    feed_validators,
    is_fresh,
)
from congress.calendar.ical import CalendarInfo, build_calendar
from congress.calendar.queries import ProgrammeFilter
from congress.congresses.models import Congress
from congress.db import LANGUAGES
from congress.extensions import db
from congress.i18n import current_language
from congress.programme.queries import agenda_of
from congress.security import access

bp = Blueprint("calendar", __name__)


@bp.app_template_global()
def agenda_feed_url(congress, *, user_id: int | None = None, delegate_id: int | None = None):
    """The address of a personal agenda's feed, in the page's language; None without an agenda."""
    agenda = agenda_of(congress, user_id=user_id, delegate_id=delegate_id)
    if agenda is None:
        return None
    return url_for(
        "calendar.agenda_feed", token=agenda.feed_token, lang=current_language(), _external=True
    )


def _feed_language() -> str:
    lang = request.args.get("lang")
    lang = lang if lang in LANGUAGES else "en"
    # gettext and the links inside the feed follow it.
    g.lang = lang
    return lang


def _session_url(slug: str):
    def url(session) -> str:
        return url_for("programme.session", slug=slug, session_id=session.id, _external=True)

    return url


def _public_state(state):
    """The state of a public feed; 404 for an unknown congress or an unpublished programme."""
    if state is None or not rules.feed_is_public(state):
        abort(404)
    return state


def _programme_validators(row, *, lang: str, key: tuple) -> Validators:
    """Validators of a feed of the programme, from a poll's row or the feed's state."""
    return feed_validators(lang, (*key, row.programme_version), row.programme_changed_at)


def _agenda_validators(row, *, lang: str) -> Validators:
    versions = ("agenda", row.programme_version, row.agenda_version)
    changes = [t for t in (row.programme_changed_at, row.agenda_changed_at) if t is not None]
    return feed_validators(lang, versions, max(changes, default=None))


def _answer_poll(read_poll, validators_of, *, private: bool) -> Response | None:
    """304 for a calendar app polling with the ETag of the current feed; None otherwise.

    ``read_poll`` reads the one small row of versions, only for a request that
    sends If-None-Match. Versions are random and new with every change, so a
    matching ETag was given out for this very state of the feed: the feed was
    public then, its theme or room existed, and all of it still holds. Nothing
    more needs reading.
    """
    if not request.if_none_match:
        return None
    poll = read_poll()
    if poll is None:
        return None
    validators = validators_of(poll)
    # If-None-Match, when sent, decides alone, by the weak comparison (RFC 9110, 13.1.2).
    if not request.if_none_match.contains_weak(validators.etag):
        return None
    return calendar_response(None, validators, private=private)


def _download_name(name: str) -> str | None:
    return name if request.args.get("download") == "1" else None


@bp.get("/congresses/<slug>/calendar.ics")
@access("public")
def programme_feed(slug: str):
    """The whole programme, or the sessions of one theme, kind or room."""
    lang = _feed_language()
    try:
        selected = ProgrammeFilter.from_args(request.args)
    except ValueError:
        abort(404)
    validators_of = partial(_programme_validators, lang=lang, key=("programme", selected))
    answer = _answer_poll(partial(queries.programme_poll, slug), validators_of, private=False)
    if answer is not None:
        return answer
    state = _public_state(queries.programme_state(slug, selected))
    validators = validators_of(state)
    if is_fresh(validators):
        return calendar_response(None, validators, private=False)
    # Apps that poll without If-None-Match get the feed built once per change: the
    # ETag names everything the bytes are made of.
    cache_key = f"feed:{validators.etag}"
    body = cache().get(cache_key)
    if body is None:
        info = CalendarInfo(
            name=rules.programme_feed_name(state, selected, lang),
            lang=lang,
            url=url_for("programme.timetable", slug=slug, **selected.as_args(), _external=True),
            source=url_for(
                "calendar.programme_feed",
                slug=slug,
                lang=lang,
                **selected.as_args(),
                _external=True,
            ),
        )
        sessions = queries.programme_sessions(state, selected)
        body = build_calendar(state, sessions, info, _session_url(slug))
        cache().set(cache_key, body, ttl=MAX_AGE)
    return calendar_response(
        body, validators, private=False, filename=_download_name(f"{slug}.ics")
    )


@bp.get("/congresses/<slug>/sessions/<int:session_id>.ics")
@access("public")
def session_feed(slug: str, session_id: int):
    """One session, to download into a calendar (or subscribe to, to follow its changes)."""
    lang = _feed_language()
    validators_of = partial(_programme_validators, lang=lang, key=("session", session_id))
    answer = _answer_poll(partial(queries.programme_poll, slug), validators_of, private=False)
    if answer is not None:
        return answer
    state = _public_state(queries.session_state(slug, session_id))
    validators = validators_of(state)
    if is_fresh(validators):
        return calendar_response(None, validators, private=False)
    info = CalendarInfo(
        name=rules.session_feed_name(state, lang),
        lang=lang,
        url=url_for("programme.session", slug=slug, session_id=session_id, _external=True),
        source=url_for(
            "calendar.session_feed", slug=slug, session_id=session_id, lang=lang, _external=True
        ),
    )
    body = build_calendar(state, queries.one_session(state, session_id), info, _session_url(slug))
    filename = _download_name(f"{slug}-session-{session_id}.ics")
    return calendar_response(body, validators, private=False, filename=filename)


@bp.get("/feeds/<token>.ics")
@access("token")
def agenda_feed(token: str):
    """A personal agenda at its secret address: no sign-in, and only that agenda's sessions."""
    lang = _feed_language()
    validators_of = partial(_agenda_validators, lang=lang)
    answer = _answer_poll(partial(queries.agenda_poll, token), validators_of, private=True)
    if answer is not None:
        return answer
    state = queries.agenda_state(token)
    if state is None:
        abort(404)
    validators = validators_of(state)
    if is_fresh(validators):
        return calendar_response(None, validators, private=True)
    # No SOURCE: the address is a secret, and a copy of the file may be passed on.
    info = CalendarInfo(name=rules.agenda_feed_name(state, lang), lang=lang)
    # Before publication an agenda's feed is a valid calendar with nothing in it.
    sessions = queries.agenda_sessions(state) if rules.feed_is_public(state) else []
    body = build_calendar(state, sessions, info, _session_url(state.slug))
    filename = _download_name(f"{state.slug}-agenda.ics")
    return calendar_response(body, validators, private=True, filename=filename)


def _flash_issued(replaced: bool) -> None:
    if replaced:
        flash(_("Your calendar has a new address. The old one no longer works."), "success")
    else:
        flash(_("Your agenda has its calendar address."), "success")


@bp.post("/<lang>/congresses/<slug>/agenda/feed")
@access("signed_in")
def reissue_user_feed(slug: str):
    """The signed-in owner gives their agenda's feed a new address; the old one answers 404."""
    congress = db.session.scalar(select(Congress).where(Congress.slug == slug))
    if congress is None:
        abort(404)
    replaced = rules.issue_feed(congress, user_id=current_user.id)
    db.session.commit()
    _flash_issued(replaced)
    return redirect(url_for("programme.my_agenda", slug=slug))


@bp.post("/<lang>/agenda/<token>/feed")
@access("token")
def reissue_delegate_feed(token: str):
    """The same for a delegate, through the personal link mailed at accreditation."""
    delegate = rules.delegate_by_token(token)
    if delegate is None:
        abort(404)
    congress = db.session.get(Congress, delegate.congress_id)
    replaced = rules.issue_feed(congress, delegate_id=delegate.id)
    db.session.commit()
    _flash_issued(replaced)
    return redirect(url_for("programme.delegate_agenda", token=token))
