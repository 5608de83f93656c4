"""Outgoing mail, in each recipient's language.

With ``MAIL_SERVER`` configured, messages go out over SMTP. Without it, each
message is written as an ``.eml`` file in ``instance/outbox/`` and logged, so a
fresh machine needs no mail server and tests can read what was sent.
"""

from __future__ import annotations

import itertools
import smtplib
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, g, render_template
from flask_babel import force_locale

from congress.db import LANGUAGES
from congress.i18n import FORMAT_LOCALES

_sequence = itertools.count()


def outbox_path() -> Path:
    return Path(current_app.instance_path) / "outbox"


def send_mail(to: str, lang: str, subject: str, template: str, **context) -> EmailMessage:
    """Render ``templates/mail/<template>.txt`` in ``lang`` and send it to ``to``.

    ``subject`` is a msgid, translated here in the recipient's language (mark it
    with ``lazy_gettext`` or ``gettext_noop`` at the call site for extraction);
    ``subject_values`` in ``context`` fills its ``%(name)s`` placeholders. While
    the mail is rendered, texts, dates and the language ``url_for`` puts in links
    all follow ``lang``, not the language of the page that caused the mail.
    """
    from flask_babel import gettext

    lang = lang if lang in LANGUAGES else "en"
    with force_locale(FORMAT_LOCALES[lang]), _links_in(lang):
        body = render_template(f"mail/{template}.txt", lang=lang, **context)
        translated_subject = gettext(str(subject), **context.get("subject_values", {}))
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = translated_subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="congress")
    # Tells autoresponders not to answer (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    # After set_content, which clears every Content-* header.
    message["Content-Language"] = lang
    _deliver(message)
    return message


@contextmanager
def _links_in(lang: str) -> Iterator[None]:
    """Make :func:`congress.i18n.current_language` answer ``lang`` for a while."""
    had, previous = "lang" in g, g.get("lang")
    g.lang = lang
    try:
        yield
    finally:
        if had:
            g.lang = previous
        else:
            g.pop("lang", None)


def _deliver(message: EmailMessage) -> None:
    config = current_app.config
    if config.get("MAIL_SERVER"):
        smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
        with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
        current_app.logger.info("mail to %s sent: %s", message["To"], message["Subject"])
        return
    outbox = outbox_path()
    outbox.mkdir(parents=True, exist_ok=True)
    # The name sorts in the order of sending, even for two messages within one clock tick.
    path = outbox / f"{time.time_ns():020d}-{next(_sequence):06d}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(bytes(message))
    current_app.logger.info("mail to %s written to %s: %s", message["To"], path, message["Subject"])


def read_outbox() -> list[EmailMessage]:
    """The messages written to the outbox, oldest first (for tests and the browser test)."""
    from email import policy
    from email.parser import BytesParser

    paths = sorted(outbox_path().glob("*.eml"), key=lambda p: p.name)
    return [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in paths]
