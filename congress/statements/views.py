"""Pages of statements and session documents.

The focal point's (or an organiser's, on the delegation's behalf) under
``/<lang>/delegations/<id>/statements``; the public's under ``/<lang>/congresses/<slug>/statements``
(and the documents' files under ``…/documents``); the organisers' review and the sessions'
documents under ``/<lang>/manage/congresses/<slug>/``.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from congress.confirm import Confirmation, ConfirmForm, confirmation_page, told
from congress.congresses.models import Congress
from congress.congresses.queries import congress_or_404
from congress.i18n import current_language
from congress.i18n.collation import collated
from congress.i18n.content import localize
from congress.i18n.countries import country_name
from congress.programme.labels import language_name
from congress.registration import credentials
from congress.registration.models import Delegation
from congress.registration.rules import delegation_name
from congress.security import access
from congress.statements import labels as _audit_words  # noqa: F401  (the audit log's words)
from congress.statements import operations, queries, rules
from congress.statements.forms import (
    DOCUMENT_KINDS,
    DocumentForm,
    PublishForm,
    ReasonForm,
    StatementForm,
    TextForm,
)
from congress.statements.models import DocumentKind, StatementStatus

bp = Blueprint("statements", __name__)


def _name(statement, lang: str) -> str:
    return rules.delegation_name_on(statement.delegation, lang, rules.statement_day(statement))


def _session_block(session) -> dict:
    """What the session's page shows of statements and documents (two queries)."""
    return {
        "statements": queries.of_session(session),
        "documents": queries.documents_of(session),
    }


@bp.record_once
def _register(state) -> None:
    # The programme's session page sits in a layer below: it asks for its block by name.
    state.app.jinja_env.globals.update(session_statements=_session_block)


@bp.app_template_global()
def statement_delegation(statement) -> str:
    return _name(statement, current_language())


@bp.app_template_filter()
def statement_status(status: StatementStatus) -> str:
    return str(rules.STATUS_LABELS[status])


@bp.app_template_filter()
def document_kind(kind: DocumentKind) -> str:
    return str(DOCUMENT_KINDS[kind])


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _language_choices(lang: str, blank: str | None = None) -> list[SelectChoice]:
    choices = collated(
        [SelectChoice(code, language_name(code, lang)) for code in rules.LANGUAGES],
        key=lambda c: c.label,
        lang=lang,
    )
    return ([SelectChoice("", blank)] if blank is not None else []) + choices


class Upload:
    """A form's PDF: chosen now, or received with an earlier attempt and kept for this one.

    A browser never refills a file input, so when the form fails on another field a PDF that
    passed its checks waits beside the pending letters of credentials, named by a signed token
    in a hidden field, as registration does (:mod:`congress.registration.credentials`).
    """

    def __init__(self, form, name: str, errors: dict[str, str]):
        self.field = form[name]
        self.hidden = form[f"pending_{name}"]
        self.pdf: rules.Pdf | None = None
        self.filename: str | None = None
        self.fresh = False
        self.pending = credentials.read_pending(self.hidden.data, current_user.id)
        upload = self.field.data
        if upload and getattr(upload, "filename", ""):
            try:
                self.pdf, self.filename = rules.read_pdf(upload.read()), upload.filename
                self.fresh = True
            except rules.StatementError as error:
                errors[name] = error.errors["file"]
        elif self.pending is not None:
            kept = self.pending.letter()
            if kept is not None:
                try:
                    self.pdf, self.filename = rules.read_pdf(kept[0]), kept[1]
                except rules.StatementError:
                    self.pending = None

    def used(self) -> None:
        credentials.discard_pending(self.pending)

    def keep(self) -> str | None:
        """Set a PDF chosen now aside for the next attempt; the name of the one kept."""
        if self.fresh and self.pdf is not None:
            credentials.discard_pending(self.pending)
            self.pending = credentials.keep_pending(
                self.pdf.data, self.filename or "statement.pdf", current_user.id
            )
            if self.pending is None and not self.field.errors:
                self.field.errors = [_("Choose the file again.")]
        self.hidden.data = self.pending.token if self.pending else ""
        return self.pending.filename if self.pending else None


def _no_uploads(form, names: tuple[str, ...]) -> dict[str, str | None]:
    """The names of the files kept for the form, none yet."""
    return dict.fromkeys(names)


def _show_errors(form, errors: dict[str, str]) -> None:
    for field, message in errors.items():
        form[field].errors = [*form[field].errors, message]


# --- The delegation's statements ----------------------------------------------------------


