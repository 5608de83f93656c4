"""Pages of photographs, badges, the badge desk and the doors.

The focal point's under ``/<lang>/delegations/<id>/photos``; the organisers' under
``/<lang>/manage/congresses/<slug>/badges`` (the desk, badges and sheets as PDF, settings)
and ``/<lang>/manage/congresses/<slug>/doors`` (check-in, with its JSON answer).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from congress.badges import labels as _audit_words  # noqa: F401  (the audit log's words)
from congress.badges import operations, queries
from congress.badges.forms import CodeForm, PhotoForm, SettingsForm
from congress.badges.models import Badge
from congress.badges.pdf import CACHE, printed_name, sheet_html
from congress.badges.rules import PhotoError, current_badge, members_without_photo, settings_of
from congress.confirm import Confirmation, confirmation_page
from congress.congresses.models import Congress
from congress.extensions import db
from congress.i18n import current_language
from congress.participants.pdf import pdf_response, status_response
from congress.registration.models import Delegate, Delegation
from congress.registration.rules import delegation_name
from congress.security import access

bp = Blueprint("badges", __name__)


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _member(delegation: Delegation, delegate_id: int) -> Delegate:
    for delegate in delegation.delegates:
        if delegate.id == delegate_id and not delegate.withdrawn:
            return delegate
    abort(404)


# --- Focal points: photographs ----------------------------------------------------------


@bp.get("/<lang>/delegations/<int:delegation_id>/photos")
@access("focal_point")
def photos(delegation: Delegation):
    return render_template(
        "badges/photos.html",
        delegation=delegation,
        congress=delegation.congress,
        name=delegation_name(delegation, current_language()),
        members=[d for d in delegation.delegates if not d.withdrawn],
        photos=queries.photos_of(delegation),
        missing=members_without_photo(delegation),
    )


@bp.route(
    "/<lang>/delegations/<int:delegation_id>/photos/<int:delegate_id>", methods=["GET", "POST"]
)
@access("focal_point")
def upload(delegation: Delegation, delegate_id: int):
    delegate = _member(delegation, delegate_id)
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            operations.save_photo(delegate, form.photo.data.read(), form.crop())
        except PhotoError as error:
            form.photo.errors = [str(error.message)]
        else:
            flash(_("The photograph of %(name)s is saved.", name=delegate.full_name), "success")
            return redirect(
                url_for(".upload", delegation_id=delegation.id, delegate_id=delegate.id)
            )
    return render_template(
        "badges/upload.html",
        delegation=delegation,
        delegate=delegate,
        name=delegation_name(delegation, current_language()),
        photo=queries.photo_of(delegate.id),
        form=form,
    ), 400 if form.errors else 200


@bp.get("/<lang>/delegations/<int:delegation_id>/photos/<int:delegate_id>.jpg")
@access("focal_point_or_organiser")
def photo(delegation: Delegation, delegate_id: int):
    delegate = _member(delegation, delegate_id)
    found = queries.photo_of(delegate.id)
    if found is None:
        abort(404)
    try:
        data = queries.photo_path(found).read_bytes()
    except FileNotFoundError:
        abort(404)
    response = Response(data, mimetype="image/jpeg")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return _private(response)


# --- Organisers: the badge desk -------------------------------------------------------


def _badge_of_congress(congress: Congress, badge_id: int) -> Badge:
    badge = db.session.get(Badge, badge_id)
    if badge is None or badge.congress_id != congress.id:
        abort(404)
    return badge


@bp.get("/<lang>/manage/congresses/<slug>/badges")
@access("organiser")
def desk(congress: Congress):
    text = request.args.get("q", "")[:200]
    found = queries.desk_search(congress, text) if text else []
    if found:
        operations.issue_badges(found)
    lang = current_language()
    return _private(
        Response(
            render_template(
                "badges/desk.html",
                congress=congress,
                q=text,
                found=[
                    (m, printed_name(m), delegation_name(m.delegation, lang), current_badge(m))
                    for m in found
                ],
                form=CodeForm(formdata=None),
                delegations=sorted(
                    {m.delegation for m in queries.accredited_members(congress)},
                    key=lambda d: delegation_name(d, lang),
                ),
                delegation_name=lambda d: delegation_name(d, lang),
            )
        )
    )


@bp.post("/<lang>/manage/congresses/<slug>/badges/<int:id>/collected")
@access("organiser")
def collected(congress: Congress, id: int):
    badge = _badge_of_congress(congress, id)
    if CodeForm().validate_on_submit() and badge.revoked_at is None:
        operations.mark_collected(badge)
        flash(_("Badge collected: %(name)s.", name=badge.delegate.full_name), "success")
    return redirect(url_for(".desk", slug=congress.slug, q=request.form.get("q", "")))


@bp.route("/<lang>/manage/congresses/<slug>/badges/<int:id>/replace", methods=["GET", "POST"])
@access("organiser")
def replace(congress: Congress, id: int):
    badge = _badge_of_congress(congress, id)
    back = url_for(".desk", slug=congress.slug, q=badge.delegate.family_name)
    if request.method == "GET" or not CodeForm().validate_on_submit():
        return confirmation_page(
            Confirmation(
                title=_("Print a replacement badge for %(name)s?", name=badge.delegate.full_name),
                caption=delegation_name(badge.delegate.delegation, current_language()),
                happens=[
                    _("The badge now held is revoked: at the doors it reads as revoked."),
                    _("A new badge with a new code is issued, ready to print."),
                ],
                refused=_("This badge was already replaced.") if badge.revoked_at else "",
                button=_("Revoke it and issue a replacement"),
                back=back,
            )
        )
    if badge.revoked_at is None:
        operations.replace_badge(badge)
        flash(_("A replacement badge was issued; the old one is revoked."), "success")
    return redirect(back)


@bp.get("/<lang>/manage/congresses/<slug>/badges/<int:delegate_id>.pdf")
@access("organiser")
def badge_pdf(congress: Congress, delegate_id: int):
    members = [m for m in queries.accredited_members(congress) if m.id == delegate_id]
    if not members:
        delegate = db.session.get(Delegate, delegate_id)
        if delegate is None or delegate.congress_id != congress.id:
            abort(404)
        # The organiser asked for a member who gets no badge yet: say why.
        return render_template("badges/no_badge.html", congress=congress, delegate=delegate)
    # One card is drawn in a fraction of a second: here, not by a job.
    return _sheet(congress, members, "cr80", f"badge-{delegate_id}", by_job=False)


def _sheet(
    congress: Congress, members: list[Delegate], layout: str, name: str, by_job: bool = True
) -> Response:
    badges = operations.issue_badges(members)
    html = sheet_html(badges, layout, name)
    return _private(
        pdf_response(
            CACHE,
            f"{congress.slug}-{name}-{layout}",
            html,
            f"{name}-{layout}.pdf",
            unavailable=_("Badges cannot be drawn on this server at the moment."),
            status_url=(
                (
                    lambda digest: url_for(
                        f".sheet_{layout}_status", slug=congress.slug, digest=digest, **request.args
                    )
                )
                if by_job
                else None
            ),
            congress_id=congress.id,
        )
    )


def _sheet_name(congress: Congress) -> tuple[str, int | None]:
    delegation_id = request.args.get("delegation", type=int)
    return (f"delegation-{delegation_id}" if delegation_id else "all"), delegation_id


def _layout_sheet(congress: Congress, layout: str) -> Response:
    name, delegation_id = _sheet_name(congress)
    members = queries.accredited_members(congress, delegation_id)
    if not members:
        abort(404)
    return _sheet(congress, members, layout, name)


def _layout_status(congress: Congress, layout: str, digest: str) -> Response:
    name, _delegation = _sheet_name(congress)
    return _private(
        status_response(
            CACHE,
            f"{congress.slug}-{name}-{layout}",
            digest,
            url_for(f".sheet_{layout}", slug=congress.slug, **request.args),
        )
    )


@bp.get("/<lang>/manage/congresses/<slug>/badges/sheet-a4.pdf")
@access("organiser")
def sheet_a4(congress: Congress):
    return _layout_sheet(congress, "a4")


@bp.get("/<lang>/manage/congresses/<slug>/badges/sheet-cr80.pdf")
@access("organiser")
def sheet_cr80(congress: Congress):
    return _layout_sheet(congress, "cr80")


@bp.get("/<lang>/manage/congresses/<slug>/badges/sheet-a4.pdf/status/<digest>")
@access("organiser")
def sheet_a4_status(congress: Congress, digest: str):
    return _layout_status(congress, "a4", digest)


@bp.get("/<lang>/manage/congresses/<slug>/badges/sheet-cr80.pdf/status/<digest>")
@access("organiser")
def sheet_cr80_status(congress: Congress, digest: str):
    return _layout_status(congress, "cr80", digest)


@bp.route("/<lang>/manage/congresses/<slug>/badges/settings", methods=["GET", "POST"])
@access("organiser")
def settings(congress: Congress):
    current = settings_of(congress.id)
    form = SettingsForm(
        data={
            "photo_required_categories": current.photo_required_categories or [],
            "erase_on": current.erase_on,
        }
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        if form.erase_on.data and form.erase_on.data <= congress.end_date:
            form.erase_on.errors = [_("Choose a day after the congress ends.")]
        else:
            operations.save_settings(
                congress, form.photo_required_categories.data or [], form.erase_on.data
            )
            flash(_("The settings are saved."), "success")
            return redirect(url_for(".settings", slug=congress.slug))
    return render_template("badges/settings.html", congress=congress, form=form), (
        400 if form.errors else 200
    )


# --- The doors ----------------------------------------------------------------------------


@bp.get("/<lang>/manage/congresses/<slug>/doors")
@access("organiser")
def doors(congress: Congress):
    return _private(
        Response(
            render_template(
                "badges/doors.html",
                congress=congress,
                form=CodeForm(formdata=None),
                per_day=queries.entries_per_day(congress),
            )
        )
    )


@bp.post("/<lang>/manage/congresses/<slug>/doors/check")
@access("organiser")
def check(congress: Congress):
    form = CodeForm()
    if not form.validate_on_submit():
        return jsonify(error=_("The page is out of date: reload it.")), 400
    result, badge = operations.check_in(congress, form.code.data or "")
    words = {"valid": _("Valid"), "revoked": _("Revoked"), "unknown": _("Unknown badge")}
    body: dict = {"answer": result, "word": words[result]}
    if badge is not None:
        delegate = badge.delegate
        body |= {
            "name": printed_name(delegate),
            "delegation": delegation_name(delegate.delegation, current_language()),
            "photo": (
                url_for(".photo", delegation_id=delegate.delegation_id, delegate_id=delegate.id)
                if queries.photo_of(delegate.id)
                else None
            ),
        }
    return _private(jsonify(body))
