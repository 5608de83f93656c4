"""Congress editions and their organisers, and each congress's registration settings.

Plain functions that tests call without a request. Each change is written to
the audit log in the same transaction; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from sqlalchemy import select

from congress.accounts.models import User, organisers
from congress.archive.models import Congress, CongressStatus
from congress.audit.log import record
from congress.db import LANGUAGES
from congress.extensions import db
from congress.i18n.collation import collated
from congress.registration.models import Category, CategoryQuota

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

# CLDR regions that are not countries: continents, groupings, the unknown region.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"}


@cache
def time_zones() -> frozenset[str]:
    """The IANA zones this machine knows (the system's tzdata, or the tzdata package)."""
    return frozenset(available_timezones())


def is_time_zone(name: str) -> bool:
    return name in time_zones()


def country_choices(lang: str) -> list[tuple[str, str]]:
    """Every country as (ISO code, name in ``lang``), in the order of a list in ``lang``."""
    territories = Locale.parse(lang).territories
    countries = [
        (code, name)
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    ]
    return collated(countries, key=lambda item: item[1], lang=lang)


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


def slug_taken(slug: str, *, besides: Congress | None = None) -> bool:
    query = select(Congress.id).where(Congress.slug == slug)
    if besides is not None:
        query = query.where(Congress.id != besides.id)
    return db.session.scalar(query) is not None


def create_congress(**fields) -> Congress:
    congress = Congress(**fields)
    db.session.add(congress)
    db.session.flush()
    record("congress.create", congress, congress_id=congress.id, after=_snapshot(congress))
    return congress


def update_congress(congress: Congress, **fields) -> None:
    before = _snapshot(congress)
    for name, value in fields.items():
        setattr(congress, name, value)
    after = _snapshot(congress)
    if before != after:
        record("congress.update", congress, congress_id=congress.id, before=before, after=after)


def congresses_with_organisers() -> list[tuple[Congress, list[User]]]:
    """Every congress, newest first, with its organisers by name: two queries."""
    congresses = list(db.session.scalars(select(Congress).order_by(Congress.start_date.desc())))
    rows = db.session.execute(
        select(organisers.c.congress_id, User).join(User, User.id == organisers.c.user_id)
    )
    by_congress: dict[int, list[User]] = {}
    for congress_id, user in rows:
        by_congress.setdefault(congress_id, []).append(user)
    return [(c, sorted_people(by_congress.get(c.id, []))) for c in congresses]


def sorted_people(users: list[User], lang: str = "en") -> list[User]:
    return collated(users, key=lambda u: u.name or u.email, lang=lang)


def organisers_of(congress: Congress, lang: str = "en") -> list[User]:
    users = db.session.scalars(
        select(User)
        .join(organisers, organisers.c.user_id == User.id)
        .where(organisers.c.congress_id == congress.id)
    )
    return sorted_people(list(users), lang)


def appoint_organiser(congress: Congress, user: User) -> bool:
    """Make ``user`` an organiser of ``congress``; False when they already were."""
    if any(c.id == congress.id for c in user.organised_congresses):
        return False
    user.organised_congresses.append(congress)
    record(
        "congress.appoint_organiser",
        user,
        congress_id=congress.id,
        after={"user": user.email, "congress": congress.slug},
    )
    return True


def remove_organiser(congress: Congress, user: User) -> bool:
    """``user`` no longer organises ``congress``; False when they did not."""
    if not any(c.id == congress.id for c in user.organised_congresses):
        return False
    user.organised_congresses = [c for c in user.organised_congresses if c.id != congress.id]
    record(
        "congress.remove_organiser",
        user,
        congress_id=congress.id,
        before={"user": user.email, "congress": congress.slug},
    )
    return True


class NonexistentLocalTime(ValueError):
    """A wall-clock time the zone skips when the clocks go forward."""


def local_to_utc(wall_time: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time in ``zone``.

    A time the clocks skip is refused rather than guessed; a time they pass twice
    is the first of the two.
    """
    aware = wall_time.replace(tzinfo=zone, fold=0)
    instant = aware.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != wall_time.replace(tzinfo=None):
        raise NonexistentLocalTime(wall_time)
    return instant


def utc_to_local(instant: datetime | None, zone: ZoneInfo) -> datetime | None:
    """The wall-clock time, without zone, that a form field shows."""
    if instant is None:
        return None
    return instant.astimezone(zone).replace(tzinfo=None)


@dataclass(frozen=True)
class CategorySetting:
    category: Category
    is_open: bool
    max_delegates: int | None


def category_settings(congress: Congress) -> list[CategorySetting]:
    """Every category in the order of a list of participants, as the congress sets it.

    A category without a row is open and unlimited, as a new row would be.
    """
    rows = {
        q.category: q
        for q in db.session.scalars(
            select(CategoryQuota).where(CategoryQuota.congress_id == congress.id)
        )
    }
    return [
        CategorySetting(c, rows[c].is_open, rows[c].max_delegates)
        if c in rows
        else CategorySetting(c, True, None)
        for c in Category
    ]


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
        return False
    record(
        "congress.registration_settings",
        congress,
        congress_id=congress.id,
        before=before,
        after=after,
    )
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


def translated(values: dict[str, str | None]) -> dict[str, str]:
    """A ``TranslatedText`` value from form fields, without the empty languages."""
    return {lang: values[lang].strip() for lang in LANGUAGES if (values.get(lang) or "").strip()}
