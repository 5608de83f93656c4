"""The access rule of monitoring's pages: appointed monitors, and site administrators."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import select

from congress.extensions import db
from congress.monitoring.models import Monitor
from congress.security.access import define, require


def is_monitor(user: Any) -> bool:
    if not (user and user.is_authenticated):
        return False
    if user.is_admin:
        return True
    return db.session.scalar(select(Monitor.id).where(Monitor.user_id == user.id)) is not None


def monitor(view_args: dict[str, Any]) -> dict[str, Any]:
    require(is_monitor(current_user))
    return view_args


define("monitor", monitor)
