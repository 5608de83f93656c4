"""The rules of adoptions and endorsements, as plain functions views and tests call."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from congress.archive.models import OutcomeDocument
from congress.congresses.models import Congress
from congress.declarations.models import Commitment, CommitmentKind
from congress.extensions import db
from congress.i18n.collation import sort_key
from congress.i18n.countries import country_name, is_country
from congress.registration.models import Category, Delegation, DelegationStatus


class InvalidCommitment(ValueError):
    """What is wrong with a commitment, field by field, in the reader's language."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def name_at_the_time(commitment: Commitment, congress: Congress, lang: str) -> str:
    """The government's name in ``lang`` as it was when it committed (or at the congress)."""
    return country_name(commitment.country_code, lang, commitment.on or congress.start_date)


def listed(
    commitments: list[Commitment], congress: Congress, lang: str
) -> dict[CommitmentKind, list[tuple[Commitment, str]]]:
    """Adoptions and endorsements apart, each collated by the government's name in ``lang``."""
    lists: dict[CommitmentKind, list[tuple[Commitment, str]]] = {k: [] for k in CommitmentKind}
    for commitment in commitments:
        name = name_at_the_time(commitment, congress, lang)
        lists[commitment.kind].append((commitment, name))
    for kind, items in lists.items():
        lists[kind] = sorted(items, key=lambda item: sort_key(item[1], lang))
    return lists


def latest_adoption_day(document: OutcomeDocument) -> date:
    """The day the document was adopted, or the last day it could have been."""
    return document.adopted_on or document.congress.end_date


def _delegation_of(congress: Congress, code: str) -> Delegation | None:
    return db.session.scalar(
        select(Delegation).where(
            Delegation.congress_id == congress.id,
            Delegation.category == Category.STATE,
            Delegation.country_code == code,
        )
    )


def check(
    document: OutcomeDocument,
    *,
    country_code: str,
    kind: CommitmentKind,
    on: date | None,
    through_delegation: bool,
    today: date,
) -> tuple[dict[str, str], Delegation | None]:
    """The errors of a new commitment by field, and the delegation it was made through."""
    congress = document.congress
    errors: dict[str, str] = {}
    if not is_country(country_code):
        errors["country_code"] = _("Choose a country from the list.")
    elif not is_country(country_code, on or congress.start_date):
        errors["country_code"] = _("This country was not a State on the day of this commitment.")
    elif db.session.scalar(
        select(Commitment.id).where(
            Commitment.document_id == document.id, Commitment.country_code == country_code
        )
    ):
        errors["country_code"] = _(
            "This government's commitment to this document is already recorded."
        )

    if on is not None and on > today:
        errors["on"] = _("This date is in the future.")
    elif kind is CommitmentKind.ADOPTED and on is not None:
        if not congress.start_date <= on <= congress.end_date:
            errors["on"] = _(
                "An adoption happens at the congress, between %(start)s and %(end)s;"
                " a later one is an endorsement.",
                start=format_date(congress.start_date, "long"),
                end=format_date(congress.end_date, "long"),
            )
    elif kind is CommitmentKind.ENDORSED:
        if on is None:
            errors["on"] = _("Give the date of the endorsement.")
        elif on <= latest_adoption_day(document):
            errors["on"] = _(
                "An endorsement comes after the adoption: give a date after %(date)s.",
                date=format_date(latest_adoption_day(document), "long"),
            )

    delegation = None
    if through_delegation and "country_code" not in errors:
        delegation = _delegation_of(congress, country_code)
        if delegation is None or delegation.status is not DelegationStatus.ACCREDITED:
            errors["through_delegation"] = _(
                "No accredited delegation of this country is registered at this congress."
            )
            delegation = None
    return errors, delegation
