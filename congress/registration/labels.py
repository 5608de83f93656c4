"""What the registration's states and choices are called, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from congress.audit.labels import describe, language_names
from congress.i18n import current_language
from congress.i18n.countries import country_name
from congress.registration.models import Category, DelegateRole, DelegationStatus, Title

CATEGORIES = {
    Category.STATE: _l("State"),
    Category.UN_BODY: _l("UN body or agency"),
    Category.IGO: _l("Other intergovernmental organisation"),
    Category.NGO: _l("Non-governmental organisation"),
    Category.PRIVATE_SECTOR: _l("Private sector"),
    Category.CHILDREN_AND_YOUNG_PEOPLE: _l("Children and young people"),
    Category.MEDIA: _l("Media"),
}

STATUSES = {
    DelegationStatus.DRAFT: _l("Draft"),
    DelegationStatus.SUBMITTED: _l("Submitted"),
    DelegationStatus.ACCREDITED: _l("Accredited"),
    DelegationStatus.REJECTED: _l("Rejected"),
    DelegationStatus.WITHDRAWN: _l("Withdrawn"),
}

ROLES = {
    DelegateRole.HEAD: _l("Head of delegation"),
    DelegateRole.DEPUTY_HEAD: _l("Deputy head of delegation"),
    DelegateRole.REPRESENTATIVE: _l("Representative"),
    DelegateRole.ALTERNATE: _l("Alternate"),
    DelegateRole.ADVISER: _l("Adviser"),
    DelegateRole.EXPERT: _l("Expert"),
    DelegateRole.YOUTH_DELEGATE: _l("Youth delegate"),
}

TITLES = {
    Title.NONE: "",
    Title.HE_MR: _l("H.E. Mr"),
    Title.HE_MS: _l("H.E. Ms"),
    Title.MR: _l("Mr"),
    Title.MS: _l("Ms"),
    Title.DR: _l("Dr"),
    Title.PROF: _l("Prof."),
}


def _country(code: str) -> str:
    return country_name(code, current_language())


describe(
    actions={
        "delegation.register": _l("Delegation registered"),
        "delegation.credentials": _l("Credentials letter uploaded"),
        "delegation.submit": _l("Delegation submitted"),
        "delegation.accredit": _l("Delegation accredited"),
        "delegation.reject": _l("Delegation rejected"),
        "delegation.withdraw": _l("Delegation withdrawn"),
        "delegation.reopen": _l("Delegation reopened"),
        "delegate.add": _l("Member added"),
        "delegate.edit": _l("Member's details changed"),
        "delegate.withdraw": _l("Member withdrawn"),
        "delegate.reinstate": _l("Member back on the list"),
    },
    records={"Delegation": _l("Delegation"), "Delegate": _l("Member")},
    fields={
        "category": _l("Category"),
        "country_code": _l("Country"),
        "organisation_name": _l("Organisation"),
        "credentials_filename": _l("Credentials letter"),
        "given_names": _l("Given names"),
        "family_name": _l("Family name"),
        "function": _l("Function"),
        "role": _l("Role"),
        "preferred_language": _l("Preferred language"),
        "public_consent": _l("Listed publicly"),
        "accessibility_needs": _l("Accessibility needs"),
        "withdrawn": _l("Withdrawn"),
    },
    values={
        "status": {s.value: label for s, label in STATUSES.items()},
        "category": {c.value: label for c, label in CATEGORIES.items()},
        "role": {r.value: label for r, label in ROLES.items()},
        "title": {t.value: (label or _l("no title")) for t, label in TITLES.items()},
    },
    formatters={"country_code": _country, "preferred_language": language_names},
)
