"""Monitoring pages: records kept by monitors, a document's follow-up, a country's report.

Monitors work under ``/<lang>/monitoring/``; the public reads published records on the
country pages, on ``…/declarations/<doc>/follow-up`` and in the reports and exports.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import click
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from congress.accounts.rules import user_by_email
from congress.archive.models import Reliability
from congress.congresses.models import Congress
from congress.congresses.queries import congress_or_404
from congress.db import LANGUAGES
from congress.declarations.queries import document_of_or_404
from congress.i18n import current_language
from congress.i18n.content import localize
from congress.i18n.countries import country_choices, is_country
from congress.monitoring import labels, operations, queries, serialize
from congress.monitoring.access import is_monitor
from congress.monitoring.areas import areas_of
from congress.monitoring.chart import layout
from congress.monitoring.forms import ActionForm, MonitorForm, RecordForm, WithdrawForm
from congress.monitoring.models import FollowUpRecord, RecordKind
from congress.monitoring.report import country_report
from congress.monitoring.rules import RecordDraft, is_public, may_publish
from congress.monitoring.serialize import area_title
from congress.participants.csv_export import neutralise
from congress.participants.pdf import pdf_response, status_response
from congress.security import access

bp = Blueprint("monitoring", __name__)


@bp.app_context_processor
def _words() -> dict:
    return {
        "RECORD_KINDS": labels.KINDS,
        "RECORD_STATUSES": labels.STATUSES,
        "RELIABILITY_WORDS": labels.RELIABILITY,
        "area_title": area_title,
    }


def _me():
    return current_user._get_current_object()


# -- Monitors' pages ------------------------------------------------------------


@bp.get("/<lang>/monitoring/")
@access("monitor")
def desk():
    return render_template(
        "monitoring/desk.html",
        waiting=queries.waiting_for_review(),
        organisations=queries.organisations_of(current_user),
        action_form=ActionForm(),
        may_publish=lambda r: may_publish(current_user, r),
    )


def _record_form(record: FollowUpRecord | None) -> RecordForm:
    lang = current_language()
    form = RecordForm(obj=None)
    form.country_code.choices = [SelectChoice("", _("Choose a government"))] + [
        SelectChoice(code, name) for code, name in country_choices(lang)
    ]
    docs = queries.documents()
    form.document_id.choices = [
        (
            d.id,
            f"{localize(d.title, d.original_language, lang).text} ({d.congress.start_date.year})",
        )
        for d in docs
    ]
    chosen = next(
        (
            d
            for d in docs
            if d.id == (form.document_id.data or (record.document_id if record else None))
        ),
        None,
    )
    areas = areas_of(chosen.congress.slug, chosen.slug).areas if chosen else ()
    form.area.choices = [SelectChoice("", _("The document as a whole"))] + [
        SelectChoice(a.key, localize(a.title, "en", lang).text) for a in areas
    ]
    form.original_language.choices = [
        SelectChoice(code, name) for code, name in _language_choices(lang)
    ]
    organisations = queries.organisations_of(current_user)
    if record is not None and record.organisation not in organisations:
        organisations.append(record.organisation)
    if current_user.is_admin and not organisations:
        organisations = [_("Site administration")]
    form.organisation.choices = [SelectChoice(o, o) for o in organisations]
    if record is not None and not form.is_submitted():
        form.country_code.data = record.country_code
        form.document_id.data = record.document_id
        form.area.data = record.area or ""
        form.on.data = record.on
        form.kind.data = record.kind.value
        form.original_language.data = record.original_language
        for code, text in record.text.items():
            form[f"text_{code}"].data = text
        form.source.data = record.source
        form.source_url.data = record.source_url
        form.reliability.data = record.reliability.value
        form.organisation.data = record.organisation
    return form


def _language_choices(lang: str) -> list[tuple[str, str]]:
    from babel import Locale

    names = Locale.parse(lang).languages
    return [(code, names.get(code, code)) for code in LANGUAGES]


@bp.route("/<lang>/monitoring/records/new", methods=["GET", "POST"], endpoint="new_record")
@bp.route("/<lang>/monitoring/records/<int:record_id>/edit", methods=["GET", "POST"])
@access("monitor")
def edit_record(record_id: int | None = None):
    record = queries.record_or_404(record_id) if record_id else None
    form = _record_form(record)
    status = 200
    if form.validate_on_submit():
        document = next(d for d in queries.documents() if d.id == form.document_id.data)
        draft = RecordDraft(
            country_code=form.country_code.data,
            document=document,
            area=form.area.data or None,
            on=form.on.data,
            kind=RecordKind(form.kind.data),
            text=form.texts(),
            original_language=form.original_language.data,
            source=form.source.data,
            source_url=form.source_url.data or None,
            reliability=Reliability(form.reliability.data),
            organisation=form.organisation.data,
        )
        try:
            saved = operations.save_record(draft, _me(), record=record, today=date.today())
        except operations.InvalidRecord as invalid:
            for field, message in invalid.errors.items():
                target = (
                    form["text_" + form.original_language.data] if field == "text" else form[field]
                )
                target.errors = [*target.errors, message]
        else:
            flash(
                _("The record is saved. A second monitor reviews it before it is published."),
                "success",
            )
            return redirect(url_for(".record", record_id=saved.id))
    if form.is_submitted() and form.errors:
        status = 422
    return render_template("monitoring/record_form.html", form=form, record=record), status


@bp.post("/<lang>/monitoring/records/<int:record_id>/publish")
@access("monitor")
def publish_record(record_id: int):
    record = queries.record_or_404(record_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.publish_record(record, _me())
    except operations.NotAllowed:
        flash(
            _("A record is published by someone other than the monitor who last changed it."),
            "error",
        )
    else:
        flash(_("The record is published."), "success")
    return redirect(url_for(".record", record_id=record.id))


@bp.route("/<lang>/monitoring/records/<int:record_id>/withdraw", methods=["GET", "POST"])
@access("monitor")
def withdraw_record(record_id: int):
    record = queries.record_or_404(record_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        operations.withdraw_record(record, _me(), form.reason.data)
        flash(_("The record is withdrawn; its history keeps it."), "success")
        return redirect(url_for(".record", record_id=record.id))
    return render_template("monitoring/withdraw.html", record=record, form=form)


# -- Public pages ----------------------------------------------------------------


@bp.get("/<lang>/monitoring/records/<int:record_id>")
@access("public")
def record(record_id: int):
    """A record and its history: public once published, to monitors before."""
    found = queries.record_or_404(record_id)
    if not is_public(found) and not is_monitor(current_user):
        abort(404)
    return render_template(
        "monitoring/record.html",
        record=found,
        action_form=ActionForm(),
        monitor=is_monitor(current_user),
        may_publish=may_publish(current_user, found) if current_user.is_authenticated else False,
    )


@bp.get("/<lang>/congresses/<slug>/declarations/<doc_slug>/follow-up")
@access("public")
def document_follow_up(slug: str, doc_slug: str):
    congress: Congress = congress_or_404(slug)
    document = document_of_or_404(congress, doc_slug)
    dated = queries.published_dates_of_document(document)
    until = max([date.today().year, *(r.on.year for r in dated)])
    areas, rows = queries.governments_by_year(document, dated, until)
    return render_template(
        "monitoring/document.html",
        congress=congress,
        document=document,
        areas=areas,
        rows=rows,
        chart=layout(rows),
        records=queries.published_page_of_document(document, request.args.get("page", 1, int)),
    )


def _report_html(code: str, layout_template: str) -> str:
    return render_template(
        "monitoring/report.html",
        layout=layout_template,
        code=code,
        report=country_report(code),
        today=date.today(),
    )


@bp.get("/<lang>/countries/<code>/report")
@access("public")
def country_report_page(code: str):
    if not is_country(code):
        abort(404)
    return _report_html(code, "base.html")


@bp.get("/<lang>/countries/<code>/report.pdf")
@access("public")
def country_report_pdf(code: str):
    return _report_pdf(code, wait=False)


@bp.get("/<lang>/countries/<code>/report.pdf/status/<digest>")
@access("public")
def country_report_pdf_status(code: str, digest: str):
    if not is_country(code):
        abort(404)
    return status_response(
        "reports",
        f"{code}-{current_language()}",
        digest,
        url_for(".country_report_pdf", code=code),
    )


def _report_pdf(code: str, *, wait: bool):
    """The report's PDF; drawn by a job unless ``wait`` (the command line draws it itself)."""
    if not is_country(code):
        abort(404)
    html = _report_html(code, "participants/pdf_base.html")
    return pdf_response(
        "reports",
        f"{code}-{current_language()}",
        html,
        f"follow-up-{code}-{current_language()}.pdf",
        unavailable=_(
            "This PDF cannot be made on this server at the moment. The report is on its "
            "page, and its records can be downloaded as CSV or JSON."
        ),
        status_url=(
            None
            if wait
            else lambda digest: url_for(".country_report_pdf_status", code=code, digest=digest)
        ),
    )


