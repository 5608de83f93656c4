"""Text the database cannot store is refused before any view sees it, or when it
reaches the database, with a message rather than a server error.

PostgreSQL refuses the NUL character (U+0000) in text; left alone it would turn a
typing accident or a probe into a 500. No person types it, so the request is
refused as a whole, with a message in the visitor's language, whatever the form.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest

from congress.extensions import db

NUL = "\x00"


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
    db.session.rollback()
    current_app.logger.warning("value refused by the database: %s", error.orig)
    message = _(
        "Something you sent could not be stored: a text may be too long, or a number too "
        "large. Nothing was saved. Go back, shorten it, and send the form again."
    )
    if request.path.startswith("/api/"):
        return {"error": message, "status": 400}, 400
    return render_template("errors/error.html", error=BadRequest(), message=message), 400


def init_app(app: Flask) -> None:
    app.before_request(refuse_unstorable_text)
    app.register_error_handler(UnstorableText, unstorable_text)
    app.register_error_handler(DataError, data_refused)
