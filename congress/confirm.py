"""Confirmation pages: one pattern for every action that cannot be taken back or sends mail.

The action's address answers a GET with the page that says what will happen and who gets
mail, by name, and only the POST of that page's form acts. A GET never changes anything, so a
link followed by a browser's prefetch, a crawler or a second tab acts on nothing.

    @bp.route(".../withdraw", methods=["GET", "POST"])
    @access("focal_point")
    def withdraw(delegation):
        if request.method == "GET":
            return confirmation_page(Confirmation(...))
        ...  # the action, as before

When the action cannot be taken now, ``refused`` says why and the page offers no button.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import render_template
from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """The confirmation's own form: its CSRF token and nothing else."""


@dataclass(frozen=True)
class Recipient:
    """Someone the action mails: their name, their address and what they are sent."""

    name: str
    email: str
    sent: str = ""


def told(user, sent: str) -> list[Recipient]:
    """``user`` (a focal point, say) as the one recipient of ``sent``; nobody if there is none."""
    if user is None:
        return []
    return [Recipient(user.name or user.email, user.email, sent)]


@dataclass
class Confirmation:
    """What a confirmation page says.

    ``title`` asks the question ("Accredit the delegation of Brazil?"), ``caption`` names what
    it is about above it, ``happens`` lists what the action will do, ``items`` the records it
    acts on (several, for a bulk action), ``recipients`` who gets mail (empty: nobody),
    ``undo`` how it can be put back, if it can (otherwise the page warns it cannot),
    ``button`` is the label of the button whose POST acts, ``back`` where "No" leads. ``form``
    is the form to post (extra fields rendered above the button, such as a reason) and
    ``hidden`` the name and value pairs it carries (the chosen records' ids).
    """

    title: str
    button: str
    back: str
    caption: str = ""
    happens: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    undo: str = ""
    refused: str = ""
    form: FlaskForm | None = None
    fields: list[str] = field(default_factory=list)
    hidden: list[tuple[str, str]] = field(default_factory=list)
    danger: bool = True


def confirmation_page(confirmation: Confirmation, status: int = 200):
    """Render ``templates/_confirm.html`` for ``confirmation``."""
    form = confirmation.form or ConfirmForm(formdata=None)
    return render_template("_confirm.html", c=confirmation, form=form), status
