"""Writes of photographs, badges and entries: one transaction each, with its audit entry."""

from __future__ import annotations

import secrets
from datetime import date
from zoneinfo import ZoneInfo

from flask_login import current_user
from sqlalchemy import delete, select

from congress.audit.log import record
from congress.badges.models import Badge, BadgeSettings, Entry, Photo
from congress.badges.queries import badge_by_token, photo_folder, photo_path
from congress.badges.rules import (
    STORED_SIZE,
    Crop,
    answer,
    badge_token,
    prepared_photo,
    token_hash,
)
from congress.congresses.models import Congress
from congress.db import utcnow
from congress.extensions import db
from congress.jobs.progress import write_atomically
from congress.registration.models import Delegate


def _committed(action):
    try:
        result = action()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return result


def save_photo(delegate: Delegate, data: bytes, crop: Crop | None = None) -> Photo:
    """Check, crop and keep the member's photograph; the one before it goes."""
    jpeg = prepared_photo(data, crop)
    folder = photo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    filename = f"{secrets.token_hex(16)}.jpg"
    write_atomically(folder / filename, jpeg)

    photo = db.session.scalar(select(Photo).where(Photo.delegate_id == delegate.id))
    old = photo.filename if photo else None
    try:
        if photo is None:
            photo = Photo(congress_id=delegate.congress_id, delegate_id=delegate.id)
            db.session.add(photo)
        photo.filename = filename
        photo.width, photo.height = STORED_SIZE
        photo.uploaded_at = utcnow()
        db.session.flush()
        record(
            "badge.photo",
            photo,
            congress_id=delegate.congress_id,
            after={"delegate": delegate.id, "replaced": old is not None},
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        # The row was not written: its file goes too.
        (folder / filename).unlink(missing_ok=True)
        raise
    if old:
        (folder / old).unlink(missing_ok=True)
    return photo


def _new_badge(delegate: Delegate, serial: int) -> Badge:
    badge = Badge(
        congress_id=delegate.congress_id,
        delegate=delegate,
        serial=serial,
        nonce=secrets.token_hex(16),
        token_hash="",
    )
    badge.token_hash = token_hash(badge_token(badge))
    db.session.add(badge)
    return badge


def issue_badges(delegates: list[Delegate]) -> list[Badge]:
    """A first badge for each member who has none yet; returns the members' current badges."""

    def issue() -> list[Badge]:
        badges = []
        fresh = []
        for delegate in delegates:
            current = next((b for b in delegate.badges if b.revoked_at is None), None)
            if current is None:
                current = _new_badge(delegate, len(delegate.badges) + 1)
                fresh.append(current)
            badges.append(current)
        db.session.flush()
        for badge in fresh:
            record(
                "badge.issue",
                badge,
                congress_id=badge.congress_id,
                after={"delegate": badge.delegate_id, "serial": badge.serial},
            )
        return badges

    return _committed(issue)


def mark_collected(badge: Badge) -> None:
    def collect() -> None:
        badge.collected_at = utcnow()
        record(
            "badge.collect", badge, congress_id=badge.congress_id, after={"serial": badge.serial}
        )

    _committed(collect)


def replace_badge(badge: Badge) -> Badge:
    """Revoke ``badge`` and issue the member a new one: the old one then reads revoked."""

    def replace() -> Badge:
        now = utcnow()
        badge.revoked_at = now
        new = _new_badge(badge.delegate, max(b.serial for b in badge.delegate.badges) + 1)
        db.session.flush()
        record(
            "badge.replace",
            new,
            congress_id=badge.congress_id,
            before={"serial": badge.serial},
            after={"serial": new.serial},
        )
        return new

    return _committed(replace)


def check_in(congress: Congress, text: str) -> tuple[str, Badge | None]:
    """Answer a code shown at the doors and record the entry."""
    badge = badge_by_token(congress, text)
    result = answer(badge)
    now = utcnow()
    day = now.astimezone(ZoneInfo(congress.timezone)).date()

    def enter() -> None:
        db.session.add(
            Entry(
                congress_id=congress.id,
                badge_id=badge.id if badge else None,
                answer=result,
                day=day,
                at=now,
                staff_id=getattr(current_user, "id", None),
            )
        )

    _committed(enter)
    return result, badge


def save_settings(congress: Congress, categories: list[str], erase_on: date | None) -> None:
    def store() -> None:
        settings = db.session.get(BadgeSettings, congress.id)
        before = None
        if settings is None:
            settings = BadgeSettings(congress_id=congress.id)
            db.session.add(settings)
        else:
            before = {
                "photo_required_categories": settings.photo_required_categories,
                "erase_on": settings.erase_on.isoformat() if settings.erase_on else None,
            }
        settings.photo_required_categories = sorted(categories)
        settings.erase_on = erase_on
        record(
            "badge.settings",
            congress,
            congress_id=congress.id,
            before=before,
            after={
                "photo_required_categories": sorted(categories),
                "erase_on": erase_on.isoformat() if erase_on else None,
            },
        )

    _committed(store)


def erase_personal_data(congress: Congress) -> tuple[int, int]:
    """Delete the congress's photographs (rows and files) and entries at the doors; return
    how many of each. Badges stay: an old badge shown later still reads as it did."""
    photos = list(db.session.scalars(select(Photo).where(Photo.congress_id == congress.id)))
    paths = [photo_path(p) for p in photos]

    def erase() -> int:
        for photo in photos:
            db.session.delete(photo)
        entries = db.session.execute(delete(Entry).where(Entry.congress_id == congress.id)).rowcount
        settings = db.session.get(BadgeSettings, congress.id)
        if settings is None:
            settings = BadgeSettings(congress_id=congress.id, photo_required_categories=[])
            db.session.add(settings)
        settings.erased_at = utcnow()
        record(
            "badge.erase",
            congress,
            congress_id=congress.id,
            after={"photos": len(photos), "entries": entries},
        )
        return entries

    entries = _committed(erase)
    # After the commit: a rollback leaves every photograph its file.
    for path in paths:
        path.unlink(missing_ok=True)
    return len(photos), entries


def due_for_erasure(today: date) -> list[Congress]:
    return list(
        db.session.scalars(
            select(Congress)
            .join(BadgeSettings, BadgeSettings.congress_id == Congress.id)
            .where(BadgeSettings.erase_on <= today, BadgeSettings.erased_at.is_(None))
        )
    )
