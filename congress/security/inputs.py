"""Input the database or the calendar cannot hold is refused before any view sees it,
beside the form field, or when it reaches the database, with a message rather than a
server error.

PostgreSQL refuses the NUL character (U+0000) in text; left alone it would turn a
typing accident or a probe into a 500. No person types it, so the request is
refused as a whole, with a message in the visitor's language, whatever the form.

Numbers: SQLite holds integers below 2**63 and raises ``OverflowError`` past them;
an id in an address that large names nothing (the ``int`` converter answers 404),
and forms bound their numbers beside the field. Dates: Python's calendar ends at
years 1 and 9999, and a wall-clock time of year 1 in a zone ahead of UTC is an
instant before it (``OverflowError`` again), so forms take dates of
:data:`YEARS` only (:class:`DateWithinYears`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter
from wtforms.validators import StopValidation

from congress.extensions import db

NUL = "\x00"
# The largest integer every database we run on stores (SQLite's and PostgreSQL's BIGINT).
MAX_INTEGER = 2**63 - 1
# The years a form's date may fall in: every congress, declaration and registration
# window the app knows is well inside, and every date in them converts to UTC and back
# in every zone.
YEARS = (1900, 2999)


class StorableInteger(IntegerConverter):
    """``<int:…>`` in an address, up to :data:`MAX_INTEGER`: a larger one is a 404."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_INTEGER)
        super().__init__(map, *args, **kwargs)


class DateWithinYears:
    """A WTForms validator: the field's date (or date and time) falls within :data:`YEARS`."""

    def __call__(self, form, field) -> None:
        value = field.data
        if isinstance(value, date | datetime) and not YEARS[0] <= value.year <= YEARS[1]:
            raise StopValidation(
                _(
                    "Enter a date between the years %(first)s and %(last)s.",
                    first=str(YEARS[0]),
                    last=str(YEARS[1]),
                )
            )


class UnstorableText(BadRequest):
    """A request carrying text that cannot be stored."""


def _texts() -> Iterator[str]:
    yield request.path
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            yield key
            yield value
    for key, upload in request.files.items(multi=True):
        yield key
        yield upload.filename or ""


def refuse_unstorable_text() -> None:
    if any(NUL in text for text in _texts()):
        raise UnstorableText()


def unstorable_text(error: UnstorableText):
    message = _(
        "What you sent contains a null character, which cannot be stored. "
        "Go back, remove it from the text, and send the form again."
    )
    if request.path.startswith("/api/"):
        return {"error": message, "status": 400}, 400
    return render_template("errors/error.html", error=error, message=message), 400


def data_refused(error: DataError):
    """The database refused a value (a text longer than its column, a number out of range).

    Forms should have said so beside the field; this is the net under them, so that the
    visitor reads what happened rather than a server error, and nothing half-saved stays.
    """
    current_app.logger.warning("value refused by the database: %s", error.orig)
    return _not_stored()


def _not_stored():
    db.session.rollback()
    message = _(
        "Something you sent could not be stored: a text may be too long, or a number too "
        "large. Nothing was saved. Go back, shorten it, and send the form again."
    )
    if request.path.startswith("/api/"):
        return {"error": message, "status": 400}, 400
    return render_template("errors/error.html", error=BadRequest(), message=message), 400


def number_refused(error: OverflowError):
    """SQLite's ``DataError``: an integer past 2**63 reached a query. The same net."""
    current_app.logger.warning("value refused before the database: %s", error)
    return _not_stored()


def init_app(app: Flask) -> None:
    # Before any blueprint adds its routes: each rule takes its converter when added.
    app.url_map.converters["int"] = StorableInteger
    app.before_request(refuse_unstorable_text)
    app.register_error_handler(UnstorableText, unstorable_text)
    app.register_error_handler(DataError, data_refused)
    app.register_error_handler(OverflowError, number_refused)
