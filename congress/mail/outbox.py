"""The outbox's state machine: each mail queued with its change, sent once by a job.

    queued ──claim──▶ sending ──server took it / file in place──▶ sent
      ▲                 │ │
      └─ failure, ──────┘ └── tries spent, or refused for good ──▶ failed
         after a back-off         worker died after DATA began ──▶ uncertain

What holds, and why:

- A mail is queued in the transaction of the change that causes it (:func:`queue`), and
  its job is sent after the commit: no mail for a change rolled back, no change without
  its mail. A job lost with the broker or a process is found again by :func:`sweep_due`.
- Only a worker holding the claim sends: :func:`_claim` is one conditional ``UPDATE``
  (state and lease), committed before anything goes out, so two jobs for one key, two
  workers, or a restarted one never both send it. A worker that dies while holding it
  loses the claim when the lease (``MAIL_LEASE_SECONDS``) runs out.
- Written to ``instance/outbox/`` (no ``MAIL_SERVER``): exactly once. The file is written
  aside and linked into its final name, taken from the message's key; a worker that died
  after linking and before marking finds the file and only marks the message sent.
- Over SMTP: handed to the server at most once, so never sent twice. ``handed_over_at`` is
  committed just before ``DATA``; a worker that dies before it left nothing the server
  could deliver, and the message is tried again. One that dies after it and before marking
  the message sent, or whose connection breaks during ``DATA`` without an answer (the
  server may or may not have accepted it), leaves it ``uncertain``:
  shown on the outbox page and not sent by itself again. An administrator who sends it
  again sends the same ``Message-ID``, by which receivers drop a copy they already have.
"""

from __future__ import annotations

import contextlib
import logging
import os
import smtplib
import uuid
from datetime import timedelta
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, or_, select, update

from congress.db import utcnow
from congress.extensions import db
from congress.jobs import enqueue, enqueue_after_commit, job, sweep
from congress.mail.models import MailState, OutboxMessage

log = logging.getLogger(__name__)

SEND_JOB = "mail.send"
# Six hours: the longest pause between two tries of one mail.
MAX_PAUSE = timedelta(hours=6)


class MailGaveUp(Exception):
    """Every try of a mail failed, or the server refused it for good."""


def queue(message: EmailMessage, *, lang: str, template: str, congress_id: int | None) -> None:
    """Keep ``message`` in ``db.session``; its job is sent once the caller commits."""
    row = OutboxMessage(
        key=uuid.uuid4().hex,
        message_id=str(message["Message-ID"]),
        congress_id=congress_id,
        recipient=str(message["To"]),
        subject=str(message["Subject"])[:500],
        language=lang,
        template=template,
        raw=bytes(message).decode("utf-8"),
        state=MailState.QUEUED,
        next_attempt_at=utcnow(),
    )
    db.session.add(row)
    enqueue_after_commit(SEND_JOB, row.key, congress_id=congress_id)


@job(SEND_JOB, max_retries=None, throws=(MailGaveUp,))
def send_queued(key: str) -> None:
    """The job: send the mail ``key`` if it is due and nobody else holds it."""
    import dramatiq

    token = uuid.uuid4().hex
    if not _claim(key, token):
        return
    row = db.session.scalars(select(OutboxMessage).where(OutboxMessage.key == key)).one()
    try:
        _deliver(row, token)
    except _LostClaim:
        log.warning("mail %s: another worker took it over; left to it", key)
        return
    except Exception as error:
        db.session.rollback()
        row = db.session.scalars(select(OutboxMessage).where(OutboxMessage.key == key)).one()
        permanent = _refused_for_good(error)
        description = _describe(error)
        if row.handed_over_at is not None and not isinstance(error, smtplib.SMTPResponseException):
            # The content went out and no answer came back (a connection cut during DATA):
            # the server may have it. Sending again could make a second copy.
            _release(row, token, MailState.UNCERTAIN, description, handed_over=True)
            log.error("mail %s to %s may have been sent: %s", key, row.recipient, description)
            raise MailGaveUp(description) from error
        if permanent or row.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            _release(row, token, MailState.FAILED, description)
            log.error("mail %s to %s failed for good: %s", key, row.recipient, description)
            raise MailGaveUp(description) from error
        pause = _pause(row.attempts)
        _release(row, token, MailState.QUEUED, description, next_attempt_in=pause)
        log.warning("mail %s to %s failed (%s); next try in %s", key, row.recipient, error, pause)
        # Dramatiq sends the job again after the pause; the record shows it as retrying.
        raise dramatiq.Retry(description, delay=int(pause.total_seconds() * 1000)) from error


class _LostClaim(Exception):
    pass


