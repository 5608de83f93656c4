"""Registration pages: focal points register delegations, organisers accredit them.



``/<lang>/delegations/``, organisers' under ``/<lang>/manage/congresses/<slug>/``.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from congress.confirm import Confirmation, Recipient, confirmation_page
from congress.congresses.localtime import deadline_text
from congress.congresses.models import Congress
from congress.congresses.queries import congress_or_404
from congress.extensions import limiter
from congress.i18n import current_language
from congress.i18n.content import localized_text
from congress.i18n.countries import country_choices
from congress.registration import credentials, labels, operations, queries, rules
from congress.registration.forms import (
    ActionForm,
    CredentialsForm,
    DelegateForm,
    DelegationForm,
    QueueFilter,
    RejectionForm,
)
from congress.registration.labels import STATUSES
from congress.registration.models import Delegate, Delegation, DelegationStatus
from congress.security import access
from congress.security.inputs import storable_integer

bp = Blueprint("registration", __name__)


def _rate() -> str:
    return current_app.config["REGISTRATION_RATE_LIMIT"]


def _sender() -> str:
    # Per account when signed in: a ministry's focal points may share one address.
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return request.remote_addr or "unknown"


limit_posts = limiter.limit(_rate, methods=["POST"], key_func=_sender)


@bp.context_processor
def _labels() -> dict:
    return {
        "delegation_name": lambda d: rules.delegation_name(d, current_language()),
        "CATEGORIES": labels.CATEGORIES,
        "STATUSES": labels.STATUSES,
        "ROLES": labels.ROLES,
        "TITLES": labels.TITLES,
    }


def tr_congress(congress: Congress) -> str:
    """The congress's name in the page's language, for a confirmation's caption."""
    return localized_text(congress, "name")


@bp.app_context_processor
def _deadline() -> dict:
    # Every page that names a registration deadline (the congress's too) writes it alike.
    return {"deadline_text": lambda instant, zone: deadline_text(instant, zone, get_locale())}


def _me():
    """The signed-in user itself, not the proxy: the rules store it in relationships."""
    return current_user._get_current_object()


def _member(delegation: Delegation, delegate_id: int) -> Delegate:
    for delegate in delegation.delegates:
        if delegate.id == delegate_id:
            return delegate
    abort(404)


def _flash_undelivered(outcome: operations.Outcome) -> None:
    if outcome.undelivered:
        flash(
            _(
                "The mail to %(addresses)s could not be sent.",
                addresses=", ".join(outcome.undelivered),
            ),
            "error",
        )


# --- Focal points -----------------------------------------------------------------


@bp.route("/<lang>/congresses/<slug>/register", methods=["GET", "POST"])
@access("signed_in")
@limit_posts
def register(slug: str):
    congress = congress_or_404(slug)
    window = rules.registration_window(congress)
    categories = rules.open_categories(congress)
    if not window.is_open or not categories:
        return render_template(
            "registration/window.html", congress=congress, window=window, categories=categories
        )
    if current_user.email_confirmed_at is None:
        return render_template("registration/confirm_first.html", congress=congress), 403
    lang = current_language()
    form = DelegationForm()
    form.set_choices(categories, country_choices(lang, congress.start_date))
    pending = None
    if request.method == "POST":
        pending = credentials.read_pending(form.pending_credentials.data, current_user.id)
    if form.validate_on_submit():
        letter = form.credentials.letter or (pending.letter() if pending else None)
        try:
            delegation = operations.register_delegation(congress, _me(), form.details(), letter)
        except rules.RegistrationError as error:
            form.show(error)
        else:
            credentials.discard_pending(pending)
            flash(_("The delegation is registered. Now add its members."))
            return redirect(url_for(".delegation", delegation_id=delegation.id))
    if request.method == "POST" and form.credentials.letter:
        # Browsers never refill a file input: keep the letter for the next attempt.
        credentials.discard_pending(pending)
        pending = credentials.keep_pending(*form.credentials.letter, owner_id=current_user.id)
        if pending is None and not form.credentials.errors:
            # The disk refused to keep it: say so beside it rather than lose it silently.
            form.credentials.errors = [_("Choose the file again.")]
    form.pending_credentials.data = pending.token if pending else ""
    return render_template(
        "registration/register.html",
        congress=congress,
        form=form,
        window=window,
        pending=pending.filename if pending else None,
    )


