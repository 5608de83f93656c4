"""A focal point registers Brazil's delegation, from sign-up to submission; an organiser
accredits it; its members appear in the list of participants.

Everything goes through the pages, with CSRF on, as a person would do it; only the
congress and its organiser are made directly in the database, and the confirmation
link is read from the outbox.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from congress.extensions import db
from congress.mail import read_outbox
from tests.registration_support import PASSWORD, make_congress, make_user, pdf_bytes

FOCAL_POINT = "clara.nunes@itamaraty.gov.br"
MEMBERS = [
    # title, given names, family name, function, role, email, language
    ("he_ms", "Ana Beatriz", "Souza", "Special Secretary", "head", "ana.souza@sedh.gov.br", "pt"),
    ("mr", "João Pedro", "Lima", "Adviser", "adviser", "joao.lima@sedh.gov.br", "pt"),
    ("dr", "Luíza", "Carvalho", "Child protection expert", "expert", "luiza@mre.gov.br", "es"),
]


# Its own address, so that it never meets the archive's Rio on a shared PostgreSQL database.
SLUG = "rio-registration"


@pytest.fixture
def emptied_afterwards(live_app, database_url):
    """On PostgreSQL, leave the database as the other tests expect it: empty."""
    yield live_app
    if database_url is not None:
        with live_app.app_context():
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/en/account/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".flash").first).to_contain_text("You are signed in.")


def test_a_focal_point_registers_brazil_and_an_organiser_accredits_it(
    live_app, emptied_afterwards, browser
):
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        congress = make_congress(slug=SLUG)
        make_user("olga@example.org", name="Olga Organiser", organises=(congress,))
        db.session.commit()

    focal = browser.new_context().new_page()
    # Sign up, and confirm the address from the outbox.
    focal.goto(f"{base}/en/account/sign-up")
    focal.get_by_label("Name").fill("Clara Nunes")
    focal.get_by_label("Email").fill(FOCAL_POINT)
    focal.locator("#password").fill(PASSWORD)
    focal.locator("#password_again").fill(PASSWORD)
    focal.get_by_role("button", name="Create the account").click()
    expect(focal.locator("h1")).to_have_text("Check your mail")
    with live_app.app_context():
        (mail,) = [m for m in read_outbox() if m["To"] == FOCAL_POINT]
    link = re.search(r"http://\S+/account/confirm/\S+", mail.get_content()).group(0)
    focal.goto(link)
    expect(focal.locator(".flash").first).to_contain_text("your email address is confirmed")
    _sign_in(focal, base, FOCAL_POINT)

    # Register the delegation of Brazil, its letter chosen but the country forgotten: the
    # error summary takes the focus and links to the country; the letter is kept meanwhile.
    focal.goto(f"{base}/en/congresses/{SLUG}/register")
    expect(focal.locator("#deadline")).to_contain_text("Registration closes on")
    focal.get_by_label("Category").select_option("state")
    focal.locator("#credentials").set_input_files(
        files=[{"name": "nota-verbal.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    focal.get_by_role("button", name="Register the delegation").click()
    summary = focal.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("a")).to_have_attribute("href", "#country_code")
    expect(focal.locator("#credentials-pending")).to_contain_text("nota-verbal.pdf")
    summary.locator("a").click()
    expect(focal.locator("#country_code")).to_be_focused()
    focal.get_by_label("Country").select_option("BR")
    focal.get_by_role("button", name="Register the delegation").click()
    expect(focal.locator("h1")).to_have_text("Brazil")
    expect(focal.get_by_role("link", name="nota-verbal.pdf")).to_be_visible()
    states = focal.locator(".govuk-task-list__status")
    expect(states).to_have_text(["Completed", "Incomplete", "Completed", "Cannot start yet"])

    # Three members, each with their consent to the public list.
    for title, given, family, function, role, email, language in MEMBERS:
        focal.get_by_role("link", name="Add a member").click()
        focal.get_by_label("Title").select_option(title)
        focal.get_by_label("Given names").fill(given)
        focal.get_by_label("Family name").fill(family)
        focal.get_by_label("Function").fill(function)
        focal.get_by_label("Role in the delegation").select_option(role)
        focal.get_by_label("Email").fill(email)
        focal.get_by_label("Preferred language").select_option(language)
        focal.get_by_label("Appears in the public list of participants").check()
        focal.get_by_role("button", name="Add the member").click()
        expect(focal.locator(".flash").last).to_contain_text(f"{given} {family} is added")
    rows = focal.locator("table.members tbody tr")
    expect(rows).to_have_count(3)

    # Every step but the last done; the last leads to the check page, which submits.
    expect(states).to_have_text(["Completed", "Completed", "Completed", "Incomplete"])
    focal.locator(".govuk-task-list").get_by_role("link", name="Check and submit").click()
    expect(focal.locator("h1")).to_have_text("Check the delegation before submitting it")
    expect(focal.locator("#check-members .govuk-summary-list__row")).to_have_count(3)
    expect(focal.locator("#check-letter")).to_contain_text("nota-verbal.pdf")
    focal.get_by_role("button", name="Submit the delegation").click()
    expect(focal.locator("dd .status")).to_have_text("Submitted")
    expect(states).to_have_text(["Completed", "Completed", "Completed", "Completed"])

    # The organiser finds it at the top of the queue and accredits it.
    organiser = browser.new_context().new_page()
    _sign_in(organiser, base, "olga@example.org")
    organiser.goto(f"{base}/en/manage/congresses/{SLUG}/delegations?status=submitted")
    organiser.get_by_role("link", name="Brazil").click()
    expect(organiser.locator("table.members tbody tr")).to_have_count(3)
    # Through the page that says what accreditation does and who gets mail.
    organiser.get_by_role("link", name="Accredit the delegation").click()
    expect(organiser.locator("h1")).to_have_text("Accredit the delegation Brazil?")
    organiser.get_by_role("button", name="Accredit the delegation").click()
    expect(organiser.locator("dd .status")).to_have_text("Accredited")
    history = organiser.locator("table.history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(1)).to_contain_text("Olga Organiser")

    # The three members appear in the congress's public list of participants.
    organiser.goto(f"{base}/en/congresses/{SLUG}/participants")
    brazil = organiser.locator("section.delegation").filter(
        has=organiser.locator("h3", has_text="Brazil")
    )
    names = [" ".join(n.split()) for n in brazil.locator(".name").all_inner_texts()]
    # Head first, then by role (the list's own rules); family names in capitals.
    assert len(names) == 3
    for name, expected in zip(
        names, ["Ana Beatriz SOUZA", "João Pedro LIMA", "Luíza CARVALHO"], strict=True
    ):
        assert name.endswith(expected), names
    # And each member received their personal link, in their language.
    with live_app.app_context():
        links = {
            m["To"]: m.get_content()
            for m in read_outbox()
            if m["To"] in {member[5] for member in MEMBERS}
        }
    assert sorted(links) == sorted(member[5] for member in MEMBERS)
    assert re.search(r"/pt/agenda/\S+", links["ana.souza@sedh.gov.br"])
    assert re.search(r"/es/agenda/\S+", links["luiza@mre.gov.br"])
