"""Security and reliability: response headers, trusted hosts and proxies, input the database
cannot store, the access rule of every route, where a redirect may go (``redirects``) and
names isolated for bidirectional text (``bidi``).

``init_app`` wires it into the application; views import :func:`access` from here.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext as _
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from congress.security import bidi, headers, inputs, ratelimits, sessions
from congress.security.access import RULES, access, rule_for

__all__ = ["RULES", "access", "init_app", "rule_for"]

# Hosts every installation answers to; production adds its own via CONGRESS_TRUSTED_HOSTS.
LOCAL_HOSTS = ["localhost", "127.0.0.1"]


def init_app(app: Flask) -> None:
    _configure_https(app)
    _configure_trusted_hosts(app)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # Behind a reverse proxy: take the client's address, scheme and host from the
        # X-Forwarded-* headers that many proxies in front of us set, and no more.
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    headers.init_app(app)
    inputs.init_app(app)
    bidi.init_app(app)
    ratelimits.init_app(app)
    sessions.init_app(app)
    app.register_error_handler(SecurityError, _untrusted_host)


def _untrusted_host(error: SecurityError):
    # No links on this page: without a trusted host there is no address to build them on.
    message = _("This site does not answer to that host name.")
    return message, 400, {"Content-Type": "text/plain; charset=utf-8"}


def _configure_https(app: Flask) -> None:
    """Served over HTTPS (``CONGRESS_HTTPS=1``): cookies only travel encrypted."""
    if app.config.get("PREFERRED_URL_SCHEME") == "https":
        app.config["HTTPS"] = True
    if app.config.get("HTTPS"):
        app.config["PREFERRED_URL_SCHEME"] = "https"
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True


def _configure_trusted_hosts(app: Flask) -> None:
    """Answer only to the hosts we serve, so that a forged Host header builds no link.

    ``CONGRESS_TRUSTED_HOSTS`` is a JSON list or a comma-separated string; the host of
    ``SERVER_NAME`` and the loopback names are always trusted.
    """
    configured = app.config.get("TRUSTED_HOSTS") or []
    if isinstance(configured, str):
        configured = [host.strip() for host in configured.split(",")]
    hosts = [host for host in configured if host]
    server_name = app.config.get("SERVER_NAME")
    if server_name:
        hosts.append(server_name.partition(":")[0])
    app.config["TRUSTED_HOSTS"] = list(dict.fromkeys([*hosts, *LOCAL_HOSTS]))
