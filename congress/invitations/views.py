"""Pages of letters of invitation.

The focal point's under ``/<lang>/delegations/<id>/invitations``, the organisers' under
``/<lang>/manage/congresses/<slug>/invitations``, and the public verification page an
embassy reaches from a letter's QR code at ``/<lang>/invitations/verify/<reference>``.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from congress.confirm import Confirmation, Recipient, confirmation_page, told
from congress.congresses.models import Congress
from congress.extensions import limiter
from congress.i18n import current_language
from congress.i18n.content import localized_text
from congress.i18n.countries import country_choices
from congress.invitations import labels as _audit_words  # noqa: F401  (the audit log's words)
from congress.invitations import operations, queries, rules
from congress.invitations.forms import ReferenceForm, RefusalForm, RequestForm
from congress.invitations.letter import letter_response
from congress.invitations.models import InvitationLetter, LetterStatus
from congress.registration.models import Delegate, Delegation
from congress.registration.rules import delegation_name
from congress.security import access

bp = Blueprint("invitations", __name__)


def _rate() -> str:
    return current_app.config["REGISTRATION_RATE_LIMIT"]


def _sender() -> str:
    # Per account: a ministry's focal points may share one address.
    return f"user:{current_user.id}" if current_user.is_authenticated else request.remote_addr or ""


limit_posts = limiter.limit(_rate, methods=["POST"], key_func=_sender)
# References cannot be guessed; the limit keeps anyone from trying many.
limit_lookups = limiter.limit(_rate)


@bp.context_processor
def _labels() -> dict:
    return {"LETTER_STATUSES": STATUSES}


STATUSES = {
    LetterStatus.REQUESTED: _l("Asked for"),
    LetterStatus.APPROVED: _l("Issued"),
    LetterStatus.REFUSED: _l("Refused"),
    LetterStatus.WITHDRAWN: _l("Withdrawn"),
}


def _member(delegation: Delegation, delegate_id: int) -> Delegate:
    for delegate in delegation.delegates:
        if delegate.id == delegate_id:
            return delegate
    abort(404)


def _flash_undelivered(undelivered: list[str]) -> None:
    if undelivered:
        flash(
            _(
                "The mail to %(addresses)s could not be sent.",
                addresses=", ".join(undelivered),
            ),
            "error",
        )


# --- Focal points ---------------------------------------------------------------------


@bp.get("/<lang>/delegations/<int:delegation_id>/invitations")
@access("focal_point")
def delegation_letters(delegation: Delegation):
    return render_template(
        "invitations/delegation.html",
        delegation=delegation,
        congress=delegation.congress,
        name=delegation_name(delegation, current_language()),
        members=[d for d in delegation.delegates if not d.withdrawn],
        letters=queries.letters_of_delegation(delegation),
        may_ask=lambda delegate: rules.may_ask(delegation, delegate),
    )


@bp.route(
    "/<lang>/delegations/<int:delegation_id>/invitations/<int:delegate_id>",
    methods=["GET", "POST"],
)
@access("focal_point")
@limit_posts
def ask(delegation: Delegation, delegate_id: int):
    delegate = _member(delegation, delegate_id)
    letter = queries.letter_of(delegate)
    congress = delegation.congress
    form = RequestForm()
    form.set_countries(country_choices(current_language(), congress.start_date))
    if request.method == "GET" and letter is not None and not letter.erased:
        form.fill(letter)
    if form.validate_on_submit():
        try:
            operations.ask_for_letter(delegation, delegate, form.details())
        except rules.LetterError as error:
            form.show(error)
        else:
            flash(
                _(
                    "The letter for %(name)s is asked for. The organisers will review it.",
                    name=delegate.full_name,
                ),
                "success",
            )
            return redirect(url_for(".delegation_letters", delegation_id=delegation.id))
    return render_template(
        "invitations/ask.html",
        delegation=delegation,
        congress=congress,
        name=delegation_name(delegation, current_language()),
        delegate=delegate,
        letter=letter,
        form=form,
        may_ask=rules.may_ask(delegation, delegate),
        may_change=letter is None or rules.may_change(letter),
    )


@bp.get("/<lang>/delegations/<int:delegation_id>/invitations/<int:delegate_id>.pdf")
@access("focal_point")
def delegation_letter_pdf(delegation: Delegation, delegate_id: int):
    letter = queries.letter_of(_member(delegation, delegate_id))
    if letter is None or not rules.may_draw(letter):
        abort(404)
    return letter_response(letter)


# --- Organisers -----------------------------------------------------------------------


@bp.get("/<lang>/manage/congresses/<slug>/invitations")
@access("organiser")
def manage(congress: Congress):
    lang = current_language()
    return render_template(
        "invitations/manage.html",
        congress=congress,
        letters=queries.letters_of_congress(congress),
        delegation_name=lambda d: delegation_name(d, lang),
        approval_refused=rules.approval_refused,
    )


def _letter_in(congress: Congress, delegate_id: int) -> InvitationLetter:
    letter = queries.letter_in(congress, delegate_id)
    if letter is None:
        abort(404)
    return letter


def _recipients(letter: InvitationLetter, sent: str) -> list[Recipient]:
    return told(letter.delegate.delegation.focal_point, sent)


def _caption(letter: InvitationLetter) -> str:
    delegation = letter.delegate.delegation
    congress_name = localized_text(delegation.congress, "name")
    return f"{delegation_name(delegation, current_language())} · {congress_name}"


def _back(congress: Congress) -> str:
    return url_for(".manage", slug=congress.slug)


def _decided(congress: Congress, action, success: str):
    """Run the decision; back to the list with what happened."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        undelivered = action()
    except rules.LetterError as error:
        flash(str(error.message), "error")
    else:
        flash(success, "success")
        _flash_undelivered(undelivered)
    return redirect(_back(congress))