@bp.get("/<lang>/delegations/<int:delegation_id>/statements")
@access("focal_point_or_organiser")
def delegation_statements(delegation: Delegation):
    lang = current_language()
    return _private(
        Response(
            render_template(
                "statements/delegation.html",
                delegation=delegation,
                congress=delegation.congress,
                name=delegation_name(delegation, lang),
                statements=queries.of_delegation(delegation),
            )
        )
    )


@bp.route("/<lang>/delegations/<int:delegation_id>/statements/new", methods=["GET", "POST"])
@access("focal_point_or_organiser")
def submit(delegation: Delegation):
    lang = current_language()
    congress = delegation.congress
    sessions = queries.sessions_of(congress)
    form = StatementForm()
    form.session_id.choices = [SelectChoice("", _("Choose a session"))] + [
        SelectChoice(s.id, localize(s.title, s.original_language, lang).text) for s in sessions
    ]
    form.speaker_id.choices = [SelectChoice("", _("Choose the speaker"))] + [
        SelectChoice(d.id, d.full_name) for d in rules.speakers(delegation)
    ]
    form.language.choices = _language_choices(lang, _("Choose a language"))
    form.other_language.choices = _language_choices(lang, _("None"))
    status = 200
    pending = _no_uploads(form, ("file", "other_file"))
    if form.validate_on_submit():
        errors: dict[str, str] = {}
        upload = Upload(form, "file", errors)
        other = Upload(form, "other_file", errors)
        pdf, filename = upload.pdf, upload.filename
        other_pdf, other_filename = other.pdf, other.filename
        try:
            if errors:
                raise rules.StatementError(errors)
            statement = operations.submit_statement(
                delegation,
                session_ids={s.id for s in sessions},
                session_id=form.session_id.data,
                speaker_id=form.speaker_id.data,
                language=form.language.data or "",
                text=form.text.data or "",
                pdf=pdf,
                filename=filename,
                other_language=form.other_language.data or None,
                other_text=form.other_text.data or "",
                other_pdf=other_pdf,
                other_filename=other_filename,
            )
        except rules.StatementError as error:
            _show_errors(form, error.errors)
            pending = {"file": upload.keep(), "other_file": other.keep()}
        else:
            upload.used()
            other.used()
            flash(
                _("The statement is submitted. The organisers publish it once they have read it."),
                "success",
            )
            return redirect(url_for(".statement", slug=congress.slug, statement_id=statement.id))
    if form.is_submitted():
        status = 422 if form.errors else 400
    return render_template(
        "statements/submit.html",
        delegation=delegation,
        congress=congress,
        name=delegation_name(delegation, lang),
        form=form,
        pending=pending,
    ), status


@bp.route(
    "/<lang>/delegations/<int:delegation_id>/statements/<int:statement_id>/texts",
    methods=["GET", "POST"],
)
@access("focal_point_or_organiser")
def add_text(delegation: Delegation, statement_id: int):
    statement = queries.statement_or_404(delegation.congress, statement_id)
    if statement.delegation_id != delegation.id or not rules.may_add_text(current_user, statement):
        abort(404)
    lang = current_language()
    form = TextForm()
    form.language.choices = _language_choices(lang, _("Choose a language"))
    status = 200
    pending = _no_uploads(form, ("file",))
    if form.validate_on_submit():
        errors: dict[str, str] = {}
        upload = Upload(form, "file", errors)
        pdf, filename = upload.pdf, upload.filename
        try:
            if errors:
                raise rules.StatementError(errors)
            operations.add_text(
                statement,
                language=form.language.data or "",
                text=form.text.data or "",
                pdf=pdf,
                filename=filename,
                review_again=rules.needs_review_again(current_user, statement),
            )
        except rules.StatementError as error:
            _show_errors(form, error.errors)
            pending = {"file": upload.keep()}
        else:
            upload.used()
            flash(_("The text is added."), "success")
            return redirect(
                url_for(".statement", slug=statement.congress.slug, statement_id=statement.id)
            )
    if form.is_submitted():
        status = 422 if form.errors else 400
    return render_template(
        "statements/add_text.html",
        delegation=delegation,
        statement=statement,
        review_again=rules.needs_review_again(current_user, statement),
        name=_name(statement, lang),
        form=form,
        pending=pending,
    ), status


# --- The public's pages -------------------------------------------------------------------


def _filters(congress: Congress, sessions, delegations) -> queries.Filters:
    """``?session=<id>&delegation=<id>&language=<code>``; values that match nothing are ignored."""
    session = request.args.get("session", type=int)
    delegation = request.args.get("delegation", type=int)
    language = request.args.get("language", "")
    return queries.Filters(
        session_id=session if session in {s.id for s in sessions} else None,
        delegation_id=delegation if delegation in {d.id for d in delegations} else None,
        language=language if language in rules.LANGUAGES else None,
    )