@bp.get("/<lang>/delegations/")
@access("signed_in")
def mine():
    return render_template(
        "registration/mine.html", delegations=queries.delegations_of(current_user)
    )


@bp.get("/<lang>/delegations/<int:delegation_id>")
@access("focal_point_or_organiser")
def delegation(delegation: Delegation):
    return _delegation_page(delegation)


def _delegation_page(delegation: Delegation, credentials_form: CredentialsForm | None = None):
    congress = delegation.congress
    quota = rules.quotas(congress)[delegation.category]
    return render_template(
        "registration/delegation.html",
        delegation=delegation,
        congress=congress,
        name=rules.delegation_name(delegation, current_language()),
        members=rules.active_members(delegation),
        withdrawn=[d for d in delegation.delegates if d.withdrawn],
        quota=quota,
        window=rules.registration_window(congress),
        owner=rules.is_focal_point(current_user, delegation),
        editable=rules.members_editable(delegation),
        moves=rules.moves_for(delegation, current_user),
        tasks=rules.tasks(delegation),
        may_submit=rules.may_submit(delegation, current_user),
        credentials_form=credentials_form or CredentialsForm(formdata=None),
        action_form=ActionForm(formdata=None),
    )


@bp.get("/<lang>/delegations/<int:delegation_id>/check")
@access("focal_point")
def check(delegation: Delegation):
    """Check your answers: the whole delegation on one page, and the button that submits it."""
    congress = delegation.congress
    return render_template(
        "registration/check.html",
        delegation=delegation,
        congress=congress,
        name=rules.delegation_name(delegation, current_language()),
        members=rules.active_members(delegation),
        quota=rules.quotas(congress)[delegation.category],
        window=rules.registration_window(congress),
        tasks=rules.tasks(delegation),
        may_submit=rules.may_submit(delegation, current_user),
        editable=rules.members_editable(delegation),
        action_form=ActionForm(formdata=None),
    )


@bp.post("/<lang>/delegations/<int:delegation_id>/credentials")
@access("focal_point")
@limit_posts
def upload_credentials(delegation: Delegation):
    form = CredentialsForm()
    if form.validate_on_submit():
        try:
            operations.replace_credentials(delegation, form.credentials.letter)
        except rules.RegistrationError as error:
            form.show(error)
        else:
            flash(_("The credentials letter is uploaded."))
            return redirect(url_for(".delegation", delegation_id=delegation.id))
    return _delegation_page(delegation, credentials_form=form)


@bp.get("/<lang>/delegations/<int:delegation_id>/credentials")
@access("focal_point_or_organiser")
def download_credentials(delegation: Delegation):
    if not delegation.credentials_file:
        abort(404)
    path = credentials.path_of(delegation.credentials_file)
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=delegation.credentials_filename or "credentials.pdf",
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<lang>/delegations/<int:delegation_id>/delegates/new", methods=["GET", "POST"])
@access("focal_point")
@limit_posts
def add_delegate(delegation: Delegation):
    form = DelegateForm()
    if request.method == "GET":
        form.preferred_language.data = current_language()
    if form.validate_on_submit():
        try:
            operations.add_delegate(delegation, form.details())
        except rules.RegistrationError as error:
            form.show(error)
        else:
            flash(
                _(
                    "%(name)s is added to the delegation.",
                    name=" ".join((form.given_names.data, form.family_name.data)),
                )
            )
            return redirect(url_for(".delegation", delegation_id=delegation.id))
    return _delegate_page(delegation, form, None)


@bp.route(
    "/<lang>/delegations/<int:delegation_id>/delegates/<int:delegate_id>", methods=["GET", "POST"]
)
@access("focal_point")
@limit_posts
def edit_delegate(delegation: Delegation, delegate_id: int):
    delegate = _member(delegation, delegate_id)
    form = DelegateForm()
    if request.method == "GET":
        form.fill(delegate)
    if form.validate_on_submit():
        try:
            operations.update_delegate(delegate, form.details())
        except rules.RegistrationError as error:
            form.show(error)
        else:
            flash(_("The member's details are saved."))
            return redirect(url_for(".delegation", delegation_id=delegation.id))
    return _delegate_page(delegation, form, delegate)


def _delegate_page(delegation: Delegation, form: DelegateForm, delegate: Delegate | None):
    return render_template(
        "registration/delegate_form.html",
        delegation=delegation,
        congress=delegation.congress,
        name=rules.delegation_name(delegation, current_language()),
        form=form,
        delegate=delegate,
        editable=rules.members_editable(delegation),
    )


