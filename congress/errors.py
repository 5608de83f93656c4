"""Error pages in the visitor's language, never a traceback."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_refused(error: CSRFError):
        message = _(
            "This form could not be accepted: it has expired or did not come from this site."
            " Go back, reload the page and send the form again."
        )
        return render_template("errors/error.html", error=error, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # The exception's own headers stay (a 405's Allow, which RFC 9110 requires); its
        # Content-Type is for werkzeug's page, not ours.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        if request.path.startswith("/api/"):
            return {"error": error.name, "status": error.code}, error.code, headers
        return (
            render_template("errors/error.html", error=error, message=_message(error)),
            error.code,
            headers,
        )

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        app.logger.exception("unhandled error")
        if request.path.startswith("/api/"):
            return {"error": "Internal Server Error", "status": 500}, 500
        return (
            render_template(
                "errors/error.html",
                error=None,
                message=_("Something went wrong on our side. Please try again."),
            ),
            500,
        )


def _message(error: HTTPException) -> str:
    messages = {
        400: _("The request could not be understood."),
        403: _("You are not allowed to see this page."),
        404: _("There is no page at this address."),
        405: _("This page cannot be used that way."),
        413: _("The file is too large."),
        429: _("Too many attempts. Please wait a moment and try again."),
    }
    return messages.get(error.code or 500, error.description or "")