@bp.get("/<lang>/congresses/<slug>/statements")
@access("public")
def congress_statements(slug: str):
    congress = congress_or_404(slug)
    lang = current_language()
    sessions = queries.sessions_of(congress)
    delegations = queries.delegations_with_statements(congress)
    filters = _filters(congress, sessions, delegations)
    total = queries.count_published(congress, filters)
    pages = max(1, -(-total // queries.PAGE_SIZE))
    page = request.args.get("page", 1, type=int)
    page = page if 1 <= page <= pages else 1
    named = collated(
        [
            (d, d.organisation_name or "")
            if d.country_code is None
            else (d, country_name(d.country_code, lang, congress.start_date))
            for d in delegations
        ],
        key=lambda d: d[1],
        lang=lang,
    )
    return render_template(
        "statements/congress.html",
        congress=congress,
        statements=queries.published(congress, filters, page=page),
        total=total,
        page=page,
        pages=pages,
        sessions=sessions,
        delegations=named,
        languages=_language_choices(lang),
        filters=filters,
    )


def _readable(slug: str, statement_id: int):
    congress = congress_or_404(slug)
    statement = queries.statement_or_404(congress, statement_id)
    if not rules.may_read(current_user, statement):
        abort(404)
    return congress, statement


@bp.get("/<lang>/congresses/<slug>/statements/<int:statement_id>")
@access("public")
def statement(slug: str, statement_id: int):
    congress, item = _readable(slug, statement_id)
    lang = current_language()
    page = render_template(
        "statements/statement.html",
        congress=congress,
        s=item,
        name=_name(item, lang),
        can_review=rules.may_review(current_user, item),
        can_add_text=rules.may_add_text(current_user, item),
    )
    response = Response(page)
    return response if item.published else _private(response)


@bp.get("/<lang>/congresses/<slug>/statements/<int:statement_id>/<text_lang>.pdf")
@access("public")
def statement_pdf(slug: str, statement_id: int, text_lang: str):
    _congress, item = _readable(slug, statement_id)
    text = item.text_in(text_lang)
    if text is None or not text.filename:
        abort(404)
    response = _file(text.filename, text.original_filename or "statement.pdf")
    return response if item.published else _private(response)


def _file(filename: str, download_name: str) -> Response:
    try:
        data = queries.file_path(filename).read_bytes()
    except FileNotFoundError:
        abort(404)
    response = Response(data, mimetype="application/pdf")
    response.headers["X-Content-Type-Options"] = "nosniff"
    safe = "".join(c for c in download_name if c.isalnum() or c in "._- ") or "document.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{safe}"'
    return response


@bp.get("/<lang>/congresses/<slug>/documents/<int:document_id>.pdf")
@access("public")
def document_pdf(slug: str, document_id: int):
    document = queries.document_or_404(congress_or_404(slug), document_id)
    return _file(document.filename, document.original_filename)


# --- The organisers' review -----------------------------------------------------------------


@bp.get("/<lang>/manage/congresses/<slug>/statements")
@access("organiser")
def review(congress: Congress):
    statements = queries.of_congress_for_review(congress)
    return _private(
        Response(
            render_template(
                "statements/review.html",
                congress=congress,
                waiting=[s for s in statements if s.status is StatementStatus.SUBMITTED],
                others=[s for s in statements if s.status is not StatementStatus.SUBMITTED],
            )
        )
    )


def _about(statement) -> str:
    lang = current_language()
    return _(
        "%(delegation)s, %(speaker)s: %(session)s",
        delegation=_name(statement, lang),
        speaker=statement.speaker.full_name if statement.speaker else _("speaker not named"),
        session=localize(statement.session.title, statement.session.original_language, lang).text,
    )


@bp.route(
    "/<lang>/manage/congresses/<slug>/statements/<int:statement_id>/publish",
    methods=["GET", "POST"],
)
@access("organiser")
def publish(congress: Congress, statement_id: int):
    item = queries.statement_or_404(congress, statement_id)
    form = PublishForm()
    if request.method == "GET":
        form.position.data = item.position or operations.next_position(item)
    back = url_for(".review", slug=congress.slug)
    if request.method == "POST" and not item.published and form.validate_on_submit():
        operations.publish(item, form.position.data)
        flash(_("The statement is published."), "success")
        return redirect(back)
    return confirmation_page(
        Confirmation(
            title=_("Publish this statement?"),
            caption=_about(item),
            button=_("Publish"),
            back=back,
            happens=[
                _(
                    "The statement appears on its session's page, on the congress's list of"
                    " statements and on its government's page, and search finds it."
                )
            ],
            undo=_("You can take it off the public pages later."),
            recipients=told(
                item.delegation.focal_point, _("The news that the statement is published")
            ),
            refused=_("This statement is already published.") if item.published else "",
            form=form,
            fields=["position"],
            danger=False,
        ),
        422 if form.errors else 200,
    )


def _take_off(congress: Congress, statement_id: int, action: str):
    item = queries.statement_or_404(congress, statement_id)
    form = ReasonForm()
    back = url_for(".review", slug=congress.slug)
    allowed = (
        item.published
        if action == "statement.unpublish"
        else (item.status is not StatementStatus.REJECTED)
    )
    if request.method == "POST" and allowed and form.validate_on_submit():
        operations.unpublish(item, form.reason.data, action)
        flash(_("The statement is off the public pages."), "success")
        return redirect(back)
    unpublishing = action == "statement.unpublish"
    return confirmation_page(
        Confirmation(
            title=_("Take this statement off the public pages?")
            if unpublishing
            else _("Not publish this statement?"),
            caption=_about(item),
            button=_("Take it off") if unpublishing else _("Do not publish"),
            back=back,
            happens=[
                _(
                    "Only the delegation's focal point and the organisers see it;"
                    " it stays in the record."
                )
            ],
            undo=_("You can publish it again."),
            recipients=told(
                item.delegation.focal_point,
                _(
                    "The news that the statement is off the public pages,"
                    " with the reason if one is given"
                )
                if unpublishing
                else _(
                    "The news that the statement will not be published,"
                    " with the reason if one is given"
                ),
            ),
            refused="" if allowed else _("This statement is not on the public pages."),
            form=form,
            fields=["reason"],
        ),
        422 if form.errors else 200,
    )


@bp.route(
    "/<lang>/manage/congresses/<slug>/statements/<int:statement_id>/unpublish",
    methods=["GET", "POST"],
)
@access("organiser")
def unpublish(congress: Congress, statement_id: int):
    return _take_off(congress, statement_id, "statement.unpublish")


@bp.route(
    "/<lang>/manage/congresses/<slug>/statements/<int:statement_id>/reject",
    methods=["GET", "POST"],
)
@access("organiser")
def reject(congress: Congress, statement_id: int):
    return _take_off(congress, statement_id, "statement.reject")


# --- The organisers' session documents --------------------------------------------------------


@bp.route(
    "/<lang>/manage/congresses/<slug>/sessions/<int:session_id>/documents",
    methods=["GET", "POST"],
)
@access("organiser")
def documents(congress: Congress, session_id: int):
    session = queries.session_or_404(congress, session_id)
    lang = current_language()
    form = DocumentForm()
    form.language.choices = _language_choices(lang, _("Choose a language"))
    status = 200
    pending = _no_uploads(form, ("file",))
    if form.validate_on_submit():
        errors: dict[str, str] = {}
        upload = Upload(form, "file", errors)
        pdf, filename = upload.pdf, upload.filename
        if pdf is None and "file" not in errors:
            errors["file"] = _("Choose the PDF to put up.")
        if form.language.data not in rules.LANGUAGES:
            errors["language"] = _("Choose the language of the file.")
        titles = form.titles()
        if congress.original_language not in titles:
            errors[f"title_{congress.original_language}"] = _(
                "Enter the text in the congress's own language."
            )
        if errors:
            _show_errors(form, errors)
            pending = {"file": upload.keep()}
        else:
            operations.add_document(
                session,
                kind=DocumentKind(form.kind.data),
                title=titles,
                original_language=congress.original_language,
                language=form.language.data,
                pdf=pdf,
                filename=filename,
            )
            upload.used()
            flash(_("The document is put up."), "success")
            return redirect(url_for(".documents", slug=congress.slug, session_id=session.id))
    if form.is_submitted():
        status = 422 if form.errors else 400
    return render_template(
        "statements/documents.html",
        congress=congress,
        s=session,
        form=form,
        pending=pending,
        documents=queries.documents_of(session),
    ), status


@bp.route(
    "/<lang>/manage/congresses/<slug>/documents/<int:document_id>/remove",
    methods=["GET", "POST"],
)
@access("organiser")
def remove_document(congress: Congress, document_id: int):
    document = queries.document_or_404(congress, document_id)
    back = url_for(".documents", slug=congress.slug, session_id=document.session_id)
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        operations.remove_document(document)
        flash(_("The document is removed."), "success")
        return redirect(back)
    return confirmation_page(
        Confirmation(
            title=_("Remove this document?"),
            caption=localize(document.title, document.original_language, current_language()).text,
            button=_("Remove"),
            back=back,
            happens=[_("The file is deleted; the session's page no longer lists it.")],
        )
    )
