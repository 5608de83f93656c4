"""The registration's rules, called without a request: window, quotas, uniqueness, workflow."""

from __future__ import annotations

import smtplib
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from congress.audit.models import AuditEntry
from congress.extensions import db
from congress.mail import read_outbox
from congress.registration import operations, rules
from congress.registration.models import (
    Category,
    Delegate,
    DelegateRole,
    Delegation,
    DelegationStatus,
    DelegationTransition,
)
from tests.registration_support import (
    make_congress,
    make_delegate,
    make_delegation,
    make_user,
    pdf_bytes,
    set_quota,
)

S = DelegationStatus


def details(email: str, **values) -> rules.DelegateDetails:
    defaults = dict(given_names="Ana", family_name="Souza", role=DelegateRole.REPRESENTATIVE)
    return rules.DelegateDetails(email=email, **(defaults | values))


# --- The window and the categories -------------------------------------------------


def test_registration_window_opens_at_its_instant_and_closes_at_its_own(app):
    opens = datetime(2008, 9, 1, 12, tzinfo=UTC)
    closes = datetime(2008, 10, 31, 3, tzinfo=UTC)
    with app.app_context():
        congress = make_congress(registration_opens_at=opens, registration_closes_at=closes)
        window = lambda now: rules.registration_window(congress, now).state  # noqa: E731
        assert window(opens - timedelta(microseconds=1)) == "not_yet_open"
        assert window(opens) == "open"
        assert window(closes - timedelta(microseconds=1)) == "open"
        assert window(closes) == "closed"
        congress.registration_closes_at = None
        assert window(opens + timedelta(days=3650)) == "open"
        congress.registration_opens_at = None
        assert window(opens) == "unscheduled"


def test_a_category_without_a_quota_row_is_open_without_maximum(app):
    with app.app_context():
        congress = make_congress()
        set_quota(congress, Category.MEDIA, is_open=False)
        set_quota(congress, Category.STATE, max_delegates=6)
        quotas = rules.quotas(congress)
        assert quotas[Category.STATE] == rules.Quota(is_open=True, max_delegates=6)
        assert quotas[Category.NGO] == rules.Quota(is_open=True, max_delegates=None)
        assert rules.open_categories(congress) == [
            Category.STATE,
            Category.UN_BODY,
            Category.IGO,
            Category.NGO,
            Category.PRIVATE_SECTOR,
            Category.CHILDREN_AND_YOUNG_PEOPLE,
        ]


def test_registration_is_refused_outside_the_window_and_in_a_closed_category(app):
    with app.app_context():
        now = datetime(2008, 9, 15, tzinfo=UTC)
        congress = make_congress(
            registration_opens_at=datetime(2008, 9, 1, tzinfo=UTC),
            registration_closes_at=datetime(2008, 10, 1, tzinfo=UTC),
        )
        set_quota(congress, Category.MEDIA, is_open=False)
        focal_point = make_user("fp@example.org")
        state = rules.DelegationDetails(Category.STATE, country_code="BR")
        with pytest.raises(rules.RegistrationClosed):
            operations.register_delegation(
                congress, focal_point, state, now=datetime(2008, 10, 1, tzinfo=UTC)
            )
        with pytest.raises(rules.CategoryClosed) as refused:
            operations.register_delegation(
                congress,
                focal_point,
                rules.DelegationDetails(Category.MEDIA, organisation_name="O Globo"),
                now=now,
            )
        assert refused.value.field == "category"
        delegation = operations.register_delegation(congress, focal_point, state, now=now)
        assert (delegation.status, delegation.country_code, delegation.focal_point_id) == (
            S.DRAFT,
            "BR",
            focal_point.id,
        )


# --- One delegation per country, one registration per email -------------------------


