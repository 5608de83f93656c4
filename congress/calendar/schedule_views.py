"""The programme for conference apps: frab/c3voc ``schedule.xml`` and ``schedule.json``.

Schedule apps (Giggity, ConfClerk, EventFahrplan, c3nav...) poll these addresses as
calendar apps poll the feeds, so they are answered the same way: outside ``/<lang>/``
with ``?lang=`` (English by default), a 304 from one small row for a poll that sends
the current ETag, and the built bytes kept in the feed cache under that ETag.
"""

from __future__ import annotations

from functools import partial

from flask import Blueprint, Response, abort, g, redirect, request, url_for

from congress.calendar import queries, rules
from congress.calendar.http import (
    Validators,
    cached_body,
    calendar_response,
    feed_validators,
    from_poll,
    is_fresh,
    negotiate,
    session_urls,
    uid_domain,
)
from congress.calendar.schedule import ScheduleInfo, schedule_json, schedule_xml
from congress.calendar.views import in_feed_language
from congress.calendar.web_calendars import session_links
from congress.i18n.content import localize
from congress.security import access

bp = Blueprint("schedule", __name__)
# The same addresses under /<lang>/, sent on to the export in that language.
in_language = Blueprint("schedule_in_language", __name__)
# A session page's "add to calendar" links (Google Calendar, Outlook on the web).
bp.add_app_template_global(session_links, "web_calendar_links")

FORMATS = {
    "xml": (schedule_xml, "application/xml; charset=utf-8"),
    "json": (schedule_json, "application/json"),
}


def _validators(row, *, lang: str, kind: str) -> Validators:
    """From the poll's row or the congress's state: the programme's version names the bytes."""
    key = ("schedule", kind, row.programme_version)
    return feed_validators(lang, key, row.programme_changed_at)


def _response(body, validators: Validators, kind: str) -> Response:
    response = calendar_response(body, validators, private=False)
    if body is not None:
        response.content_type = FORMATS[kind][1]
    # Schedule apps that run in a browser fetch the export from their own site. It is
    # public and read without cookies, so any site may read it.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _info(state, slug: str, lang: str) -> ScheduleInfo:
    return ScheduleInfo(
        lang=lang,
        title=localize(state.name, state.original_language, lang).text,
        url=url_for("programme.timetable", slug=slug, _external=True),
        base_url=request.url_root,
        uid_domain=uid_domain(),
        session_url=session_urls(slug),
    )


def _export(slug: str, lang: str, kind: str) -> Response:
    validators_of = partial(_validators, lang=lang, kind=kind)
    answer = from_poll(partial(queries.programme_poll, slug), validators_of, kept="schedule")
    if answer is not None:
        return _response(answer.body, answer.validators, kind)
    state = queries.programme_state(slug, queries.ProgrammeFilter())
    if state is None or not rules.feed_is_public(state):
        abort(404)
    plain = _validators(state, lang=lang, kind=kind)
    validators = negotiate(plain)
    if is_fresh(validators):
        return _response(None, validators, kind)

    # Kept under the ETag of the plain bytes, as the iCalendar feeds are.
    def build() -> bytes:
        return FORMATS[kind][0](state, queries.schedule_sessions(state), _info(state, slug, lang))

    return _response(cached_body(f"schedule:{plain.etag}", validators, build), validators, kind)


@bp.get("/congresses/<slug>/schedule.xml")
@access("public")
@in_feed_language
def schedule_xml_export(slug: str, lang: str):
    """The published programme as frab's schedule XML, for conference apps (``?lang=``)."""
    return _export(slug, lang, "xml")


@bp.get("/congresses/<slug>/schedule.json")
@access("public")
@in_feed_language
def schedule_json_export(slug: str, lang: str):
    """The published programme as c3voc's schedule JSON, for conference apps (``?lang=``)."""
    return _export(slug, lang, "json")


def _to_export(endpoint: str, slug: str):
    query = {key: request.args.getlist(key) for key in request.args if key != "lang"}
    return redirect(url_for(endpoint, slug=slug, **query, lang=g.lang), code=301)


@in_language.get("/<lang>/congresses/<slug>/schedule.xml")
@access("public")
def xml_export(slug: str):
    return _to_export("schedule.schedule_xml_export", slug)


@in_language.get("/<lang>/congresses/<slug>/schedule.json")
@access("public")
def json_export(slug: str):
    return _to_export("schedule.schedule_json_export", slug)
