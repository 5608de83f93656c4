"""Deadline reminders: a delegation still in draft, its focal point told before it is too late.

``DEADLINE_REMINDER_DAYS`` days before a congress's registration closes, the focal point of
each of its delegations still in draft gets one mail in their language with the deadline in
the venue's time. :func:`remind_due` runs from ``flask jobs remind`` (a timer, see
docs/DEPLOYMENT.md) and from every job worker's sweep; each reminder is kept as a row in the
transaction that queues its mail, so whichever runs first sends it and the others do not.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import click
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from congress.accounts.models import User
from congress.congresses.models import Congress
from congress.db import utcnow
from congress.extensions import db
from congress.i18n.content import localized_text
from congress.jobs import sweep
from congress.jobs.cli import jobs_cli
from congress.mail import public_url, send_mail
from congress.registration.models import DeadlineReminder, Delegation, DelegationStatus
from congress.registration.rules import delegation_name

log = logging.getLogger(__name__)

SUBJECT = _l("Registration closes soon: %(congress)s")


def due(now: datetime) -> list[tuple[int, datetime]]:
    """(delegation id, deadline) of every draft delegation whose focal point is due a reminder."""
    days = int(current_app.config["DEADLINE_REMINDER_DAYS"])
    if days <= 0:
        return []
    rows = db.session.execute(
        select(Delegation.id, Congress.registration_closes_at)
        .join(Congress, Congress.id == Delegation.congress_id)
        .where(
            Delegation.status == DelegationStatus.DRAFT,
            Delegation.focal_point_id.is_not(None),
            Congress.registration_closes_at.is_not(None),
            Congress.registration_closes_at > now,
            Congress.registration_closes_at <= now + timedelta(days=days),
            ~select(DeadlineReminder.id)
            .where(
                DeadlineReminder.delegation_id == Delegation.id,
                DeadlineReminder.closes_at == Congress.registration_closes_at,
            )
            .exists(),
        )
        .order_by(Delegation.id)
    ).all()
    return [(delegation_id, closes_at) for delegation_id, closes_at in rows]


def remind_due(now: datetime | None = None) -> int:
    """Mail every reminder that is due and was not sent; returns how many were queued."""
    now = now or utcnow()
    found = due(now)
    db.session.rollback()
    sent = 0
    with current_app.test_request_context(base_url=public_url()):
        for delegation_id, closes_at in found:
            sent += _remind(delegation_id, closes_at)
    return sent


def _remind(delegation_id: int, closes_at: datetime) -> int:
    delegation = db.session.get(Delegation, delegation_id)
    user = db.session.get(User, delegation.focal_point_id) if delegation else None
    if delegation is None or user is None or delegation.status is not DelegationStatus.DRAFT:
        db.session.rollback()
        return 0
    congress = delegation.congress
    lang = user.language
    db.session.add(DeadlineReminder(delegation_id=delegation.id, closes_at=closes_at))
    try:
        # The row first: a second run stops here, before its mail is queued.
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return 0
    congress_name = localized_text(congress, "name", lang)
    send_mail(
        user.email,
        lang,
        SUBJECT,
        "deadline_reminder",
        congress_id=congress.id,
        subject_values={"congress": congress_name},
        user=user,
        congress_name=congress_name,
        delegation_name=delegation_name(delegation, lang),
        closes_at=closes_at,
        zone=congress.zone,
        link=url_for(
            "registration.delegation", delegation_id=delegation.id, lang=lang, _external=True
        ),
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return 0
    return 1


@sweep
def sweep_reminders() -> None:
    remind_due()


@jobs_cli.command("remind")
def remind_command() -> None:
    """Mail the deadline reminders that are due (run it from a timer, e.g. hourly)."""
    count = remind_due()
    click.echo(f"Deadline reminders queued: {count}.")