def _act(delegation: Delegation, action, success: str):
    """Run a button's rule; come back to the delegation page with what happened."""
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        outcome = action()
    except rules.RegistrationError as error:
        flash(str(error.message), "error")
    else:
        flash(success)
        if isinstance(outcome, operations.Outcome):
            _flash_undelivered(outcome)
    return redirect(url_for(".delegation", delegation_id=delegation.id))


def _recipients(delegation: Delegation, to: DelegationStatus) -> list[Recipient]:
    """Who the move mails, by name, with what each is sent."""
    sent = {
        rules.FOCAL_POINT_MAIL: _("The decision, as the delegation's focal point"),
        rules.MEMBER_MAIL: _("Their personal link to their agenda"),
    }
    if to is DelegationStatus.SUBMITTED or to is DelegationStatus.WITHDRAWN:
        sent[rules.FOCAL_POINT_MAIL] = _("A confirmation, as the delegation's focal point")
    return [
        Recipient(name, email, sent[why]) for name, email, why in rules.mailed_at(delegation, to)
    ]


def _refusal(delegation: Delegation, to: DelegationStatus) -> str:
    """Why ``to`` cannot be reached now; empty when the signed-in user may make the move."""
    if to in rules.moves_for(delegation, current_user):
        return ""
    return _(
        "This delegation cannot go from “%(current)s” to “%(next)s”.",
        current=STATUSES[delegation.status],
        next=STATUSES[to],
    )


@bp.route(
    "/<lang>/delegations/<int:delegation_id>/delegates/<int:delegate_id>/withdraw",
    methods=["GET", "POST"],
)
@access("focal_point")
@limit_posts
def withdraw_delegate(delegation: Delegation, delegate_id: int):
    delegate = _member(delegation, delegate_id)
    if request.method == "GET":
        refused = ""
        try:
            rules.check_not_final(delegation)
        except rules.RegistrationError as error:
            refused = str(error.message)
        if delegate.withdrawn:
            refused = _("%(name)s is already withdrawn.", name=delegate.full_name)
        return confirmation_page(
            Confirmation(
                caption=rules.delegation_name(delegation, current_language()),
                title=_("Withdraw %(name)s from the delegation?", name=delegate.full_name),
                happens=[
                    _(
                        "%(name)s is taken off the delegation's list and will not be accredited"
                        " with it.",
                        name=delegate.full_name,
                    ),
                    _("Their address stays registered for this congress."),
                ],
                undo=_("While registration is open you can put them back on the list."),
                button=_("Withdraw %(name)s", name=delegate.full_name),
                back=url_for(".delegation", delegation_id=delegation.id),
                refused=refused,
            )
        )
    return _act(
        delegation,
        lambda: operations.withdraw_delegate(delegate),
        _("%(name)s is withdrawn.", name=delegate.full_name),
    )


@bp.post("/<lang>/delegations/<int:delegation_id>/delegates/<int:delegate_id>/reinstate")
@access("focal_point")
@limit_posts
def reinstate_delegate(delegation: Delegation, delegate_id: int):
    delegate = _member(delegation, delegate_id)
    return _act(
        delegation,
        lambda: operations.reinstate_delegate(delegate),
        _("%(name)s is back on the list.", name=delegate.full_name),
    )


@bp.post("/<lang>/delegations/<int:delegation_id>/submit")
@access("focal_point")
@limit_posts
def submit(delegation: Delegation):
    return _act(
        delegation,
        lambda: operations.transition(delegation, DelegationStatus.SUBMITTED, _me()),
        _("The delegation is submitted. The organisers will review it."),
    )


@bp.route("/<lang>/delegations/<int:delegation_id>/withdraw", methods=["GET", "POST"])
@access("focal_point")
@limit_posts
def withdraw(delegation: Delegation):
    if request.method == "GET":
        to = DelegationStatus.WITHDRAWN
        return confirmation_page(
            Confirmation(
                caption=tr_congress(delegation.congress),
                title=_(
                    "Withdraw the delegation %(name)s?",
                    name=rules.delegation_name(delegation, current_language()),
                ),
                happens=[
                    _("The delegation will not be accredited and its list can no longer change."),
                    _("Only the congress's organisers can reopen it."),
                ],
                recipients=_recipients(delegation, to),
                button=_("Withdraw the delegation"),
                back=url_for(".delegation", delegation_id=delegation.id),
                refused=_refusal(delegation, to),
            )
        )
    return _act(
        delegation,
        lambda: operations.transition(delegation, DelegationStatus.WITHDRAWN, _me()),
        _("The delegation is withdrawn."),
    )


