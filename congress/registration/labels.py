"""What the registration's states and choices are called, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

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
