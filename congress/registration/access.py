"""The access rules about a delegation: its focal point, and its congress's organisers.

Each check loads the delegation named by ``<delegation_id>`` once, with what its pages
show, and hands it to the view as ``delegation``; see :mod:`congress.security.access`.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from congress.registration.queries import delegation_or_404
from congress.registration.rules import can_see_delegation, is_focal_point
from congress.security.access import define, require


def _with_delegation(view_args: dict[str, Any], allowed) -> dict[str, Any]:
    require(True)
    args = dict(view_args)
    delegation = delegation_or_404(args.pop("delegation_id"))
    require(allowed(current_user, delegation))
    args["delegation"] = delegation
    return args


def focal_point(view_args: dict[str, Any]) -> dict[str, Any]:
    return _with_delegation(view_args, is_focal_point)


def focal_point_or_organiser(view_args: dict[str, Any]) -> dict[str, Any]:
    return _with_delegation(view_args, can_see_delegation)


define("focal_point", focal_point)
define("focal_point_or_organiser", focal_point_or_organiser)
