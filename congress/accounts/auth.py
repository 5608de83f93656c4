"""How Flask-Login finds the signed-in account, on every request.

The session and the remember cookie hold ``"<id>:<session version>"`` (see
:meth:`User.get_id`). A cookie signed under an older version than the account's is
refused, whoever presents it and from wherever it was copied: that is how signing out,
a new password and "sign out everywhere" end every session of the account at once. A
bare ``"<id>"`` comes from before versions were counted and stands for version 0.
"""

from __future__ import annotations

from flask import session

from congress.accounts.models import User
from congress.extensions import db, login_manager


def parse_session_id(value: str) -> tuple[int, int] | None:
    """``(user id, session version)`` from a session's id, or None if it is not one."""
    user_id, _colon, version = str(value).partition(":")
    if not user_id.isascii() or not user_id.isdigit():
        return None
    if version and not (version.isascii() and version.isdigit()):
        return None
    # Ids and versions the database could not hold are nobody's.
    numbers = int(user_id), int(version or 0)
    return numbers if all(n < 2**63 for n in numbers) else None


@login_manager.user_loader
def load_user(value: str) -> User | None:
    parsed = parse_session_id(value)
    user = db.session.get(User, parsed[0]) if parsed else None
    if user is None or user.session_version != parsed[1]:
        # Forget the stale sign-in, and have Flask-Login delete its remember cookie,
        # so that the browser stops presenting it.
        session.pop("_user_id", None)
        session["_remember"] = "clear"
        return None
    return user
