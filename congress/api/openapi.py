"""The OpenAPI 3.1 description of the JSON API, served at ``/api/v1/openapi.json``.

Kept beside the views it describes: each operation below names its view's endpoint, and
its summary and description are the first line and the rest of that view's docstring.
Enumerations are read from the models' enums, so a new kind or status reaches the
description with the code. ``tests/test_api_openapi.py`` holds the document to the
blueprint's rules (every rule with its methods and path parameters, and nothing else),
and ``tests/test_api_schemathesis.py`` holds every answer to its schema.

HEAD and OPTIONS, which Flask answers for every GET, are left out, as OpenAPI leaves them
implicit.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any

from flask import Flask

from congress.archive.models import Adoption, Reliability
from congress.congresses.models import CongressStatus
from congress.db import LANGUAGES
from congress.declarations.models import CommitmentKind
from congress.monitoring.models import RecordKind
from congress.programme.models import SessionKind, SessionRole, SessionStatus
from congress.statements.rules import LANGUAGES as STATEMENT_LANGUAGES

OPENAPI_VERSION = "3.1.0"

# A theme's number is an INTEGER column: PostgreSQL holds up to 2**31 - 1 there, and a
# larger number in a query is refused by the database, so the API refuses it first.
THEME_NUMBERS = (1, 2**31 - 1)
# Ids in a query or a path: the same bounds.
IDS = (1, 2**31 - 1)

# Flask's <converter:name> as the {name} of URI templates (RFC 6570) and OpenAPI.
_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
_TEMPLATE_VARIABLE = re.compile(r"\{([^{}]+)\}")


def openapi_path(rule: str) -> str:
    """A Flask rule as OpenAPI writes its path: ``/congresses/<slug>`` → ``/congresses/{slug}``."""
    return _VARIABLE.sub(r"{\1}", rule)


def path_variables(path: str) -> list[str]:
    return _TEMPLATE_VARIABLE.findall(path)


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _values(kind: type[enum.Enum]) -> list[str]:
    return [member.value for member in kind]


def _object(properties: dict[str, Any], description: str | None = None) -> dict:
    """A JSON object with exactly these properties: a field added to an answer and not
    described here makes the schemathesis test fail, so the description keeps up."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


