"""The JSON API, version 1. ``?lang=`` picks the language of the texts."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request, url_for

from congress.api import openapi, serialize
from congress.archive.queries import congresses_newest_first
from congress.congresses.queries import congress_or_404
from congress.countries.queries import country_record
from congress.db import LANGUAGES
from congress.declarations.queries import commitments_to, document_of_or_404
from congress.i18n import current_language
from congress.i18n.countries import is_country
from congress.monitoring import queries as monitoring_queries
from congress.monitoring import serialize as monitoring_serialize
from congress.programme import queries as programme_queries
from congress.programme.models import SessionKind
from congress.programme.rules import programme_is_public
from congress.security import access
from congress.statements import queries as statement_queries
from congress.statements.rules import LANGUAGES as STATEMENT_LANGUAGES

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.before_request
def refuse_unknown_language():
    """``?lang=`` of another language is a 400: a client's typo is told, not answered in
    English as if it had been understood."""
    lang = request.args.get("lang")
    if lang is not None and lang not in LANGUAGES:
        abort(400)


def _endpoints(blueprint: str) -> list[dict]:
    """The GET addresses of a blueprint for programs, each with the first line of its view's
    docstring. Pages for people (under ``/<lang>/``, such as a feed's reissue page) are not
    listed."""
    found = []
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.partition(".")[0] != blueprint or rule.endpoint == "api.index":
            continue
        if rule.rule.startswith("/<lang>/"):
            continue
        if "GET" not in (rule.methods or ()):
            continue
        doc = (current_app.view_functions[rule.endpoint].__doc__ or "").strip()
        description = doc.split("\n")[0].replace("``", "")
        found.append({"path": openapi.openapi_path(rule.rule), "description": description})
    return sorted(found, key=lambda endpoint: endpoint["path"])


@bp.get("/")
@access("public")
def index():
    """This list of the API's addresses, of the calendar feeds and of the schedule exports."""
    return {
        "version": 1,
        "openapi": url_for("api.openapi"),
        "parameters": {"lang": "the language of the texts: en (default), fr, es or pt"},
        "endpoints": _endpoints("api"),
        "calendar_feeds": _endpoints("calendar"),
        "schedule_exports": _endpoints("schedule"),
    }


@bp.get("/openapi.json", endpoint="openapi")
@access("public")
def openapi_document():
    """The OpenAPI 3.1 description of this API, with a JSON Schema for every answer."""
    return openapi.document(current_app)


@bp.get("/congresses")
@access("public")
def congresses():
    """Every congress, the newest first."""
    lang = current_language()
    return {"congresses": [serialize.congress(c, lang) for c in congresses_newest_first()]}


@bp.get("/congresses/<slug>")
@access("public")
def congress(slug: str):
    """One congress: its place, dates, hosts and figures with their sources."""
    return serialize.congress(congress_or_404(slug), current_language())


@bp.get("/congresses/<slug>/sessions")
@access("public")
def sessions(slug: str):
    """The published programme: ``?lang=`` for texts, ``?theme=<number>`` and ``?kind=`` to filter.

    404 while the programme is unpublished; 400 for a kind not listed or a theme that is not
    a number from 1.
    """
    congress = congress_or_404(slug)
    if not programme_is_public(congress):
        abort(404)
    kind = request.args.get("kind")
    theme = request.args.get("theme")
    try:
        kind = SessionKind(kind) if kind else None
    except ValueError:
        abort(400)
    if theme:
        # ASCII digits only (int() also takes "٣", " 3" and "1_0"), within what a column holds.
        first, last = openapi.THEME_NUMBERS
        if not (theme.isascii() and theme.isdigit() and first <= int(theme) <= last):
            abort(400)
        theme = int(theme)
    else:
        theme = None
    lang = current_language()
    zone = congress.zone
    found = programme_queries.sessions(congress, theme=theme, kind=kind)
    return {"sessions": [serialize.session(s, zone, lang) for s in found]}


@bp.get("/congresses/<slug>/declarations")
@access("public")
def declarations(slug: str):
    """The congress's outcome documents, each with the governments that adopted or endorsed it."""
    congress = congress_or_404(slug)
    documents = list(congress.documents)
    commitments = commitments_to(documents)
    lang = current_language()
    return {
        "congress": congress.slug,
        "declarations": [serialize.declaration(d, commitments[d.id], lang) for d in documents],
    }


def _state_code_or_404(code: str) -> str:
    """The code in capitals, if it is a State's. Letters outside ASCII are refused before
    capitals are taken: "ß".upper() is "SS", and "ı".upper() is "I"."""
    if not code.isascii() or not is_country(code.upper()):
        abort(404)
    return code.upper()


@bp.get("/countries/<code>")
@access("public")
def country(code: str):
    """One government's record across congresses; 404 for a code that is not a country."""
    code = _state_code_or_404(code)
    return serialize.country(country_record(code), current_language())


@bp.get("/countries/<code>/follow-up")
@access("public")
def country_follow_up(code: str):
    """A government's published follow-up records, oldest first, each with its source."""
    code = _state_code_or_404(code)
    lang = current_language()
    records = monitoring_queries.published_of_country(code)
    return {"country": code, "records": [monitoring_serialize.record(r, lang) for r in records]}


@bp.get("/congresses/<slug>/declarations/<doc_slug>/follow-up")
@access("public")
def document_follow_up(slug: str, doc_slug: str):
    """An outcome document's published follow-up records, with the count by area and year."""
    congress = congress_or_404(slug)
    document = document_of_or_404(congress, doc_slug)
    lang = current_language()
    records = monitoring_queries.published_of_document(document)
    until = max([congress.start_date.year, *(r.on.year for r in records)])
    _areas, rows = monitoring_queries.governments_by_year(document, records, until)
    return {
        "document": document.slug,
        "records": [monitoring_serialize.record(r, lang) for r in records],
        "governments_by_year": [
            {"area": row.key, "by_year": {str(y): n for y, n in row.by_year.items()}}
            for row in rows
        ],
    }


def _id_or_400(name: str) -> int | None:
    """``?<name>=`` as an id: ASCII digits within what an INTEGER column holds."""
    value = request.args.get(name)
    if value is None or value == "":
        return None
    first, last = openapi.IDS
    if not (value.isascii() and value.isdigit() and first <= int(value) <= last):
        abort(400)
    return int(value)


def _statement_language_or_400() -> str | None:
    value = request.args.get("language")
    if value is None or value == "":
        return None
    if value not in STATEMENT_LANGUAGES:
        abort(400)
    return value


@bp.get("/congresses/<slug>/statements")
@access("public")
def statements(slug: str):
    """The congress's published statements, session by session in the order delivered.

    `?session=<id>`, `?delegation=<id>` and `?language=` filter them; a hundred a page,
    `?page=` from 1. 400 for an id or a page that is not a number from 1 or a language not
    listed; 404 for a page after the last.
    """
    congress = congress_or_404(slug)
    filters = statement_queries.Filters(
        session_id=_id_or_400("session"),
        delegation_id=_id_or_400("delegation"),
        language=_statement_language_or_400(),
    )
    total = statement_queries.count_published(congress, filters)
    pages = max(1, -(-total // statement_queries.PAGE_SIZE))
    page = _id_or_400("page") or 1
    if page > pages:
        abort(404)
    lang = current_language()
    found = statement_queries.published(congress, filters, page=page)
    return {
        "congress": congress.slug,
        "page": page,
        "pages": pages,
        "total": total,
        "statements": [serialize.statement(s, lang) for s in found],
    }


@bp.get("/congresses/<slug>/sessions/<int:session_id>/statements")
@access("public")
def session_statements(slug: str, session_id: int):
    """One session's published statements, in the order delivered; 404 for another congress's."""
    congress = congress_or_404(slug)
    if session_id > openapi.IDS[1]:
        abort(404)
    found = statement_queries.published(congress, statement_queries.Filters(session_id=session_id))
    if not found:
        statement_queries.session_or_404(congress, session_id)
    lang = current_language()
    return {
        "congress": congress.slug,
        "statements": [serialize.statement(s, lang) for s in found],
    }


@bp.get("/countries/<code>/statements")
@access("public")
def country_statements(code: str):
    """A government's published statements across congresses, oldest first."""
    code = _state_code_or_404(code)
    lang = current_language()
    found = statement_queries.of_country(code)
    return {"country": code, "statements": [serialize.statement(s, lang) for s in found]}
