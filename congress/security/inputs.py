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
from flask_babel import format_decimal
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


def storable_integer(text: str) -> int:
    """A number from a query string, as ``type=`` of ``request.args.get`` and ``getlist``: one
    the database can compare, or ``ValueError``, which Werkzeug turns into the default."""
    value = int(text)
    if not -MAX_INTEGER - 1 <= value <= MAX_INTEGER:
        raise ValueError(f"{text} is out of the range of a database integer")
    return value


def digits_at_most(limit: int) -> str:
    """A regular expression for the decimal numbers from 0 to ``limit``, no more."""
    digits = str(limit)
    choices = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for place, digit in enumerate(digits):
        if digit != "0":
            below = "0" if digit == "1" else f"[0-{int(digit) - 1}]"
            rest = len(digits) - place - 1
            choices.append(digits[:place] + below + (rf"\d{{{rest}}}" if rest else ""))
    choices.append(digits)
    return "(?:" + "|".join(choices) + ")"


class StorableInteger(IntegerConverter):
    """``<int:…>`` in an address, up to :data:`MAX_INTEGER`: a larger one is a 404.

    The bound is in the converter's pattern, not only in its conversion: the router
    picks the rules that fit a path by pattern, then by method, then converts; a path
    with too large an id for a GET rule whose POST twin fits would answer 405.
    """

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_INTEGER)
        super().__init__(map, *args, **kwargs)
        if not kwargs.get("signed") and self.max is not None and not self.fixed_digits:
            self.regex = digits_at_most(self.max)


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


class NumberWithin:
    """A WTForms validator: the field's whole number lies from ``first`` to ``last``.

    Every number a form takes needs an upper bound: an INTEGER column holds up to
    2**31 - 1 on PostgreSQL, SQLite stops at 2**63 - 1, and WTForms' ``NumberRange``
    fails on an integer too large for a float. ``message`` says what to enter, and
    ``too_small`` what to enter below ``first``; without them, "from … to …".
    """

    def __init__(self, first: int, last: int, message=None, too_small=None) -> None:
        self.first, self.last = first, last
        self.message, self.too_small = message, too_small
        # As WTForms' NumberRange: the input carries min="…" max="…" for the browser.
        self.field_flags = {"min": first, "max": last}

    def __call__(self, form, field) -> None:
        value = field.data
        if not isinstance(value, int) or self.first <= value <= self.last:
            return
        if value < self.first and self.too_small is not None:
            raise StopValidation(str(self.too_small))
        if self.message is not None:
            raise StopValidation(str(self.message))
        raise StopValidation(
            _(
                "Enter a number from %(first)s to %(last)s.",
                first=format_decimal(self.first),
                last=format_decimal(self.last),
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