STRING = {"type": "string"}
TEXT_OR_NULL = {"type": ["string", "null"]}
DATE = {"type": "string", "format": "date"}
DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
UTC_INSTANT = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
    "description": "An instant in UTC, to the second.",
}
LOCAL_TIME = {
    "type": "string",
    "format": "date-time",
    "description": "A wall-clock time in the congress's zone, with that zone's offset.",
}
COUNTRY_CODE = {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2."}
ID = {"type": "integer", "minimum": 1}
COUNT = {"type": "integer", "minimum": 0}


def _schemas() -> dict[str, dict]:
    figure = _object(
        {
            "measure": STRING,
            "value": {"type": "integer"},
            "qualifier": {
                "type": ["string", "null"],
                "description": "How the value is to be read, e.g. 'over' or 'about'.",
            },
            "counts": {**STRING, "description": "What the value counts, in the language asked."},
            "reliability": {"enum": _values(Reliability)},
            "source": STRING,
            "source_url": TEXT_OR_NULL,
            "note": TEXT_OR_NULL,
        },
        "A figure of a congress, with its source and how far it can be relied on.",
    )
    congress = _object(
        {
            "slug": STRING,
            "ordinal": {"type": ["integer", "null"]},
            "name": STRING,
            "city": STRING,
            "country": COUNTRY_CODE,
            "venue": TEXT_OR_NULL,
            "timezone": {**STRING, "description": "An IANA time zone."},
            "start_date": DATE,
            "end_date": DATE,
            "status": {"enum": _values(CongressStatus)},
            "is_demo": {"type": "boolean"},
            "figures": {"type": "array", "items": _ref("Figure")},
        },
        "A congress; texts in the language asked, or in the original language when the "
        "sources give none in it.",
    )
    named = _object({"number": ID, "name": STRING})
    session = _object(
        {
            "id": ID,
            "uid": {**STRING, "description": "Stays the same through every change."},
            "title": STRING,
            "kind": {"enum": _values(SessionKind)},
            "theme": {"oneOf": [{"type": "null"}, named]},
            "room": {"oneOf": [{"type": "null"}, _object({"id": ID, "name": STRING})]},
            "status": {"enum": _values(SessionStatus)},
            "revision": {**COUNT, "description": "Changes since publication."},
            "starts_at": LOCAL_TIME,
            "ends_at": LOCAL_TIME,
            "starts_at_utc": UTC_INSTANT,
            "ends_at_utc": UTC_INSTANT,
            "illustrative": {
                "type": "boolean",
                "description": "The time is not known from the sources; it is shown as an "
                "illustration.",
            },
            "end_illustrative": {"type": "boolean"},
            "working_languages": {"type": "array", "items": STRING},
        },
        "A session of the published programme; a cancelled one stays, with its status.",
    )
    commitment = _object(
        {
            "country": COUNTRY_CODE,
            "name": {**STRING, "description": "The government's name at the time."},
            "kind": {"enum": _values(CommitmentKind)},
            "on": DATE_OR_NULL,
            "through_delegation": {"type": "boolean"},
            "note": TEXT_OR_NULL,
        }
    )
    declaration = _object(
        {
            "slug": STRING,
            "title": STRING,
            "title_language": {
                "enum": list(LANGUAGES),
                "description": "The language of `title`: the one asked, or the one it fell "
                "back to.",
            },
            "titles": {
                "type": "object",
                "additionalProperties": STRING,
                "description": "Every known translation of the title, by language.",
            },
            "adopted_on": DATE_OR_NULL,
            "adoption": {"enum": _values(Adoption)},
            "adoption_note": TEXT_OR_NULL,
            "text_url": TEXT_OR_NULL,
            "text_source": TEXT_OR_NULL,
            "source": TEXT_OR_NULL,
            "source_url": TEXT_OR_NULL,
            "counts": _object({kind.value: COUNT for kind in CommitmentKind}),
            "commitments": {"type": "array", "items": _ref("Commitment")},
        },
        "An outcome document with the governments that adopted or later endorsed it, "
        "adoptions first, each list in the order of the language asked.",
    )
    country = _object(
        {
            "code": COUNTRY_CODE,
            "name": STRING,
            "delegations": {
                "type": "array",
                "items": _object(
                    {
                        "congress": STRING,
                        "start_date": DATE,
                        "name_at_the_time": STRING,
                        "delegates": COUNT,
                    }
                ),
            },
            "sessions": {
                "type": "array",
                "items": _object(
                    {
                        "congress": STRING,
                        "id": ID,
                        "uid": STRING,
                        "title": STRING,
                        "starts_at_utc": UTC_INSTANT,
                        "roles": {"type": "array", "items": {"enum": _values(SessionRole)}},
                    }
                ),
            },
            "commitments": {
                "type": "array",
                "items": _object(
                    {
                        "congress": STRING,
                        "document": STRING,
                        "title": STRING,
                        "kind": {"enum": _values(CommitmentKind)},
                        "on": DATE_OR_NULL,
                    }
                ),
            },
        },
        "A government's record across congresses: accredited delegations, sessions it "
        "chaired or spoke in, commitments.",
    )
    record = _object(
        {
            "id": ID,
            "country_code": COUNTRY_CODE,
            "country": {**STRING, "description": "The country's name on the record's date."},
            "congress": STRING,
            "document": STRING,
            "area": {**STRING, "description": "An area of action; empty: the whole document."},
            "area_title": STRING,
            "date": DATE,
            "kind": {"enum": _values(RecordKind)},
            "text": STRING,
            "source": STRING,
            "source_url": {**STRING, "description": "Empty when the source has no address."},
            "reliability": {"enum": _values(Reliability)},
            "organisation": {**STRING, "description": "The monitoring organisation."},
            "synthetic": {"type": "boolean", "description": "Made up for the demo congress."},
        },
        "A published follow-up record, with its source in every row.",
    )
    statement = _object(
        {
            "id": ID,
            "url": {**STRING, "description": "The statement's own page."},
            "congress": STRING,
            "session": _object({"id": ID, "title": STRING}),
            "delegation": _object(
                {
                    "country_code": {
                        "type": ["string", "null"],
                        "pattern": "^[A-Z]{2}$",
                        "description": "A State's code; null for an organisation.",
                    },
                    "name": {
                        **STRING,
                        "description": "The State's United Nations name on the day of the "
                        "session, or the organisation's name.",
                    },
                }
            ),
            "speaker": TEXT_OR_NULL,
            "language": {"enum": list(STATEMENT_LANGUAGES), "description": "As delivered."},
            "position": {**COUNT, "description": "The order delivered in its session."},
            "texts": {
                "type": "array",
                "items": _object(
                    {
                        "language": {"enum": list(STATEMENT_LANGUAGES)},
                        "text": STRING,
                        "pdf": {
                            "type": ["string", "null"],
                            "description": "The PDF as sent, if it came as one.",
                        },
                    }
                ),
            },
            "synthetic": {"type": "boolean", "description": "Made up for the demo congress."},
        },
        "A delegation's published statement in a session.",
    )
    endpoint = _object({"path": STRING, "description": STRING})
    return {
        "Error": _object(
            {"error": STRING, "status": {"type": "integer", "minimum": 400, "maximum": 599}},
            "What went wrong, and the status code again.",
        ),
        "Index": _object(
            {
                "version": {"const": 1},
                "openapi": {**STRING, "description": "The address of this description."},
                "parameters": {"type": "object", "additionalProperties": STRING},
                "endpoints": {"type": "array", "items": endpoint},
                "calendar_feeds": {"type": "array", "items": endpoint},
                "schedule_exports": {"type": "array", "items": endpoint},
            }
        ),
        "OpenAPI": {
            "type": "object",
            "required": ["openapi", "info", "paths", "components"],
            "properties": {"openapi": {"const": OPENAPI_VERSION}},
            "description": "This document.",
        },
        "Figure": figure,
        "Congress": congress,
        "CongressList": _object({"congresses": {"type": "array", "items": _ref("Congress")}}),
        "Session": session,
        "SessionList": _object({"sessions": {"type": "array", "items": _ref("Session")}}),
        "Commitment": commitment,
        "Declaration": declaration,
        "DeclarationList": _object(
            {"congress": STRING, "declarations": {"type": "array", "items": _ref("Declaration")}}
        ),
        "Country": country,
        "FollowUpRecord": record,
        "Statement": statement,
        "StatementList": _object(
            {"congress": STRING, "statements": {"type": "array", "items": _ref("Statement")}}
        ),
        "StatementPage": _object(
            {
                "congress": STRING,
                "page": ID,
                "pages": ID,
                "total": {**COUNT, "description": "Statements on every page together."},
                "statements": {"type": "array", "items": _ref("Statement")},
            },
            "A page of a congress's statements, a hundred at most.",
        ),
        "CountryStatements": _object(
            {"country": COUNTRY_CODE, "statements": {"type": "array", "items": _ref("Statement")}}
        ),
        "CountryFollowUp": _object(
            {"country": COUNTRY_CODE, "records": {"type": "array", "items": _ref("FollowUpRecord")}}
        ),
        "DocumentFollowUp": _object(
            {
                "document": STRING,
                "records": {"type": "array", "items": _ref("FollowUpRecord")},
                "governments_by_year": {
                    "type": "array",
                    "items": _object(
                        {
                            "area": {
                                "type": ["string", "null"],
                                "description": "An area of action; null: the whole document.",
                            },
                            "by_year": {
                                "type": "object",
                                "propertyNames": {"pattern": "^[0-9]{4}$"},
                                "additionalProperties": COUNT,
                                "description": "Governments with a record in or before each "
                                "year, from the congress's year on.",
                            },
                        }
                    ),
                },
            }
        ),
    }


# The path parameters, each with the examples that lead to content in the archive.
_PATH_PARAMETERS: dict[str, dict] = {
    "slug": {
        "description": "A congress's slug, e.g. rio-2008.",
        "schema": {"type": "string", "minLength": 1},
    },
    "doc_slug": {
        "description": "An outcome document's slug within its congress.",
        "schema": {"type": "string", "minLength": 1},
    },
    "session_id": {
        "description": "A session's id within its congress.",
        "schema": {"type": "integer", "minimum": 0},
    },
    "code": {
        "description": "A State's ISO 3166-1 alpha-2 code, in either case; a code that is "
        "not a State's is not found.",
        "schema": {"type": "string", "pattern": "^[A-Za-z]{2}$"},
    },
}

_QUERY_PARAMETERS: dict[str, dict] = {
    "lang": {
        "description": "The language of the texts; without it, the best of Accept-Language, "
        "else English. Another value is refused (400).",
        "schema": {"enum": list(LANGUAGES)},
    },
    "theme": {
        "description": "Only the sessions of the theme with this number.",
        "schema": {"type": "integer", "minimum": THEME_NUMBERS[0], "maximum": THEME_NUMBERS[1]},
    },
    "kind": {
        "description": "Only the sessions of this kind.",
        "schema": {"enum": _values(SessionKind)},
    },
    "session": {
        "description": "Only the statements of the session with this id.",
        "schema": {"type": "integer", "minimum": IDS[0], "maximum": IDS[1]},
    },
    "delegation": {
        "description": "Only the statements of the delegation with this id.",
        "schema": {"type": "integer", "minimum": IDS[0], "maximum": IDS[1]},
    },
    "page": {
        "description": "The page of the list, from 1; a hundred statements a page.",
        "schema": {"type": "integer", "minimum": IDS[0], "maximum": IDS[1]},
    },
    "language": {
        "description": "Only the statements delivered or sent in this language.",
        "schema": {"enum": list(STATEMENT_LANGUAGES)},
    },
}


@dataclass(frozen=True)
class Operation:
    """A GET of the API: where, which view answers, with what, and which errors it has."""

    path: str
    endpoint: str
    answer: str
    query: tuple[str, ...] = ("lang",)
    examples: dict[str, str] = field(default_factory=dict)
    not_found: str | None = None
    bad_request: str = "A parameter that is not one of those described, or text with a NUL."


OPERATIONS: tuple[Operation, ...] = (
    Operation("/api/v1/", "api.index", "Index", query=()),
    Operation("/api/v1/openapi.json", "api.openapi", "OpenAPI", query=()),
    Operation("/api/v1/congresses", "api.congresses", "CongressList"),
    Operation(
        "/api/v1/congresses/{slug}",
        "api.congress",
        "Congress",
        examples={"slug": "rio-2008"},
        not_found="No congress has this slug.",
    ),
    Operation(
        "/api/v1/congresses/{slug}/sessions",
        "api.sessions",
        "SessionList",
        query=("lang", "theme", "kind"),
        examples={"slug": "rio-2008"},
        not_found="No congress has this slug, or its programme is not published yet.",
        bad_request="A theme that is not a number from 1, a kind that is not one of those "
        "described, another language, or text with a NUL.",
    ),
    Operation(
        "/api/v1/congresses/{slug}/declarations",
        "api.declarations",
        "DeclarationList",
        examples={"slug": "yokohama-2001"},
        not_found="No congress has this slug.",
    ),
    Operation(
        "/api/v1/congresses/{slug}/declarations/{doc_slug}/follow-up",
        "api.document_follow_up",
        "DocumentFollowUp",
        examples={"slug": "stockholm-1996", "doc_slug": "declaration-and-agenda-for-action"},
        not_found="No congress has this slug, or it has no outcome document of this slug.",
    ),
    Operation(
        "/api/v1/congresses/{slug}/statements",
        "api.statements",
        "StatementPage",
        query=("lang", "session", "delegation", "language", "page"),
        examples={"slug": "demo"},
        not_found="No congress has this slug, or the page is after the last.",
        bad_request="An id or a page that is not a number from 1, a language that is not one "
        "of those described, or text with a NUL.",
    ),
    Operation(
        "/api/v1/congresses/{slug}/sessions/{session_id}/statements",
        "api.session_statements",
        "StatementList",
        examples={"slug": "demo"},
        not_found="No congress has this slug, or no session of it has this id.",
    ),
    Operation(
        "/api/v1/countries/{code}",
        "api.country",
        "Country",
        examples={"code": "BR"},
        not_found="The code is not a State's.",
    ),
    Operation(
        "/api/v1/countries/{code}/statements",
        "api.country_statements",
        "CountryStatements",
        examples={"code": "BR"},
        not_found="The code is not a State's.",
    ),
    Operation(
        "/api/v1/countries/{code}/follow-up",
        "api.country_follow_up",
        "CountryFollowUp",
        examples={"code": "BR"},
        not_found="The code is not a State's.",
    ),
)


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _docstring(app: Flask, endpoint: str) -> tuple[str, str]:
    """The first line of a view's docstring, and the rest, in the words its readers see."""
    doc = (app.view_functions[endpoint].__doc__ or "").strip().replace("``", "`")
    summary, _, rest = doc.partition("\n")
    return summary.strip(), " ".join(line.strip() for line in rest.split("\n")).strip()


def _operation(app: Flask, operation: Operation) -> dict:
    summary, description = _docstring(app, operation.endpoint)
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            **_PATH_PARAMETERS[name],
            **({"example": operation.examples[name]} if name in operation.examples else {}),
        }
        for name in path_variables(operation.path)
    ]
    parameters += [
        {"name": name, "in": "query", **_QUERY_PARAMETERS[name]} for name in operation.query
    ]
    responses = {
        "200": _json(_ref(operation.answer), summary),
        "400": _json(_ref("Error"), operation.bad_request),
    }
    if operation.not_found:
        responses["404"] = _json(_ref("Error"), operation.not_found)
    described = {
        "operationId": operation.endpoint.partition(".")[2],
        "summary": summary,
        "parameters": parameters,
        "responses": responses,
    }
    if description:
        described["description"] = description
    if not parameters:
        del described["parameters"]
    return described


def document(app: Flask) -> dict:
    """The OpenAPI document of the API, as ``/api/v1/openapi.json`` serves it."""
    paths: dict[str, dict] = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.path, {})["get"] = _operation(app, operation)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Congress API",
            "version": "1",
            "summary": "The congresses, their programmes, outcome documents and follow-up, "
            "and each government's record.",
            "description": "Read-only and public. Every answer is JSON, errors included "
            '(`{"error": …, "status": …}`). `?lang=` picks the language of the texts.',
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "paths": paths,
        "components": {"schemas": _schemas()},
    }
