"""Administration: site administrators create congress editions and appoint their
organisers; organisers set their congress's registration window, status and categories.

``@access("admin")`` and ``@access("organiser")`` decide who may open each page and
load the congress; the writes are :mod:`congress.admin.operations`.
"""

from __future__ import annotations

from datetime import datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from congress.accounts import rules as accounts
from congress.accounts.models import User
from congress.admin import labels as _audit_words  # noqa: F401  (the audit log's words)
from congress.admin import operations, queries, rules
from congress.admin.forms import (
    CATEGORY_LABELS,
    STATUS_LABELS,
    AppointOrganiserForm,
    CongressForm,
    RegistrationSettingsForm,
)
from congress.audit import labels as audit_labels
from congress.audit.views import moment
from congress.confirm import Confirmation, ConfirmForm, confirmation_page
from congress.congresses.localtime import to_local
from congress.congresses.models import Congress, CongressStatus
from congress.congresses.rules import is_appointed
from congress.db import utcnow
from congress.extensions import db
from congress.i18n import current_language
from congress.i18n.content import localized_text
from congress.registration import labels as registration_labels
from congress.registration import rules as registration
from congress.registration.models import DelegationStatus
from congress.security import access

bp = Blueprint("admin", __name__)


@bp.get("/<lang>/admin/")
@access("admin")
def index():
    return render_template(
        "admin/index.html",
        congresses=queries.congresses_with_organisers(),
        status_labels=STATUS_LABELS,
    )


def _congress_fields(form: CongressForm) -> dict:
    return {
        "ordinal": form.ordinal.data,
        "original_language": form.original_language.data,
        "name": form.translated("name"),
        "city": form.translated("city"),
        "country_code": form.country_code.data,
        "venue": form.venue.data or None,
        "timezone": form.timezone.data,
        "start_date": form.start_date.data,
        "end_date": form.end_date.data,
        "status": CongressStatus(form.status.data),
    }


def _local(instant, zone):
    """The wall-clock time a form field shows for a stored instant (empty for none)."""
    return to_local(instant, zone) if instant else None


def _render_congress_form(form: CongressForm, congress: Congress | None):
    return render_template(
        "admin/congress_form.html",
        form=form,
        congress=congress,
        time_zones=sorted(rules.time_zones()),
    )


@bp.route("/<lang>/admin/congresses/new", methods=["GET", "POST"])
@access("admin")
def new_congress():
    form = CongressForm(lang=current_language())
    if form.validate_on_submit():
        if queries.slug_taken(form.slug.data):
            form.slug.errors.append(_("Another congress already uses this short name."))
        else:
            congress = operations.create_congress(slug=form.slug.data, **_congress_fields(form))
            flash(_("The congress is created. Appoint its organisers now."), "success")
            return redirect(url_for("admin.organisers", slug=congress.slug))
    return _render_congress_form(form, None)


@bp.route("/<lang>/admin/congresses/<slug>/", methods=["GET", "POST"])
@access("admin")
def edit_congress(congress: Congress):
    form = CongressForm(lang=current_language())
    if request.method == "GET":
        form.process(obj=congress)
        form.status.data = congress.status.value
        for kind in ("name", "city"):
            for lang, text in getattr(congress, kind).items():
                form[f"{kind}_{lang}"].data = text
    # The short name is part of addresses already given out: it stays.
    form.slug.data = congress.slug
    if form.validate_on_submit():
        operations.update_congress(congress, **_congress_fields(form))
        flash(_("The congress is saved."), "success")
        return redirect(url_for("admin.index"))
    return _render_congress_form(form, congress)


