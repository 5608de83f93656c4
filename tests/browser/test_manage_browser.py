"""Organisers in Chromium: chairs found through the search field, and a bulk accreditation."""

from __future__ import annotations

from sqlalchemy import select

from congress.extensions import db
from congress.programme.models import Session, SessionPerson, SessionRole
from congress.registration.models import Delegate, Delegation, DelegationStatus
from tests.browser import site as walk


def test_a_chair_is_found_by_a_search_and_saved(seeded, browser):
    app, site = seeded
    with app.app_context():
        delegate = db.session.scalar(
            select(Delegate).where(Delegate.id == site.delegate_id)
        )  # Ana Beatriz Souza, of the focal point's draft delegation
        name = f"{delegate.family_name}, {delegate.given_names}"
    context = browser.new_context()
    walk.sign_in(app, context, site.organiser_login)
    page = context.new_page()
    base = app.config["LIVE_URL"]
    page.goto(f"{base}/en/manage/congresses/demo/sessions/{site.session_id}/edit")
    # The multiple select is hidden, still in the form; the search field has its label.
    assert page.locator("#chair_delegates").is_hidden()
    search = page.get_by_label("Chairs among the delegates")
    assert search.get_attribute("type") == "search"
    search.fill("souza ana")  # family and given name, in any order, without accents
    status = page.locator("#chair_delegates-search-status")
    assert status.inner_text().startswith("Delegates found: ")
    page.locator(".people-picker__match", has_text=name).get_by_role("button").click()
    chosen = page.locator("#chair_delegates ~ .people-picker .people-picker__person")
    assert [t.split("\n")[0].strip() for t in chosen.all_inner_texts()][-1].startswith(name)
    assert search.input_value() == ""
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/manage/congresses/demo/sessions#s*")
    with app.app_context():
        chairs = db.session.scalars(
            select(SessionPerson.delegate_id).where(
                SessionPerson.session_id == site.session_id,
                SessionPerson.role == SessionRole.CHAIR,
            )
        ).all()
        assert site.delegate_id in chairs
        assert db.session.get(Session, site.session_id) is not None
    context.close()


def test_the_picker_takes_a_person_off_and_works_by_keyboard(seeded, browser):
    app, site = seeded
    context = browser.new_context()
    walk.sign_in(app, context, site.organiser_login)
    page = context.new_page()
    page.goto(f"{app.config['LIVE_URL']}/en/manage/congresses/demo/sessions/new")
    picker = page.locator("#speaker_delegates ~ .people-picker")
    assert picker.locator(".people-picker__nobody").inner_text() == "Nobody chosen yet."
    search = page.get_by_label("Speakers among the delegates")
    search.fill("Ana Beatriz")
    # Enter adds the only match instead of sending the form.
    search.press("Enter")
    assert page.url.endswith("/sessions/new")
    assert picker.locator(".people-picker__person").count() == 1
    selected = page.eval_on_selector(
        "#speaker_delegates", "s => Array.from(s.selectedOptions).map(o => Number(o.value))"
    )
    assert selected == [site.delegate_id]
    picker.locator(".people-picker__remove").click()
    assert picker.locator(".people-picker__nobody").is_visible()
    assert page.eval_on_selector("#speaker_delegates", "s => s.selectedOptions.length") == 0
    context.close()


def test_an_organiser_accredits_chosen_delegations_from_the_queue(seeded, browser):
    app, site = seeded
    context = browser.new_context()
    walk.sign_in(app, context, site.organiser_login)
    page = context.new_page()
    page.goto(f"{app.config['LIVE_URL']}/en/manage/congresses/demo/delegations?status=submitted")
    page.get_by_label("Choose Rede Nacional de Proteção").check()
    page.get_by_role("button", name="Accredit the chosen delegations").click()
    assert page.locator("h1").inner_text() == "Accredit 1 delegation?"
    assert "2 mails will be sent:" in page.locator("main").inner_text()
    assert page.locator(".confirm-address").all_inner_texts() == [
        walk.FOCAL_POINT,
        "rita@rede.org.br",
    ]
    with app.app_context():
        assert db.session.get(Delegation, site.submitted_id).status is DelegationStatus.SUBMITTED
    page.get_by_role("button", name="Accredit 1 delegation").click()
    page.wait_for_url("**/delegations?status=submitted")
    assert "1 delegation is accredited" in page.locator(".flash").inner_text()
    with app.app_context():
        assert db.session.get(Delegation, site.submitted_id).status is DelegationStatus.ACCREDITED
    context.close()
