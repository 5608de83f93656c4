"""The outbox and the job queue as organisers and administrators see them.

Administrators see every mail and job; an organiser sees those of their congress
(the delegations' mails, and jobs done for it). Each mail shows its state, its tries
and the last error, so that a mail server that is down is noticed, and a mail that
failed for good or whose fate is uncertain can be sent again by an administrator.
"""

from __future__ import annotations

from datetime import UTC

from babel.dates import format_datetime
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from congress.congresses.models import Congress
from congress.extensions import db
from congress.jobs.models import JobRun, JobState
from congress.mail import outbox
from congress.mail.models import MailState, OutboxMessage
from congress.security import access

bp = Blueprint("outbox", __name__)

# The newest first, this many of each on one page.
SHOWN = 200

MAIL_STATES = {
    MailState.QUEUED: _l("Waiting to be sent"),
    MailState.SENDING: _l("Being sent"),
    MailState.SENT: _l("Sent"),
    MailState.FAILED: _l("Failed"),
    MailState.UNCERTAIN: _l("Perhaps sent"),
}

JOB_STATES = {
    JobState.QUEUED: _l("Waiting"),
    JobState.RUNNING: _l("Running"),
    JobState.RETRYING: _l("Failed; will be tried again"),
    JobState.DONE: _l("Done"),
    JobState.FAILED: _l("Failed"),
}

JOB_NAMES = {
    outbox.SEND_JOB: _l("Send a mail"),
}


def _when(instant) -> str:
    return format_datetime(instant.astimezone(UTC), "medium", tzinfo=UTC, locale=get_locale())


def _render(congress: Congress | None):
    messages = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(SHOWN)
    jobs = select(JobRun).order_by(JobRun.id.desc()).limit(SHOWN)
    if congress is not None:
        messages = messages.where(OutboxMessage.congress_id == congress.id)
        jobs = jobs.where(JobRun.congress_id == congress.id)
    return render_template(
        "admin/outbox.html",
        congress=congress,
        messages=db.session.scalars(messages).all(),
        jobs=db.session.scalars(jobs).all(),
        mail_states=MAIL_STATES,
        job_states=JOB_STATES,
        job_names=JOB_NAMES,
        when=_when,
        may_send_again=(MailState.FAILED, MailState.UNCERTAIN),
    )


@bp.get("/<lang>/admin/outbox")
@access("admin")
def site_outbox():
    return _render(None)


@bp.get("/<lang>/manage/congresses/<slug>/outbox")
@access("organiser")
def congress_outbox(congress: Congress):
    return _render(congress)


@bp.post("/<lang>/admin/outbox/<int:id>/send-again")
@access("admin")
def send_again(id: int):  # "id": the name the route tests give a record's number
    row = db.session.get(OutboxMessage, id)
    if row is None:
        abort(404)
    if outbox.send_again(row):
        db.session.commit()
        flash(_("The mail to %(address)s will be sent again.", address=row.recipient), "success")
    else:
        flash(_("This mail is not failed: it is not sent again."), "info")
    return redirect(url_for("outbox.site_outbox"))