# --- Organisers -------------------------------------------------------------------


@bp.get("/<lang>/manage/congresses/<slug>/delegations")
@access("organiser")
def queue(congress: Congress):
    filters = QueueFilter(request.args)
    if not filters.validate():
        # An unknown value in the address filters nothing rather than failing.
        for field in filters:
            if field.errors:
                field.data, field.errors = field.default or "", []
    rows = queries.queue(
        congress,
        current_language(),
        status=filters.chosen_status(),
        category=filters.chosen_category(),
        text=filters.q.data or "",
        sort=filters.chosen_sort(),
    )
    return render_template("registration/queue.html", congress=congress, filters=filters, rows=rows)


@bp.route("/<lang>/manage/congresses/<slug>/delegations/accredit", methods=["GET", "POST"])
@access("organiser")
@limit_posts
def accredit_many(congress: Congress):
    """Accredit the delegations chosen in the queue: one confirmation, one transaction each."""
    ids = request.values.getlist("delegation", type=storable_integer)
    chosen = queries.delegations_chosen(congress, ids)
    to = DelegationStatus.ACCREDITED
    ready = [d for d in chosen if to in rules.moves_for(d, current_user)]
    lang = current_language()
    back = url_for(".queue", slug=congress.slug, status=DelegationStatus.SUBMITTED.value)
    if request.method == "GET":
        left = len(chosen) - len(ready)
        happens = [
            _("Each delegation's members are accredited and its list can no longer change."),
            _("Each member is sent a personal link to their agenda and calendar."),
        ]
        if left:
            happens.append(
                ngettext(
                    "%(num)d chosen delegation is not submitted: it is left as it is.",
                    "%(num)d chosen delegations are not submitted: they are left as they are.",
                    left,
                )
            )
        return confirmation_page(
            Confirmation(
                caption=tr_congress(congress),
                title=ngettext(
                    "Accredit %(num)d delegation?", "Accredit %(num)d delegations?", len(ready)
                ),
                items=[
                    ngettext(
                        "%(name)s, %(num)d member",
                        "%(name)s, %(num)d members",
                        len(rules.active_members(d)),
                        name=rules.delegation_name(d, lang),
                    )
                    for d in ready
                ],
                happens=happens,
                recipients=[r for d in ready for r in _recipients(d, to)],
                button=ngettext(
                    "Accredit %(num)d delegation", "Accredit %(num)d delegations", len(ready)
                ),
                back=back,
                hidden=[("delegation", str(d.id)) for d in ready],
                refused="" if ready else _("Choose at least one submitted delegation in the list."),
                danger=False,
            )
        )
    if not ActionForm().validate_on_submit():
        abort(400)
    accredited, undelivered = 0, []
    for delegation in ready:
        # One transaction each: a delegation refused (accredited meanwhile, say) stops no other.
        try:
            outcome = operations.transition(delegation, to, _me())
        except rules.RegistrationError as error:
            flash(f"{rules.delegation_name(delegation, lang)}: {error.message}", "error")
        else:
            accredited += 1
            undelivered.extend(outcome.undelivered)
    if accredited:
        flash(
            ngettext(
                "%(num)d delegation is accredited; its members have been sent their personal"
                " links.",
                "%(num)d delegations are accredited; their members have been sent their personal"
                " links.",
                accredited,
            ),
            "success",
        )
    if undelivered:
        flash(
            _("The mail to %(addresses)s could not be sent.", addresses=", ".join(undelivered)),
            "error",
        )
    return redirect(back)


@bp.get("/<lang>/manage/congresses/<slug>/delegations/<int:delegation_id>")
@access("organiser")
def review(congress: Congress, delegation_id: int):
    delegation = queries.delegation_in_or_404(congress, delegation_id)
    return _review_page(delegation)


def _review_page(delegation: Delegation):
    congress = delegation.congress
    return render_template(
        "registration/review.html",
        delegation=delegation,
        congress=congress,
        name=rules.delegation_name(delegation, current_language()),
        members=rules.active_members(delegation),
        withdrawn=[d for d in delegation.delegates if d.withdrawn],
        quota=rules.quotas(congress)[delegation.category],
        moves=rules.moves_for(delegation, current_user),
    )