def _claim(key: str, token: str) -> bool:
    """Take the mail for this worker, in one committed ``UPDATE``; False if not ours to send."""
    now = utcnow()
    # A little early is fine: a retry's job may wake a moment before its time.
    soon = now + timedelta(seconds=1)
    lease = timedelta(seconds=float(current_app.config["MAIL_LEASE_SECONDS"]))
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.key == key,
            or_(
                and_(
                    OutboxMessage.state == MailState.QUEUED, OutboxMessage.next_attempt_at <= soon
                ),
                # Its worker died before handing it over: nothing went out, take it over.
                and_(
                    OutboxMessage.state == MailState.SENDING,
                    OutboxMessage.claimed_until < now,
                    OutboxMessage.handed_over_at.is_(None),
                ),
            ),
        )
        .values(
            state=MailState.SENDING,
            claim=token,
            claimed_until=now + lease,
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _mine(key: str, token: str):
    return and_(
        OutboxMessage.key == key,
        OutboxMessage.state == MailState.SENDING,
        OutboxMessage.claim == token,
    )


def _hand_over(key: str, token: str) -> None:
    result = db.session.execute(
        update(OutboxMessage)
        .where(_mine(key, token))
        .values(handed_over_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        raise _LostClaim(key)


def _mark_sent(key: str, token: str) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(_mine(key, token))
        .values(state=MailState.SENT, sent_at=utcnow(), claim=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _release(
    row, token, state, error, *, next_attempt_in: timedelta | None = None, handed_over=False
) -> None:
    values = {
        "state": state,
        "claim": None,
        "claimed_until": None,
        "last_error": error[:4000],
    }
    if not handed_over:
        # The server answered no (or never got the content): it did not take the message.
        values["handed_over_at"] = None
    if next_attempt_in is not None:
        values["next_attempt_at"] = utcnow() + next_attempt_in
    db.session.execute(
        update(OutboxMessage)
        .where(_mine(row.key, token))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _pause(attempts: int) -> timedelta:
    base = float(current_app.config["MAIL_RETRY_SECONDS"])
    return min(timedelta(seconds=base * 2 ** max(attempts - 1, 0)), MAX_PAUSE)


def _refused_for_good(error: Exception) -> bool:
    """A 5xx answer about this message: trying again would get the same."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600


def _describe(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return f"{type(error).__name__}: {text}"


def _deliver(row: OutboxMessage, token: str) -> None:
    if current_app.config.get("MAIL_SERVER"):
        _deliver_smtp(row, token)
    else:
        _write_file(row)
        _mark_sent(row.key, token)


def eml_path(row: OutboxMessage) -> Path:
    from congress.mail import outbox_path

    # Sorts in the order the mails were queued; the key makes it this message's alone.
    return outbox_path() / f"{row.id:012d}-{row.key}.eml"


def _write_file(row: OutboxMessage) -> None:
    path = eml_path(row)
    if path.exists():
        # Written by a worker that died before marking it: it is delivered.
        log.info("mail %s was already written to %s", row.key, path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(temporary, "xb") as f:
            f.write(row.raw.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        # Fails if the name exists: the file appears whole, and only once.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    current_app.logger.info("mail to %s written to %s: %s", row.recipient, path, row.subject)


def _deliver_smtp(row: OutboxMessage, token: str) -> None:
    config = current_app.config
    smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    sender = config["MAIL_SENDER"]
    from_address = getaddresses([sender])[0][1] or sender
    recipients = [address for _, address in getaddresses([row.recipient]) if address]
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.ehlo_or_helo_if_needed()
        code, answer = smtp.mail(from_address)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, answer, from_address)
        refused = {}
        for address in recipients:
            code, answer = smtp.rcpt(address)
            if code not in (250, 251):
                refused[address] = (code, answer)
        if len(refused) == len(recipients):
            raise smtplib.SMTPRecipientsRefused(refused)
        # From here the server may end up with the message whatever happens to this process.
        _hand_over(row.key, token)
        code, answer = smtp.data(row.raw.encode("utf-8"))
        if code != 250:
            raise smtplib.SMTPDataError(code, answer)
        # At once: whatever happens to the connection after this, the server has taken it.
        _mark_sent(row.key, token)
    current_app.logger.info("mail to %s sent: %s", row.recipient, row.subject)


@sweep
def sweep_due() -> None:
    """Send again what is due and has no live job: after a restart, or a broker that was down.

    Also marks ``uncertain`` what a dead worker had handed over (see the module's notes).
    """
    now = utcnow()
    # A mail queued since the last sweep most likely has its own job on the way.
    due_before = now - timedelta(seconds=float(current_app.config["JOBS_SWEEP_SECONDS"]))
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.state == MailState.SENDING,
            OutboxMessage.claimed_until < now,
            OutboxMessage.handed_over_at.is_not(None),
        )
        .values(
            state=MailState.UNCERTAIN,
            claim=None,
            claimed_until=None,
            last_error="The sending worker stopped after handing the message to the server.",
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    due = db.session.execute(
        select(OutboxMessage.key, OutboxMessage.congress_id)
        .where(
            or_(
                and_(
                    OutboxMessage.state == MailState.QUEUED,
                    OutboxMessage.next_attempt_at <= due_before,
                ),
                and_(
                    OutboxMessage.state == MailState.SENDING,
                    OutboxMessage.claimed_until < now,
                    OutboxMessage.handed_over_at.is_(None),
                ),
            )
        )
        .order_by(OutboxMessage.id)
    ).all()
    db.session.rollback()
    for key, congress_id in due:
        enqueue(SEND_JOB, key, congress_id=congress_id)


def send_again(row: OutboxMessage) -> bool:
    """Queue a failed or uncertain mail once more (an administrator's decision); not committed."""
    if row.state not in (MailState.FAILED, MailState.UNCERTAIN):
        return False
    row.state = MailState.QUEUED
    row.next_attempt_at = utcnow()
    row.handed_over_at = None
    enqueue_after_commit(SEND_JOB, row.key, congress_id=row.congress_id)
    return True
