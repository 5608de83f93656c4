"""Flask's signed-cookie session, kept out of responses that depend on no cookie.

Flask adds ``Vary: Cookie`` to every response whose session was looked at, and
Flask-Login looks at it after every request. A response the same for everyone (a
public calendar feed) would then be kept by shared caches once per visitor's
cookie. A view marks such a response with :func:`cookieless`: the session is then
neither saved nor named in ``Vary``, and no ``Set-Cookie`` goes out with it.
"""

from __future__ import annotations

from flask import Flask, Response
from flask.sessions import SecureCookieSessionInterface


def cookieless(response: Response) -> Response:
    """Mark ``response`` as the same whatever cookie came with the request."""
    response.cookieless = True  # type: ignore[attr-defined]
    return response


class SessionInterface(SecureCookieSessionInterface):
    def save_session(self, app: Flask, session, response: Response) -> None:
        if getattr(response, "cookieless", False):
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
