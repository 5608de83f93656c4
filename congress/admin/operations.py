"""Administrators' and organisers' writes: each function is one transaction with its audit
entry, committed before any mail goes out."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from congress.accounts.models import User
from congress.admin.queries import CategorySetting, category_settings
from congress.audit.log import record
from congress.congresses.models import Congress, CongressStatus
from congress.congresses.rules import is_appointed
from congress.extensions import db
from congress.i18n.content import localized_text
from congress.mail import send_mail
from congress.registration.models import CategoryQuota

# Fields of a congress an administrator sets, as the audit log records them.
CONGRESS_FIELDS = (
    "slug",
    "ordinal",
    "name",
    "original_language",
    "city",
    "country_code",
    "venue",
    "timezone",
    "start_date",
    "end_date",
    "status",
)


def _snapshot(congress: Congress) -> dict:
    """The JSON values of a congress's fields, for the audit log."""
    values = {}
    for field in CONGRESS_FIELDS:
        value = getattr(congress, field)
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, CongressStatus):
            value = value.value
        elif isinstance(value, dict):
            value = dict(value)
        values[field] = value
    return values


def create_congress(**fields) -> Congress:
    congress = Congress(**fields)
    db.session.add(congress)
    db.session.flush()
    record("congress.create", congress, congress_id=congress.id, after=_snapshot(congress))
    db.session.commit()
    return congress


def update_congress(congress: Congress, **fields) -> None:
    before = _snapshot(congress)
    for name, value in fields.items():
        setattr(congress, name, value)
    after = _snapshot(congress)
    if before != after:
        record("congress.update", congress, congress_id=congress.id, before=before, after=after)
    db.session.commit()


def appoint_organiser(congress: Congress, user: User) -> bool:
    """Make ``user`` an organiser of ``congress`` and tell them; False when they already were."""
    if is_appointed(user, congress):
        return False
    user.organised_congresses.append(congress)
    record(
        "congress.appoint_organiser",
        user,
        congress_id=congress.id,
        after={"user": user.email, "congress": congress.slug},
    )
    # Queued with the appointment; sent by a job after the commit.
    _mail_appointment(user, congress)
    db.session.commit()
    return True


def _mail_appointment(user: User, congress: Congress) -> None:
    name = localized_text(congress, "name", user.language)
    send_mail(
        user.email,
        user.language,
        _l("You organise %(congress)s"),
        "organiser_appointed",
        congress_id=congress.id,
        user=user,
        congress=congress,
        congress_name=name,
        subject_values={"congress": name},
    )


def remove_organiser(congress: Congress, user: User) -> bool:
    """``user`` no longer organises ``congress``; False when they did not."""
    if not is_appointed(user, congress):
        return False
    user.organised_congresses = [c for c in user.organised_congresses if c.id != congress.id]
    record(
        "congress.remove_organiser",
        user,
        congress_id=congress.id,
        before={"user": user.email, "congress": congress.slug},
    )
    db.session.commit()
    return True


def save_registration_settings(
    congress: Congress,
    *,
    opens_at: datetime | None,
    closes_at: datetime | None,
    status: CongressStatus,
    categories: list[CategorySetting],
) -> bool:
    """Store the window (UTC instants), the status and every category's row; True if changed."""
    before = _settings_snapshot(congress)
    congress.registration_opens_at = opens_at
    congress.registration_closes_at = closes_at
    congress.status = status
    rows = {
        q.category: q
        for q in db.session.scalars(
            select(CategoryQuota).where(CategoryQuota.congress_id == congress.id)
        )
    }
    for setting in categories:
        row = rows.get(setting.category)
        if row is None:
            row = CategoryQuota(congress_id=congress.id, category=setting.category)
            db.session.add(row)
            rows[setting.category] = row
        row.is_open = setting.is_open
        row.max_delegates = setting.max_delegates
    db.session.flush()
    after = _settings_snapshot(congress)
    if before == after:
        db.session.rollback()
        return False
    record(
        "congress.registration_settings",
        congress,
        congress_id=congress.id,
        before=before,
        after=after,
    )
    db.session.commit()
    return True


def _settings_snapshot(congress: Congress) -> dict:
    def instant(value: datetime | None) -> str | None:
        return value.astimezone(UTC).isoformat() if value else None

    return {
        "registration_opens_at": instant(congress.registration_opens_at),
        "registration_closes_at": instant(congress.registration_closes_at),
        "status": congress.status.value,
        "categories": {
            s.category.value: {"open": s.is_open, "max_delegates": s.max_delegates}
            for s in category_settings(congress)
        },
    }
