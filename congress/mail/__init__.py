"""Outgoing mail, in each recipient's language.

:func:`send_mail` renders a message and keeps it in the outbox table, in the
transaction of the change that causes it; a job sends it once that transaction
commits, and tries again later when it fails (:mod:`congress.mail.outbox`). So a
request never waits on a mail server, and a mail server that is down loses nothing.

With ``MAIL_SERVER`` configured, messages go out over SMTP. Without it, each
message is written as an ``.eml`` file in ``instance/outbox/`` and logged, so a
fresh machine needs no mail server and tests can read what was sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, g, render_template
from flask_babel import force_locale

from congress.db import LANGUAGES
from congress.i18n import FORMAT_LOCALES, text_direction


def public_url() -> str:
    """The site's address, for the links of mail written outside a request (a job, a
    command): ``PUBLIC_URL``, or the server's name with the scheme it is served over."""
    config = current_app.config
    if config.get("PUBLIC_URL"):
        return str(config["PUBLIC_URL"]).rstrip("/") + "/"
    scheme = "https" if config.get("HTTPS") else "http"
    return f"{scheme}://{config.get('SERVER_NAME') or 'localhost'}/"


def outbox_path() -> Path:
    return Path(current_app.instance_path) / "outbox"


def send_mail(
    to: str, lang: str, subject: str, template: str, *, congress_id: int | None = None, **context
) -> EmailMessage:
    """Render ``templates/mail/<template>.txt`` in ``lang`` and queue it for ``to``.

    The message is added to ``db.session`` (the outbox) and sent by a job after the
    caller commits; nothing is sent if it rolls back. ``congress_id`` lets that
    congress's organisers follow it.

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
    if text_direction(lang) == "rtl":
        # A plain text has no direction of its own and most mail programs lay it out left to
        # right: an Arabic mail carries the same text as HTML marked right to left beside it.
        message.add_alternative(rtl_html(body, lang), subtype="html")
    # After set_content, which clears every Content-* header.
    message["Content-Language"] = lang
    from congress.mail import outbox

    outbox.queue(message, lang=lang, template=template, congress_id=congress_id)
    return message


def rtl_html(body: str, lang: str) -> str:
    """The text of a mail as an HTML page laid out right to left, line for line.

    Each line is isolated (``dir="auto"``), so that a line in Latin letters (an address, a
    name) keeps its own order inside the Arabic.
    """
    from markupsafe import escape

    lines = "".join(
        f'<div dir="auto">{escape(line) if line else "<br>"}</div>\n' for line in body.splitlines()
    )
    return (
        f'<!doctype html>\n<html lang="{lang}" dir="rtl">\n<head><meta charset="utf-8"></head>\n'
        f'<body dir="rtl" style="text-align: start">\n{lines}</body>\n</html>\n'
    )


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


def read_outbox() -> list[EmailMessage]:
    """The messages written to the outbox folder, oldest first (for tests and the browser
    test), once the jobs this process sent have run."""
    from email import policy
    from email.parser import BytesParser

    from congress.jobs import join

    join()
    paths = sorted(outbox_path().glob("*.eml"), key=lambda p: p.name)
    return [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in paths]
