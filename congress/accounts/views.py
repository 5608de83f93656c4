"""Account pages: sign-up, confirmation, sign-in and out, password reset, profile.

Messages never say whether an address has an account: sign-in failures, reset
requests and sign-ups with a taken address all get the same answer.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_remembered, login_required, login_user, logout_user
from sqlalchemy import select

from congress.accounts import operations, rules
from congress.accounts.forms import (
    ChangePasswordForm,
    EmailForm,
    FindAccountForm,
    ProfileForm,
    ResetPasswordForm,
    SignInForm,
    SignOutEverywhereForm,
    SignUpForm,
)
from congress.accounts.rules import TokenProblem, TokenPurpose
from congress.congresses.models import Congress
from congress.extensions import db, limiter, login_manager
from congress.i18n import current_language
from congress.security import access
from congress.security.redirects import local_target

bp = Blueprint("accounts", __name__)

login_manager.login_view = "accounts.sign_in"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"
# The lazy message becomes text in the visitor's language before it goes into the session.
login_manager.localize_callback = str


@bp.record_once
def _defaults(state) -> None:
    for name, value in rules.DEFAULTS.items():
        state.app.config.setdefault(name, value)


def _limit(name: str):
    """A rate limit on POST read from the configuration at request time."""
    from flask import current_app

    return limiter.limit(lambda: current_app.config[name], methods=["POST"])


def _token_message(problem: TokenProblem) -> str:
    if problem is TokenProblem.EXPIRED:
        return _("This link has expired. Ask for a new one below.")
    return _(
        "This link is not valid: it may have been used already, or copied incompletely. "
        "Ask for a new one below."
    )


@bp.route("/<lang>/account/sign-up", methods=["GET", "POST"])
@access("public")
@_limit("RATELIMIT_SIGN_UP")
def sign_up():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    form = SignUpForm()
    if request.method == "GET":
        form.language.data = current_language()
    if form.validate_on_submit():
        operations.sign_up(form.email.data, form.name.data, form.password.data, form.language.data)
        return render_template(
            "accounts/check_mail.html", email=rules.normalise_email(form.email.data)
        )
    return render_template("accounts/sign_up.html", form=form)


@bp.get("/<lang>/account/confirm/<token>")
@access("token")
def confirm_email(token: str):
    result = rules.read_token(token, TokenPurpose.CONFIRM_EMAIL)
    if result.user is None:
        flash(_token_message(result.problem), "error")
        return redirect(url_for("accounts.resend_confirmation"))
    if operations.confirm_email(result.user):
        flash(_("Thank you: your email address is confirmed. You can sign in now."), "success")
    else:
        flash(_("Your email address was already confirmed."), "info")
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    return redirect(url_for("accounts.sign_in", email=result.user.email))


@bp.route("/<lang>/account/resend-confirmation", methods=["GET", "POST"])
@access("public")
@_limit("RATELIMIT_SIGN_UP")
def resend_confirmation():
    form = EmailForm()
    if request.method == "GET":
        form.email.data = request.args.get("email", "")
    if form.validate_on_submit():
        user = rules.user_by_email(form.email.data)
        if user is not None and user.email_confirmed_at is None:
            operations.resend_confirmation(user)
        return render_template(
            "accounts/check_mail.html", email=rules.normalise_email(form.email.data)
        )
    return render_template("accounts/resend_confirmation.html", form=form)


@bp.route("/<lang>/account/sign-in", methods=["GET", "POST"])
@access("public")
@_limit("RATELIMIT_SIGN_IN")
def sign_in():
    form = SignInForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        form.email.data = request.args.get("email", "")
    target = local_target(form.next.data, default=url_for("accounts.profile"))
    if current_user.is_authenticated:
        return redirect(target)
    if form.validate_on_submit():
        user = rules.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("The email address or the password is not right."))
        elif user.email_confirmed_at is None:
            return render_template("accounts/sign_in.html", form=form, unconfirmed=user.email)
        else:
            login_user(user, remember=form.remember.data)
            flash(_("You are signed in."), "success")
            return redirect(target)
    return render_template("accounts/sign_in.html", form=form, unconfirmed=None)


@bp.post("/<lang>/account/sign-out")
@access("public")
def sign_out():
    if current_user.is_authenticated:
        operations.sign_out_everywhere(current_user._get_current_object())
    logout_user()
    flash(_("You are signed out, on this device and every other."), "success")
    return redirect(url_for("archive.home"))


@bp.route("/<lang>/account/reset", methods=["GET", "POST"])
@access("public")
@_limit("RATELIMIT_RESET")
def reset_request():
    form = EmailForm()
    if form.validate_on_submit():
        user = rules.user_by_email(form.email.data)
        if user is not None:
            operations.request_password_reset(user)
        return render_template(
            "accounts/check_mail.html",
            email=rules.normalise_email(form.email.data),
            reset=True,
        )
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/<lang>/account/reset/<token>", methods=["GET", "POST"])
@access("token")
@_limit("RATELIMIT_RESET")
def reset_password(token: str):
    result = rules.read_token(token, TokenPurpose.RESET_PASSWORD)
    if result.user is None:
        flash(_token_message(result.problem), "error")
        return redirect(url_for("accounts.reset_request"))
    user = result.user
    form = ResetPasswordForm()
    if form.validate_on_submit():
        operations.reset_password(user, form.password.data)
        flash(_("Your new password is set. You can sign in with it now."), "success")
        return redirect(url_for("accounts.sign_in", email=user.email))
    return render_template("accounts/reset_password.html", form=form, user=user)


def _render_profile(profile_form=None, password_form=None):
    user = current_user._get_current_object()
    if user.is_admin:
        organised = list(db.session.scalars(select(Congress).order_by(Congress.start_date.desc())))
    else:
        organised = sorted(user.organised_congresses, key=lambda c: c.start_date, reverse=True)
    if profile_form is None:
        # Not from the request: it may be the password form's POST.
        profile_form = ProfileForm(formdata=None, obj=user)
    return render_template(
        "accounts/profile.html",
        user=user,
        organised=organised,
        profile_form=profile_form,
        password_form=password_form or ChangePasswordForm(formdata=None),
    )


@bp.route("/<lang>/account/", methods=["GET", "POST"])
@access("signed_in")
@login_required
def profile():
    if request.method == "GET":
        return _render_profile()
    form = ProfileForm()
    if not form.validate_on_submit():
        return _render_profile(profile_form=form)
    operations.update_profile(
        current_user._get_current_object(), name=form.name.data, language=form.language.data
    )
    flash(_("Your account is updated."), "success")
    # Show the page in the language just chosen.
    return redirect(url_for("accounts.profile", lang=form.language.data))


@bp.post("/<lang>/account/password")
@access("signed_in")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if rules.check_password(current_user, form.current_password.data):
            user = current_user._get_current_object()
            remembered = login_remembered()
            operations.change_password(user, form.password.data)
            # Every other session ended with the old password; this one goes on.
            login_user(user, remember=remembered)
            flash(
                _("Your password is changed. You are signed out on every other device."), "success"
            )
            return redirect(url_for("accounts.profile"))
        form.current_password.errors.append(_("This is not your current password."))
    return _render_profile(password_form=form)


@bp.route("/<lang>/account/sign-out-everywhere", methods=["GET", "POST"])
@access("admin")
def sign_out_everywhere():
    """An administrator ends every session of an account: found by its address, then confirmed.

    The GET finds the account (``?email=``) and asks; only the POST of the confirmation,
    which names the account again, ends anything.
    """
    find = FindAccountForm(request.args)
    account = None
    if request.method == "POST":
        confirm = SignOutEverywhereForm()
        account = rules.user_by_email(confirm.email.data or "")
        if confirm.validate_on_submit() and account is not None:
            operations.sign_out_everywhere(account)
            flash(_("%(email)s is signed out on every device.", email=account.email), "success")
            return redirect(url_for("admin.index"))
        find = FindAccountForm(formdata=None, email=confirm.email.data)
    elif request.args.get("email") is not None and find.validate():
        account = rules.user_by_email(find.email.data)
        if account is None:
            find.email.errors.append(_("No account has this email address."))
    confirm = SignOutEverywhereForm(formdata=None, email=account.email if account else "")
    return render_template(
        "accounts/sign_out_everywhere.html", find=find, confirm=confirm, account=account
    )