@bp.route("/<lang>/admin/congresses/<slug>/organisers", methods=["GET", "POST"])
@access("admin")
def organisers(congress: Congress):
    form = AppointOrganiserForm()
    if form.validate_on_submit():
        user = accounts.user_by_email(form.email.data)
        if user is None:
            form.email.errors.append(
                _("No account uses this address. Ask them to create one first, then try again.")
            )
        elif operations.appoint_organiser(congress, user):
            flash(_("%(email)s now organises this congress.", email=user.email), "success")
            return redirect(url_for("admin.organisers", slug=congress.slug))
        else:
            form.email.errors.append(_("This person already organises this congress."))
    return render_template(
        "admin/organisers.html",
        congress=congress,
        organisers=queries.organisers_of(congress, current_language()),
        form=form,
    )


@bp.route(
    "/<lang>/admin/congresses/<slug>/organisers/<int:user_id>/remove", methods=["GET", "POST"]
)
@access("admin")
def remove_organiser(congress: Congress, user_id: int):
    user = db.session.get(User, user_id)
    if user is None or not is_appointed(user, congress):
        abort(404)
    if request.method == "GET":
        who = f"{user.name} <{user.email}>" if user.name else user.email
        return confirmation_page(
            Confirmation(
                caption=localized_text(congress, "name"),
                title=_("Remove %(who)s from the organisers?", who=who),
                happens=[
                    _(
                        "They can no longer open this congress's organisers' pages: delegations,"
                        " programme, settings and audit log."
                    ),
                    _("What they did stays in the audit log under their name."),
                ],
                undo=_("You can appoint them again; they are then mailed as at any appointment."),
                button=_("Remove the organiser"),
                back=url_for("admin.organisers", slug=congress.slug),
            )
        )
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not operations.remove_organiser(congress, user):
        abort(404)
    flash(_("%(email)s no longer organises this congress.", email=user.email), "success")
    return redirect(url_for("admin.organisers", slug=congress.slug))


@bp.get("/<lang>/manage/congresses/<slug>/")
@access("organiser")
def manage(congress: Congress):
    """The organisers' entry to their congress: its counts, its deadline, its latest changes,
    and every page they work from."""
    window = registration.registration_window(congress)
    now = utcnow()
    deadline = window.opens_at if window.state == "not_yet_open" else window.closes_at
    return render_template(
        "admin/manage.html",
        congress=congress,
        dashboard=queries.dashboard(congress),
        window=window,
        days=rules.days_between(now, deadline, congress.zone) if deadline else None,
        statuses=DelegationStatus,
        status_words=registration_labels.STATUSES,
        category_words=registration_labels.CATEGORIES,
        word_action=audit_labels.word_action,
        word_record=audit_labels.word_record,
        moment=moment,
    )


@bp.route("/<lang>/manage/congresses/<slug>/settings", methods=["GET", "POST"])
@access("organiser")
def congress_settings(congress: Congress):
    zone = congress.zone
    form = RegistrationSettingsForm(zone=zone)
    if request.method == "GET":
        form.opens_at.data = _local(congress.registration_opens_at, zone)
        form.closes_at.data = _local(congress.registration_closes_at, zone)
        form.status.data = congress.status.value
        for setting in queries.category_settings(congress):
            form[f"open_{setting.category.value}"].data = setting.is_open
            form[f"max_{setting.category.value}"].data = setting.max_delegates
    if form.validate_on_submit():
        changed = operations.save_registration_settings(
            congress,
            opens_at=form.opens_at_utc,
            closes_at=form.closes_at_utc,
            status=CongressStatus(form.status.data),
            categories=form.category_settings(),
        )
        flash(
            _("The settings are saved.") if changed else _("Nothing changed."),
            "success",
        )
        return redirect(url_for("admin.congress_settings", slug=congress.slug))
    # The offset in force during the congress; each stored time shows its own beside it.
    congress_noon = datetime.combine(congress.start_date, time(12), tzinfo=zone)
    return render_template(
        "admin/settings.html",
        congress=congress,
        form=form,
        zone=zone,
        congress_noon=congress_noon,
        category_labels=CATEGORY_LABELS,
    )
