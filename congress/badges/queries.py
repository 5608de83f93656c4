"""Reads of photographs, badges and entries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from congress.badges.models import Badge, Entry, Photo
from congress.badges.rules import normalised_token, token_hash
from congress.congresses.models import Congress
from congress.extensions import db
from congress.i18n import current_language
from congress.registration.models import Delegate, Delegation, DelegationStatus
from congress.registration.rules import delegation_name


def photo_folder() -> Path:
    """Where photographs are kept: the instance folder, which the web server never serves."""
    return Path(current_app.instance_path) / "photos"


def photo_path(photo: Photo) -> Path:
    return photo_folder() / photo.filename


def photo_of(delegate_id: int) -> Photo | None:
    return db.session.scalar(select(Photo).where(Photo.delegate_id == delegate_id))


def photos_of(delegation: Delegation) -> dict[int, Photo]:
    ids = [d.id for d in delegation.delegates]
    rows = db.session.scalars(select(Photo).where(Photo.delegate_id.in_(ids))) if ids else []
    return {p.delegate_id: p for p in rows}


def accredited_members(congress: Congress, delegation_id: int | None = None) -> list[Delegate]:
    """Members who get a badge: active, of an accredited delegation; with photos and badges."""
    query = (
        select(Delegate)
        .join(Delegate.delegation)
        .where(
            Delegation.congress_id == congress.id,
            Delegation.status == DelegationStatus.ACCREDITED,
            Delegate.withdrawn.is_(False),
        )
        .options(
            joinedload(Delegate.delegation),
            selectinload(Delegate.badges),
            joinedload(Delegate.photo),
        )
        .order_by(Delegation.id, Delegate.family_name, Delegate.given_names, Delegate.id)
    )
    if delegation_id is not None:
        query = query.where(Delegation.id == delegation_id)
    return list(db.session.scalars(query).unique())


def badge_by_token(congress: Congress, text: str) -> Badge | None:
    return db.session.scalar(
        select(Badge)
        .where(
            Badge.congress_id == congress.id, Badge.token_hash == token_hash(normalised_token(text))
        )
        .options(joinedload(Badge.delegate).joinedload(Delegate.delegation))
    )


def desk_search(congress: Congress, text: str) -> list[Delegate]:
    """Members of accredited delegations whose name or delegation holds ``text``, or whose
    badge has that token."""
    text = text.strip()
    if not text:
        return []
    badge = badge_by_token(congress, text)
    if badge is not None:
        return [m for m in accredited_members(congress) if m.id == badge.delegate_id] or [
            badge.delegate
        ]
    words = text.casefold()
    lang = current_language()
    found = []
    for member in accredited_members(congress):
        haystack = " ".join(
            [member.given_names, member.family_name, delegation_name(member.delegation, lang)]
        ).casefold()
        if all(word in haystack for word in words.split()):
            found.append(member)
    return found


def entries_per_day(congress: Congress) -> list[tuple[date, int]]:
    """Valid entries counted per day at the venue, in order."""
    rows = db.session.execute(
        select(Entry.day, func.count())
        .where(Entry.congress_id == congress.id, Entry.answer == "valid")
        .group_by(Entry.day)
        .order_by(Entry.day)
    )
    return [(day, count) for day, count in rows]