def test_a_country_registers_one_delegation_per_congress(app):
    with app.app_context():
        congress = make_congress()
        other = make_congress(slug="yokohama-2001")
        first, second = make_user("a@example.org"), make_user("b@example.org")
        state = rules.DelegationDetails(Category.STATE, country_code="BR")
        operations.register_delegation(congress, first, state)
        with pytest.raises(rules.CountryTaken) as taken:
            operations.register_delegation(congress, second, state)
        assert taken.value.field == "country_code"
        assert str(taken.value) == (
            "This country's delegation is already registered for this congress."
        )
        assert operations.register_delegation(other, second, state).congress_id == other.id


def test_the_unique_constraint_answers_when_two_registrations_cross(app, monkeypatch):
    """The check before insert can miss a registration committed meanwhile: the constraint holds."""
    with app.app_context():
        congress = make_congress()
        make_delegation(congress, make_user("first@example.org"), country_code="BR")
        db.session.commit()
        real_check = rules.country_taken
        calls = []

        def too_late(congress, code):
            calls.append(code)
            return None if len(calls) == 1 else real_check(congress, code)

        monkeypatch.setattr(operations, "country_taken", too_late)
        with pytest.raises(rules.CountryTaken):
            operations.register_delegation(
                congress,
                make_user("second@example.org"),
                rules.DelegationDetails(Category.STATE, country_code="BR"),
                letter=(pdf_bytes(), "nv.pdf"),
            )
        assert db.session.scalar(select(func.count()).select_from(Delegation)) == 1
        # The letter written before the insert failed went with the rollback.
        assert list((Path(app.instance_path) / "credentials").glob("*")) == []


def test_an_email_is_registered_once_per_congress(app):
    with app.app_context():
        congress = make_congress()
        brazil = make_delegation(congress, make_user("fp-br@example.org"), country_code="BR")
        sweden = make_delegation(congress, make_user("fp-se@example.org"), country_code="SE")
        operations.add_delegate(brazil, details("Ana.Souza@Gov.BR"))
        with pytest.raises(rules.EmailTaken) as taken:
            operations.add_delegate(sweden, details("ana.souza@gov.br "))
        assert taken.value.field == "email"
        other = make_congress(slug="yokohama-2001")
        elsewhere = make_delegation(other, make_user("fp-br2@example.org"), country_code="BR")
        added = operations.add_delegate(elsewhere, details("ana.souza@gov.br"))
        assert added.email == "ana.souza@gov.br"


def test_editing_a_member_keeps_their_own_email_and_refuses_another(app):
    with app.app_context():
        congress = make_congress()
        delegation = make_delegation(congress, make_user("fp@example.org"))
        ana = make_delegate(delegation, "ana@gov.br")
        make_delegate(delegation, "rui@gov.br", given_names="Rui")
        db.session.commit()
        operations.update_delegate(ana, details("ana@gov.br", function="Minister"))
        assert ana.function == "Minister"
        with pytest.raises(rules.EmailTaken):
            operations.update_delegate(ana, details("RUI@gov.br"))
        db.session.expire_all()
        assert db.session.get(Delegate, ana.id).email == "ana@gov.br"


# --- Quotas -------------------------------------------------------------------------


def test_a_full_delegation_takes_no_more_members_but_may_replace_one(app):
    with app.app_context():
        congress = make_congress()
        set_quota(congress, Category.STATE, max_delegates=2)
        delegation = make_delegation(congress, make_user("fp@example.org"))
        operations.add_delegate(delegation, details("one@gov.br"))
        second = operations.add_delegate(delegation, details("two@gov.br"))
        with pytest.raises(rules.QuotaReached) as full:
            operations.add_delegate(delegation, details("three@gov.br"))
        assert str(full.value) == (
            "The delegation already has 2 members, the most its category allows."
        )
        operations.withdraw_delegate(second)
        operations.add_delegate(delegation, details("three@gov.br"))
        with pytest.raises(rules.QuotaReached):
            operations.reinstate_delegate(second)
        emails = db.session.scalars(
            select(Delegate.email).where(Delegate.withdrawn.is_(False)).order_by(Delegate.id)
        ).all()
        assert emails == ["one@gov.br", "three@gov.br"]