@bp.route(
    "/<lang>/manage/congresses/<slug>/invitations/<int:delegate_id>/approve",
    methods=["GET", "POST"],
)
@access("organiser")
@limit_posts
def approve(congress: Congress, delegate_id: int):
    letter = _letter_in(congress, delegate_id)
    name = letter.delegate.full_name
    if request.method == "GET":
        return confirmation_page(
            Confirmation(
                caption=_caption(letter),
                title=_("Issue the letter of invitation of %(name)s?", name=name),
                happens=[
                    _("The letter is given a reference that embassies can check on its page."),
                    _("The focal point can download the letter, in the member's language."),
                ],
                recipients=_recipients(letter, _("The news that the letter is issued")),
                undo=_("You can withdraw the letter later: its page then says so."),
                button=_("Issue the letter"),
                back=_back(congress),
                refused=rules.approval_refused(letter),
                danger=False,
            )
        )
    return _decided(
        congress,
        lambda: operations.approve(letter),
        _("The letter of %(name)s is issued; the focal point has been told.", name=name),
    )


@bp.route(
    "/<lang>/manage/congresses/<slug>/invitations/<int:delegate_id>/refuse",
    methods=["GET", "POST"],
)
@access("organiser")
@limit_posts
def refuse(congress: Congress, delegate_id: int):
    letter = _letter_in(congress, delegate_id)
    name = letter.delegate.full_name
    form = RefusalForm(formdata=None) if request.method == "GET" else RefusalForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            undelivered = operations.refuse(letter, form.reason.data)
        except rules.LetterError as error:
            form.show(error)
        else:
            flash(
                _(
                    "The letter of %(name)s is refused; the focal point has been told why.",
                    name=name,
                ),
                "success",
            )
            _flash_undelivered(undelivered)
            return redirect(_back(congress))
    return confirmation_page(
        Confirmation(
            caption=_caption(letter),
            title=_("Refuse the letter of invitation of %(name)s?", name=name),
            happens=[_("No letter is issued; the focal point reads your reason.")],
            undo=_("The focal point may correct the request and ask again."),
            recipients=_recipients(letter, _("The refusal and its reason")),
            button=_("Refuse the letter"),
            back=_back(congress),
            refused=rules.refusal_refused(letter),
            form=form,
            fields=["reason"],
        )
    )


@bp.route(
    "/<lang>/manage/congresses/<slug>/invitations/<int:delegate_id>/withdraw",
    methods=["GET", "POST"],
)
@access("organiser")
@limit_posts
def withdraw(congress: Congress, delegate_id: int):
    letter = _letter_in(congress, delegate_id)
    name = letter.delegate.full_name
    if request.method == "GET":
        return confirmation_page(
            Confirmation(
                caption=_caption(letter),
                title=_("Withdraw the letter of invitation of %(name)s?", name=name),
                happens=[
                    _(
                        "Its verification page will say the letter %(reference)s is withdrawn.",
                        reference=letter.reference or "",
                    ),
                    _("The focal point can no longer download it."),
                ],
                recipients=_recipients(letter, _("The news that the letter is withdrawn")),
                button=_("Withdraw the letter"),
                back=_back(congress),
                refused=rules.withdrawal_refused(letter),
            )
        )
    return _decided(
        congress,
        lambda: operations.withdraw(letter),
        _("The letter of %(name)s is withdrawn; the focal point has been told.", name=name),
    )


@bp.get("/<lang>/manage/congresses/<slug>/invitations/<int:delegate_id>.pdf")
@access("organiser")
def letter_pdf(congress: Congress, delegate_id: int):
    letter = _letter_in(congress, delegate_id)
    if not rules.may_draw(letter):
        abort(404)
    return letter_response(letter)


# --- Embassies ------------------------------------------------------------------------


def _unlisted(response):
    """The answer of the moment (a letter may be withdrawn tomorrow), for no search engine."""
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/<lang>/invitations/verify")
@access("public")
def verify():
    """Type a letter's reference, for whoever cannot scan its QR code."""
    form = ReferenceForm(request.args)
    if request.args and form.validate():
        reference = rules.read_reference(form.reference.data)
        if reference is not None:
            return redirect(url_for(".verified", token=reference))
        form.reference.errors = [
            _("A reference has 16 letters and digits in four groups, such as 7KQ3-M9XD-4F2A-HB8R.")
        ]
    elif not request.args:
        form = ReferenceForm(formdata=None)
    return _unlisted(make_response(render_template("invitations/verify.html", form=form)))


@bp.get("/<lang>/invitations/verify/<token>")
@access("token")
@limit_lookups
def verified(token: str):
    reference = rules.read_reference(token)
    letter = queries.letter_by_reference(reference) if reference else None
    if letter is None:
        page = render_template("invitations/verified.html", letter=None, reference=token[:40])
        return _unlisted(make_response(page, 404))
    return _unlisted(
        make_response(
            render_template(
                "invitations/verified.html",
                letter=letter,
                reference=letter.reference,
                congress=letter.congress,
            )
        )
    )