def export_rows(lang: str) -> list[dict]:
    """Every published record as plain values, with its source: the CSV and JSON exports."""
    return [serialize.record(r, lang) for r in queries.all_published()]


@bp.get("/<lang>/monitoring/records.csv")
@access("public")
def records_csv():
    rows = export_rows(current_language())
    out = io.StringIO()
    fields = (
        list(rows[0])
        if rows
        else ["id", "country_code", "date", "kind", "text", "source", "source_url"]
    )
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(fields)
    for row in rows:
        writer.writerow([neutralise(str(row[f])) for f in fields])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="follow-up-{current_language()}.csv"'
        },
    )


@bp.get("/<lang>/monitoring/records.json")
@access("public")
def records_json():
    body = json.dumps({"records": export_rows(current_language())}, ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/json")


# -- Administration ------------------------------------------------------------------


@bp.route("/<lang>/admin/monitors", methods=["GET", "POST"])
@access("admin")
def monitors():
    form = MonitorForm()
    if form.validate_on_submit():
        user = user_by_email(form.email.data)
        if user is None:
            form.email.errors.append(
                _("No account uses this address. Ask them to create one first, then try again.")
            )
        elif operations.grant_monitor(user, form.organisation.data) is None:
            form.organisation.errors.append(
                _("This person already monitors for this organisation.")
            )
        else:
            flash(_("%(email)s now keeps follow-up records.", email=user.email), "success")
            return redirect(url_for(".monitors"))
    return render_template(
        "monitoring/monitors.html", form=form, monitors=queries.monitors(), action_form=ActionForm()
    )


@bp.post("/<lang>/admin/monitors/<int:monitor_id>/remove")
@access("admin")
def remove_monitor(monitor_id: int):
    found = next((m for m in queries.monitors() if m.id == monitor_id), None)
    if found is None or not ActionForm().validate_on_submit():
        abort(404)
    operations.revoke_monitor(found)
    flash(_("The monitor is removed."), "success")
    return redirect(url_for(".monitors"))


# -- Command line ------------------------------------------------------------------


@bp.cli.command("report")
@click.argument("country")
@click.option("--lang", default="en", show_default=True, help="en, fr, es or pt.")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False), help="Write a PDF here.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False), help="Write the HTML here.")
def report_command(country: str, lang: str, pdf_path: str | None, html_path: str | None) -> None:
    """Draw COUNTRY's follow-up report (a code such as BR), as HTML and/or PDF."""
    code = country.upper()
    if lang not in LANGUAGES:
        raise click.BadParameter(f"one of {', '.join(LANGUAGES)}", param_hint="--lang")
    if not is_country(code):
        raise click.BadParameter(f"{country!r} is not the code of a State", param_hint="COUNTRY")
    if not (pdf_path or html_path):
        raise click.UsageError("give --pdf PATH, --html PATH or both")
    with current_app.test_request_context(f"/{lang}/countries/{code}/report"):
        current_app.preprocess_request()
        if html_path:
            Path(html_path).write_text(_report_html(code, "base.html"), encoding="utf-8")
            click.echo(f"Wrote {html_path}")
        if pdf_path:
            response = _report_pdf(code, wait=True)
            if response.status_code != 200:
                raise click.ClickException("PDFs cannot be drawn here: WeasyPrint needs Pango")
            Path(pdf_path).write_bytes(response.get_data())
            click.echo(f"Wrote {pdf_path}")
