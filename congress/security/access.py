"""Who may open each route: one rule per endpoint, declared beside the view, decided once.

    @bp.get("/<lang>/manage/congresses/<slug>/audit")
    @access("organiser")
    def audit_log(congress): ...

The decorator goes directly under the route decorator. It runs the rule's check before
the view; the check loads what the rule is about and the view receives it in place of
the address's parameter (``congress`` for ``<slug>``, ``delegation`` for
``<int:delegation_id>``), so a view never loads and checks again.
``tests/test_routes_authorisation.py`` walks ``app.url_map`` and fails for any endpoint
without a rule, so a new route cannot be forgotten.

- ``public``: anyone.
- ``token``: anyone holding the secret in the URL; the view checks the token.
- ``signed_in``: any signed-in user.
- ``focal_point``: the focal point of the delegation named by ``<delegation_id>``.
- ``focal_point_or_organiser``: that focal point, or an organiser of its congress.
- ``organiser``: an organiser of the congress named by ``<slug>`` (or, for pages about
  no one congress, of any congress); site administrators too.
- ``monitor``: an account a site administrator appointed to keep follow-up records
  for a monitoring organisation; site administrators too.
- ``admin``: site administrators.

The checks that need the congress or the delegation live with them
(:mod:`congress.congresses.access`, :mod:`congress.registration.access`) and are
registered here with :func:`define`; this module, at the bottom of the layers, only
knows the names. Refusals follow :func:`require`: the signed-out are sent to sign in,
the signed-in but unrelated get a 404, so that addresses leak nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort
from flask_login import current_user

from congress.extensions import login_manager

RULES = (
    "public",
    "token",
    "signed_in",
    "focal_point",
    "focal_point_or_organiser",
    "organiser",
    "monitor",
    "admin",
)

# Endpoints whose views are not ours to decorate.
ENDPOINT_RULES: dict[str, str] = {"static": "public"}

# A check takes the view's arguments and returns them with what it loaded in place of
# the identifiers (or aborts). Rules without a check are open at the door.
Check = Callable[[dict[str, Any]], dict[str, Any]]
_CHECKS: dict[str, Check] = {}


def require(allowed: bool) -> None:
    """404 rather than 403 for the signed-out and the unrelated, so that ids leak nothing."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not allowed:
        abort(404)


def _signed_in(view_args: dict[str, Any]) -> dict[str, Any]:
    require(True)
    return view_args


def define(rule: str, check: Check) -> None:
    """Register the check of a rule; the area that owns what it loads calls this."""
    if rule not in RULES:
        raise ValueError(f"unknown access rule {rule!r}")
    _CHECKS[rule] = check


define("signed_in", _signed_in)

OPEN_RULES = ("public", "token")


def access(rule: str) -> Callable[[Callable], Callable]:
    """Declare, and enforce at the door, who may open a view."""
    if rule not in RULES:
        raise ValueError(f"unknown access rule {rule!r}; one of {', '.join(RULES)}")

    def decorate(view: Callable) -> Callable:
        if rule in OPEN_RULES:
            view.access_rule = rule  # type: ignore[attr-defined]
            return view

        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            return view(*args, **_CHECKS[rule](kwargs))

        guarded.access_rule = rule  # type: ignore[attr-defined]
        return guarded

    return decorate


def rule_for(app: Flask, endpoint: str) -> str | None:
    """The rule declared for an endpoint, or None when it has none."""
    view = app.view_functions.get(endpoint)
    if endpoint.endswith(".static"):
        return "public"
    return getattr(view, "access_rule", None) or ENDPOINT_RULES.get(endpoint)


def check_rules_defined() -> None:
    """Refuse to start with a protected rule that no area has given a check."""
    missing = [r for r in RULES if r not in OPEN_RULES and r not in _CHECKS]
    if missing:
        raise RuntimeError(f"access rules without a check: {', '.join(missing)}")