SIMULTANEOUS = 6


def test_simultaneous_additions_at_the_last_seat_admit_exactly_one(app, database_url):
    """Six focal-point requests add a member at the same instant to a delegation one seat short.

    On PostgreSQL the row lock queues them; on SQLite its single writer does. Either
    way each counts what the previous one committed, so exactly one gets the seat.
    """
    with app.app_context():
        congress = make_congress()
        set_quota(congress, Category.STATE, max_delegates=3)
        focal_point = make_user("fp@example.org")
        delegation = make_delegation(congress, focal_point)
        make_delegate(delegation, "one@gov.br")
        make_delegate(delegation, "two@gov.br")
        db.session.commit()
        delegation_id = delegation.id

    barrier = threading.Barrier(SIMULTANEOUS)
    results: list[object] = [None] * SIMULTANEOUS

    def add(index: int) -> None:
        with app.app_context():
            try:
                delegation = db.session.get(Delegation, delegation_id)
                barrier.wait(timeout=30)
                operations.add_delegate(delegation, details(f"seat{index}@gov.br"))
                results[index] = "added"
            except rules.QuotaReached:
                results[index] = "refused"
            except Exception as error:  # reported below, with its type
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=add, args=(i,)) for i in range(SIMULTANEOUS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(map(str, results)) == ["added"] + ["refused"] * (SIMULTANEOUS - 1)
    with app.app_context():
        members = db.session.scalars(
            select(Delegate.email).where(Delegate.delegation_id == delegation_id)
        ).all()
        assert len(members) == 3
        assert sum(email.startswith("seat") for email in members) == 1


# --- The workflow --------------------------------------------------------------------


def _ready(congress, focal_point, **values) -> Delegation:
    """A draft with a letter and two members, ready to submit."""
    delegation = make_delegation(congress, focal_point, credentials_file="letter.pdf", **values)
    make_delegate(delegation, "ana@gov.br", given_names="Ana", preferred_language="pt")
    make_delegate(delegation, "rui@gov.br", given_names="Rui", preferred_language="es")
    db.session.commit()
    return delegation


def test_the_moves_each_person_may_make(app):
    with app.app_context():
        congress = make_congress()
        focal_point = make_user("fp@example.org")
        organiser = make_user("org@example.org", organises=(congress,))
        admin = make_user("admin@example.org", admin=True)
        stranger = make_user("other@example.org")
        delegation = _ready(congress, focal_point)
        assert rules.moves_for(delegation, focal_point) == [S.SUBMITTED, S.WITHDRAWN]
        assert rules.moves_for(delegation, organiser) == []
        assert rules.moves_for(delegation, stranger) == []
        delegation.status = S.SUBMITTED
        assert rules.moves_for(delegation, focal_point) == [S.WITHDRAWN]
        assert rules.moves_for(delegation, organiser) == [S.ACCREDITED, S.REJECTED]
        assert rules.moves_for(delegation, admin) == [S.ACCREDITED, S.REJECTED]
        delegation.status = S.ACCREDITED
        assert rules.moves_for(delegation, focal_point) == []
        assert rules.moves_for(delegation, organiser) == []


def test_moves_outside_the_workflow_are_refused_and_change_nothing(app):
    with app.app_context():
        congress = make_congress()
        focal_point = make_user("fp@example.org")
        organiser = make_user("org@example.org", organises=(congress,))
        delegation = _ready(congress, focal_point)
        with pytest.raises(rules.TransitionRefused) as refused:
            operations.transition(delegation, S.ACCREDITED, organiser)
        assert str(refused.value) == "This delegation cannot go from “Draft” to “Accredited”."
        with pytest.raises(rules.TransitionRefused):
            operations.transition(delegation, S.SUBMITTED, organiser)  # the focal point's move
        operations.transition(delegation, S.SUBMITTED, focal_point)
        with pytest.raises(rules.TransitionRefused):
            operations.transition(delegation, S.ACCREDITED, focal_point)  # the organisers' move
        with pytest.raises(rules.RegistrationError) as no_reason:
            operations.transition(delegation, S.REJECTED, organiser, reason="   ")
        assert no_reason.value.field == "reason"
        db.session.expire_all()
        assert db.session.get(Delegation, delegation.id).status is S.SUBMITTED
        assert db.session.scalar(select(func.count()).select_from(DelegationTransition)) == 1


def test_submission_needs_the_letter_and_at_least_one_member_within_the_maximum(app):
    with app.app_context():
        congress = make_congress()
        focal_point = make_user("fp@example.org")
        delegation = make_delegation(congress, focal_point)
        db.session.commit()
        with pytest.raises(rules.RegistrationError, match="credentials letter") as error:
            operations.transition(delegation, S.SUBMITTED, focal_point)
        assert error.value.field == "credentials"
        delegation.credentials_file = "letter.pdf"
        db.session.commit()
        with pytest.raises(rules.RegistrationError, match="at least one member"):
            operations.transition(delegation, S.SUBMITTED, focal_point)
        make_delegate(delegation, "a@gov.br")
        make_delegate(delegation, "b@gov.br")
        set_quota(congress, Category.STATE, max_delegates=1)  # lowered after the additions
        db.session.commit()
        with pytest.raises(rules.QuotaReached, match="has 2 members; its category allows 1"):
            operations.transition(delegation, S.SUBMITTED, focal_point)


def test_every_move_is_recorded_audited_and_mailed_to_the_focal_point_in_their_language(app):
    with app.test_request_context("/en/"):
        congress = make_congress()
        focal_point = make_user("fp@itamaraty.gov.br", name="Clara", language="fr")
        organiser = make_user("org@example.org", name="Olga", organises=(congress,))
        delegation = _ready(congress, focal_point)
        before = datetime.now(UTC)
        operations.transition(delegation, S.SUBMITTED, focal_point)
        operations.transition(
            delegation, S.REJECTED, organiser, reason="  The letter is unsigned. "
        )
        operations.transition(delegation, S.SUBMITTED, focal_point)
        operations.transition(delegation, S.WITHDRAWN, focal_point)

        steps = db.session.scalars(
            select(DelegationTransition).order_by(DelegationTransition.id)
        ).all()
        assert [(s.from_status, s.to_status, s.actor_id) for s in steps] == [
            (S.DRAFT, S.SUBMITTED, focal_point.id),
            (S.SUBMITTED, S.REJECTED, organiser.id),
            (S.REJECTED, S.SUBMITTED, focal_point.id),
            (S.SUBMITTED, S.WITHDRAWN, focal_point.id),
        ]
        assert steps[1].reason == "The letter is unsigned."
        assert all(before <= s.at <= datetime.now(UTC) and s.at.tzinfo is UTC for s in steps)
        audit = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [(a.action, a.object_id, a.before, a.after) for a in audit] == [
            ("delegation.submit", delegation.id, {"status": "draft"},
             {"status": "submitted", "reason": None}),
            ("delegation.reject", delegation.id, {"status": "submitted"},
             {"status": "rejected", "reason": "The letter is unsigned."}),
            ("delegation.submit", delegation.id, {"status": "rejected"},
             {"status": "submitted", "reason": None}),
            ("delegation.withdraw", delegation.id, {"status": "submitted"},
             {"status": "withdrawn", "reason": None}),
        ]  # fmt: skip
        mails = read_outbox()
        assert [m["To"] for m in mails] == ["fp@itamaraty.gov.br"] * 4
        assert {m["Content-Language"] for m in mails} == {"fr"}
        # The delegation's name and the link follow the focal point's language.
        assert mails[0]["Subject"].endswith(": Brésil")
        assert f"http://congress.test/fr/delegations/{delegation.id}" in mails[0].get_content()
        assert "The letter is unsigned." in mails[1].get_content()
        # A resubmission clears the reason; the rejection stays in the history.
        assert delegation.rejection_reason is None


def test_accreditation_mails_each_member_on_the_list_their_link_in_their_language(app):
    with app.test_request_context("/en/"):
        congress = make_congress()
        focal_point = make_user("fp@example.org", language="pt")
        organiser = make_user("org@example.org", organises=(congress,))
        delegation = _ready(congress, focal_point)
        gone = make_delegate(delegation, "gone@gov.br", given_names="Gil", withdrawn=True)
        db.session.commit()
        operations.transition(delegation, S.SUBMITTED, focal_point)
        outcome = operations.transition(delegation, S.ACCREDITED, organiser)
        assert outcome.undelivered == []
        ana, rui = (d for d in delegation.delegates if not d.withdrawn)
        mails = {m["To"]: m for m in read_outbox()[1:]}
        assert sorted(mails) == ["ana@gov.br", "fp@example.org", "rui@gov.br"]
        assert gone.email not in mails
        assert mails["ana@gov.br"]["Content-Language"] == "pt"
        assert f"http://congress.test/pt/agenda/{ana.token}" in mails["ana@gov.br"].get_content()
        assert f"http://congress.test/es/agenda/{rui.token}" in mails["rui@gov.br"].get_content()
        assert "Brasil" in mails["ana@gov.br"].get_content()


def test_a_mail_server_that_fails_does_not_undo_the_accreditation(app, monkeypatch):
    with app.test_request_context("/en/"):
        congress = make_congress()
        focal_point = make_user("fp@example.org")
        organiser = make_user("org@example.org", organises=(congress,))
        delegation = _ready(congress, focal_point, status=S.SUBMITTED)

        def refuse(to, *args, **kwargs):
            if to == "rui@gov.br":
                raise smtplib.SMTPRecipientsRefused({to: (550, b"no such user")})

        monkeypatch.setattr(operations, "send_mail", refuse)
        outcome = operations.transition(delegation, S.ACCREDITED, organiser)
        assert outcome.undelivered == ["rui@gov.br"]
        db.session.expire_all()
        assert db.session.get(Delegation, delegation.id).status is S.ACCREDITED


def test_an_accredited_list_can_no_longer_change(app):
    with app.app_context():
        congress = make_congress()
        delegation = _ready(congress, make_user("fp@example.org"), status=S.ACCREDITED)
        ana = delegation.delegates[0]
        for change in (
            lambda: operations.add_delegate(delegation, details("new@gov.br")),
            lambda: operations.update_delegate(ana, details("ana@gov.br", family_name="X")),
            lambda: operations.withdraw_delegate(ana),
            lambda: operations.replace_credentials(delegation, (pdf_bytes(), "new.pdf")),
        ):
            with pytest.raises(rules.NotEditable, match="accredited"):
                change()
        db.session.expire_all()
        ana = db.session.get(Delegate, ana.id)
        assert (ana.family_name, ana.withdrawn) == ("Silva", False)
        assert db.session.scalar(select(func.count()).select_from(Delegate)) == 2


def test_after_the_deadline_members_can_be_withdrawn_but_not_added(app):
    with app.app_context():
        now = datetime.now(UTC)
        congress = make_congress(
            registration_opens_at=now - timedelta(days=60),
            registration_closes_at=now - timedelta(days=1),
        )
        delegation = _ready(congress, make_user("fp@example.org"))
        assert not rules.members_editable(delegation)
        with pytest.raises(rules.RegistrationClosed):
            operations.add_delegate(delegation, details("late@gov.br"))
        operations.withdraw_delegate(delegation.delegates[0])
        assert [d.withdrawn for d in delegation.delegates] == [True, False]
