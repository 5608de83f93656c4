"""A mixed list of participants for Rio 2008, built directly with the models."""

from __future__ import annotations

from sqlalchemy import select

from congress.congresses.models import Congress
from congress.extensions import db
from congress.registration.models import (
    Category,
    DelegateRole,
    DelegationStatus,
    Title,
)
from tests import factories

ACCREDITED = DelegationStatus.ACCREDITED

# States of 2008, listed in code-point order on purpose.
STATES = ["US", "EG", "ES", "GW", "GQ", "GN", "SZ", "AE", "EC", "EE"]
ORGANISATIONS = [
    (Category.NGO, "Enfance et Partage"),
    (Category.NGO, "ECPAT International"),
    (Category.NGO, "École sans frontières"),
    (Category.NGO, "Aide à l'enfance"),
    (Category.UN_BODY, "UNICEF"),
    (Category.MEDIA, "Agência Brasil"),
    (Category.CHILDREN_AND_YOUNG_PEOPLE, "Réseau des jeunes"),
]


def rio(app) -> Congress:
    return db.session.scalar(select(Congress).where(Congress.slug == "rio-2008"))


_emails = iter(range(1, 1_000_000))


def add_delegation(congress, *, code=None, name=None, category=None, status=ACCREDITED):
    return factories.delegation(
        congress,
        category=category or (Category.STATE if code else Category.NGO),
        country_code=code,
        organisation_name=name,
        status=status,
    )


def add_delegate(delegation, given, family, role=DelegateRole.REPRESENTATIVE, **fields):
    fields.setdefault("public_consent", True)
    fields.setdefault("email", f"person{next(_emails)}@example.org")
    return factories.delegate(
        delegation, given_names=given, family_name=family, role=role, **fields
    )


def mixed_list(app) -> Congress:
    """Ten States, seven organisations, and in Spain's delegation the roles in disorder.

    Also present but never public: a submitted delegation (Brazil), a delegate who
    did not consent and one who withdrew (both in Spain's delegation).
    """
    congress = rio(app)
    delegations = {code: add_delegation(congress, code=code) for code in STATES}
    for category, name in ORGANISATIONS:
        org = add_delegation(congress, name=name, category=category)
        add_delegate(org, "Ana", "Souza", DelegateRole.HEAD, title=Title.MS)
    spain = delegations["ES"]
    add_delegate(
        spain, "Lucía", "Zúñiga", DelegateRole.REPRESENTATIVE, title=Title.MS, function="Consejera"
    )
    add_delegate(spain, "José", "Álvarez", DelegateRole.REPRESENTATIVE, title=Title.MR)
    add_delegate(
        spain,
        "Íñigo",
        "Zapata",
        DelegateRole.HEAD,
        title=Title.HE_MR,
        function="Ministro de Justicia",
    )
    add_delegate(spain, "Inés", "Núñez", DelegateRole.ADVISER, title=Title.DR)
    add_delegate(spain, "María", "de la Fuente", DelegateRole.DEPUTY_HEAD, title=Title.HE_MS)
    add_delegate(spain, "Pablo", "Ortega", DelegateRole.REPRESENTATIVE, title=Title.PROF)
    add_delegate(
        spain,
        "Secret",
        "Hidden",
        public_consent=False,
        email="secret.hidden@example.org",
        accessibility_needs="Wheelchair access",
    )
    add_delegate(spain, "Gone", "Away", withdrawn=True, email="gone.away@example.org")
    add_delegate(delegations["EG"], "Ελένη", "Παπαδοπούλου", DelegateRole.HEAD)
    add_delegate(delegations["EG"], "Ольга", "Иванова", DelegateRole.EXPERT)
    add_delegate(delegations["US"], "John", "O'Brien", DelegateRole.HEAD, title=Title.HE_MR)
    add_delegate(delegations["SZ"], "Thandi", "Dlamini", DelegateRole.HEAD, title=Title.HE_MS)
    add_delegate(delegations["GW"], "João", "da Conceição", DelegateRole.HEAD, title=Title.MR)
    brazil = add_delegation(congress, code="BR", status=DelegationStatus.SUBMITTED)
    add_delegate(brazil, "Submitted", "Pending", DelegateRole.HEAD, email="pending@example.org")
    db.session.commit()
    return congress


def sign_in(client, app, *, organiser_of: Congress | None = None, email="user@example.org"):
    with app.app_context():
        organises = [db.session.merge(organiser_of)] if organiser_of is not None else []
        user = factories.user(email, confirmed=False, organises=organises)
        db.session.commit()
        user_id = user.id
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    return user_id