def _review_url(delegation: Delegation) -> str:
    return url_for(".review", slug=delegation.congress.slug, delegation_id=delegation.id)


@bp.route(
    "/<lang>/manage/congresses/<slug>/delegations/<int:delegation_id>/accredit",
    methods=["GET", "POST"],
)
@access("organiser")
@limit_posts
def accredit(congress: Congress, delegation_id: int):
    delegation = queries.delegation_in_or_404(congress, delegation_id)
    if request.method == "GET":
        to = DelegationStatus.ACCREDITED
        members = len(rules.active_members(delegation))
        return confirmation_page(
            Confirmation(
                caption=tr_congress(congress),
                title=_(
                    "Accredit the delegation %(name)s?",
                    name=rules.delegation_name(delegation, current_language()),
                ),
                happens=[
                    ngettext(
                        "Its %(num)d member is accredited and its list can no longer change.",
                        "Its %(num)d members are accredited and its list can no longer change.",
                        members,
                    ),
                    _("Each member is sent a personal link to their agenda and calendar."),
                ],
                recipients=_recipients(delegation, to),
                button=_("Accredit the delegation"),
                back=_review_url(delegation),
                refused=_refusal(delegation, to),
                danger=False,
            )
        )
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        outcome = operations.transition(delegation, DelegationStatus.ACCREDITED, _me())
    except rules.RegistrationError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The delegation is accredited; its members have been sent their personal links."))
        _flash_undelivered(outcome)
    return redirect(url_for(".review", slug=congress.slug, delegation_id=delegation.id))


@bp.route(
    "/<lang>/manage/congresses/<slug>/delegations/<int:delegation_id>/reject",
    methods=["GET", "POST"],
)
@access("organiser")
@limit_posts
def reject(congress: Congress, delegation_id: int):
    delegation = queries.delegation_in_or_404(congress, delegation_id)
    form = RejectionForm(formdata=None) if request.method == "GET" else RejectionForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            outcome = operations.transition(
                delegation, DelegationStatus.REJECTED, _me(), form.reason.data
            )
        except rules.RegistrationError as error:
            form.show(error)
        else:
            flash(_("The delegation is rejected; the focal point has been told why."))
            _flash_undelivered(outcome)
            return redirect(url_for(".review", slug=congress.slug, delegation_id=delegation.id))
    to = DelegationStatus.REJECTED
    return confirmation_page(
        Confirmation(
            caption=tr_congress(congress),
            title=_(
                "Reject the delegation %(name)s?",
                name=rules.delegation_name(delegation, current_language()),
            ),
            happens=[
                _("The delegation is not accredited; the focal point reads your reason."),
                _("The focal point may correct the delegation and submit it again."),
            ],
            recipients=_recipients(delegation, to),
            undo=_("You can reopen a rejected delegation later."),
            button=_("Reject the delegation"),
            back=_review_url(delegation),
            refused=_refusal(delegation, to),
            form=form,
            fields=["reason"],
        )
    )


@bp.route(
    "/<lang>/manage/congresses/<slug>/delegations/<int:delegation_id>/reopen",
    methods=["GET", "POST"],
)
@access("organiser")
@limit_posts
def reopen(congress: Congress, delegation_id: int):
    """A withdrawn or rejected delegation back to draft, for its focal point to submit again."""
    delegation = queries.delegation_in_or_404(congress, delegation_id)
    to = DelegationStatus.DRAFT
    if request.method == "GET":
        happens = [
            _("The delegation becomes a draft again, as its focal point first made it."),
            _("Its focal point may change it and submit it again."),
        ]
        if not rules.registration_window(congress).is_open:
            happens.append(
                _(
                    "Registration is not open: the focal point cannot submit it again until"
                    " the registration settings open it."
                )
            )
        return confirmation_page(
            Confirmation(
                caption=tr_congress(congress),
                title=_(
                    "Reopen the delegation %(name)s?",
                    name=rules.delegation_name(delegation, current_language()),
                ),
                happens=happens,
                recipients=[
                    Recipient(name, email, _("The news that the delegation is reopened"))
                    for name, email, _why in rules.mailed_at(delegation, to)
                ],
                button=_("Reopen the delegation"),
                back=_review_url(delegation),
                refused=_refusal(delegation, to),
                danger=False,
            )
        )
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        outcome = operations.transition(delegation, to, _me())
    except rules.RegistrationError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The delegation is reopened: it is a draft again."), "success")
        _flash_undelivered(outcome)
    return redirect(_review_url(delegation))
