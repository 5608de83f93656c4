"""The access rules about a congress: its organisers, and the site's administrators.

Each check loads the congress named by ``<slug>`` once and hands it to the view as
``congress``; see :mod:`congress.security.access`.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from congress.congresses.queries import congress_or_404
from congress.congresses.rules import is_organiser, organises_any
from congress.security.access import define, require


def _with_congress(view_args: dict[str, Any]) -> dict[str, Any]:
    args = dict(view_args)
    args["congress"] = congress_or_404(args.pop("slug"))
    return args


def organiser(view_args: dict[str, Any]) -> dict[str, Any]:
    require(True)
    if "slug" not in view_args:
        require(organises_any(current_user))
        return view_args
    args = _with_congress(view_args)
    require(is_organiser(current_user, args["congress"]))
    return args


def admin(view_args: dict[str, Any]) -> dict[str, Any]:
    require(bool(current_user.is_authenticated and current_user.is_admin))
    return _with_congress(view_args) if "slug" in view_args else view_args


define("organiser", organiser)
define("admin", admin)
