"""Who may open each route: one rule per endpoint, declared beside the view.

    @bp.get("/<lang>/manage/congresses/<slug>/audit")
    @access("organiser")
    def audit_log(slug): ...

The decorator goes directly under the route decorator, so that the route serves the
guarded view. ``tests/test_routes_authorisation.py`` walks ``app.url_map`` and fails
for any endpoint without a rule, so a new route cannot be forgotten.

The rules guard the door; views still ask :mod:`congress.accounts.auth` about the
object they act on (this delegation, this session):

- ``public``: anyone.
- ``token``: anyone holding the secret in the URL; the view checks the token.
- ``signed_in``: any signed-in user.
- ``focal_point``: a signed-in user; the view checks that the delegation is theirs.
- ``organiser``: an organiser of the congress named by ``<slug>`` in the URL (or, for
  pages about no one congress, of any congress); site administrators too.
- ``admin``: site administrators.

Refusals follow :func:`congress.accounts.auth.require`: the signed-out are sent to
sign in, the signed-in but unrelated get a 404, so that addresses leak nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort
from flask_login import current_user
from sqlalchemy import select

RULES = ("public", "token", "signed_in", "focal_point", "organiser", "admin")

# Endpoints whose views are not ours to decorate.
ENDPOINT_RULES: dict[str, str] = {"static": "public"}


def _signed_in(view_args: dict[str, Any]) -> None:
    from congress.accounts.auth import require

    require(True)


def _organiser(view_args: dict[str, Any]) -> None:
    from congress.accounts.auth import can_organise, require
    from congress.archive.models import Congress
    from congress.extensions import db

    require(True)
    slug = view_args.get("slug")
    if slug is None:
        require(bool(current_user.is_admin or current_user.organised_congresses))
        return
    congress = db.session.scalar(select(Congress).where(Congress.slug == slug))
    if congress is None:
        abort(404)
    require(can_organise(current_user, congress))


def _admin(view_args: dict[str, Any]) -> None:
    from congress.accounts.auth import require

    require(bool(current_user.is_authenticated and current_user.is_admin))


CHECKS: dict[str, Callable[[dict[str, Any]], None] | None] = {
    "public": None,
    "token": None,
    "signed_in": _signed_in,
    "focal_point": _signed_in,
    "organiser": _organiser,
    "admin": _admin,
}


def access(rule: str) -> Callable[[Callable], Callable]:
    """Declare, and enforce at the door, who may open a view."""
    if rule not in RULES:
        raise ValueError(f"unknown access rule {rule!r}; one of {', '.join(RULES)}")
    check = CHECKS[rule]

    def decorate(view: Callable) -> Callable:
        if check is None:
            view.access_rule = rule  # type: ignore[attr-defined]
            return view

        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            check(kwargs)
            return view(*args, **kwargs)

        guarded.access_rule = rule  # type: ignore[attr-defined]
        return guarded

    return decorate


def rule_for(app: Flask, endpoint: str) -> str | None:
    """The rule declared for an endpoint, or None when it has none."""
    view = app.view_functions.get(endpoint)
    if endpoint.endswith(".static"):
        return "public"
    return getattr(view, "access_rule", None) or ENDPOINT_RULES.get(endpoint)
