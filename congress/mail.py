"""Outgoing mail, in each recipient's language.

With ``MAIL_SERVER`` configured, messages go out over SMTP. Without it, each
message is written as an ``.eml`` file in ``instance/outbox/`` and logged, so a
fresh machine needs no mail server and tests can read what was sent.
"""

from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from congress.i18n import FORMAT_LOCALES


def outbox_path() -> Path:
    return Path(current_app.instance_path) / "outbox"


def send_mail(to: str, lang: str, subject: str, template: str, **context) -> EmailMessage:
    """Render ``templates/mail/<template>.txt`` in ``lang`` and send it to ``to``.

    ``subject`` is a msgid, translated here in the recipient's language (mark it
    with ``lazy_gettext`` or ``gettext_noop`` at the call site for extraction).
    """
    from flask_babel import gettext

    with force_locale(FORMAT_LOCALES.get(lang, lang)):
        body = render_template(f"mail/{template}.txt", lang=lang, **context)
        translated_subject = gettext(str(subject), **context.get("subject_values", {}))
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = translated_subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="congress")
    message["Content-Language"] = lang
    message.set_content(body)
    _deliver(message)
    return message


def _deliver(message: EmailMessage) -> None:
    config = current_app.config
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
        return
    outbox = outbox_path()
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{uuid.uuid4().hex}.eml"
    path.write_bytes(bytes(message))
    current_app.logger.info("mail to %s written to %s: %s", message["To"], path, message["Subject"])


def read_outbox() -> list[EmailMessage]:
    """The messages written to the outbox, oldest first (for tests and the browser test)."""
    from email import policy
    from email.parser import BytesParser

    paths = sorted(outbox_path().glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    return [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in paths]
