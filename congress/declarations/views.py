"""An outcome document's public page, and the organisers' page of its commitments."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from congress.congresses.models import Congress
from congress.congresses.rules import is_organiser
from congress.declarations import labels as _audit_words  # noqa: F401  (the audit log's words)
from congress.declarations import operations, rules
from congress.declarations.forms import CommitmentForm, RemoveForm
from congress.declarations.models import CommitmentKind
from congress.declarations.queries import (
    commitment_of_or_404,
    commitments_to,
    document_of_or_404,
    document_or_404,
)
from congress.i18n import current_language
from congress.i18n.collation import collated
from congress.i18n.countries import country_name, states
from congress.security import access

bp = Blueprint("declarations", __name__)


@bp.context_processor
def _kinds() -> dict:
    return {"CommitmentKind": CommitmentKind}


@bp.get("/<lang>/congresses/<slug>/declarations/<doc_slug>")
@access("public")
def document(slug: str, doc_slug: str):
    document = document_or_404(slug, doc_slug)
    congress = document.congress
    lang = current_language()
    return render_template(
        "declarations/document.html",
        document=document,
        congress=congress,
        lists=rules.listed(commitments_to([document])[document.id], congress, lang),
        figures=[f for f in congress.figures if f.measure == "governments"],
        can_manage=is_organiser(current_user, congress),
    )


def _country_choices(congress, lang: str) -> list[SelectChoice]:
    """Every country, by its name at the congress (today's beside it when it changed)."""

    def label(code: str) -> str:
        then, now = country_name(code, lang, congress.start_date), country_name(code, lang)
        return then if then == now else f"{then} ({now})"

    choices = [SelectChoice(code, label(code)) for code in states()]
    return [SelectChoice("", _("Choose a government"))] + collated(
        choices, key=lambda c: c.label, lang=lang
    )


@bp.route(
    "/<lang>/manage/congresses/<slug>/declarations/<doc_slug>/commitments",
    methods=["GET", "POST"],
)
@access("organiser")
def manage(congress: Congress, doc_slug: str):
    document = document_of_or_404(congress, doc_slug)
    lang = current_language()
    form = CommitmentForm()
    form.country_code.choices = _country_choices(congress, lang)
    status = 200
    if form.validate_on_submit():
        try:
            commitment = operations.add_commitment(
                document,
                country_code=form.country_code.data,
                kind=CommitmentKind(form.kind.data),
                on=form.on.data,
                through_delegation=form.through_delegation.data,
                note=form.note.data,
                today=date.today(),
            )
        except rules.InvalidCommitment as error:
            for field, message in error.errors.items():
                form[field].errors.append(message)
        else:
            flash(
                _(
                    "Recorded: %(country)s, %(kind)s.",
                    country=rules.name_at_the_time(commitment, congress, lang),
                    kind={c.value: c.label for c in form.kind.choices}[form.kind.data],
                ),
                "success",
            )
            return redirect(url_for(".manage", slug=congress.slug, doc_slug=doc_slug))
    if form.is_submitted() and form.errors:
        status = 422
    return render_template(
        "declarations/manage.html",
        document=document,
        congress=congress,
        form=form,
        remove_form=RemoveForm(),
        lists=rules.listed(commitments_to([document])[document.id], congress, lang),
    ), status


@bp.post("/<lang>/manage/congresses/<slug>/declarations/<doc_slug>/commitments/<int:id>/remove")
@access("organiser")
def remove(congress: Congress, doc_slug: str, id: int):
    document = document_of_or_404(congress, doc_slug)
    if not RemoveForm().validate_on_submit():
        abort(400)
    commitment = commitment_of_or_404(document, id)
    name = rules.name_at_the_time(commitment, document.congress, current_language())
    operations.remove_commitment(commitment, document.congress_id)
    flash(_("Removed: %(country)s.", country=name), "success")
    return redirect(url_for(".manage", slug=congress.slug, doc_slug=doc_slug))
