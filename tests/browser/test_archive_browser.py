from congress.archive.loader import load_archive
from congress.extensions import db


def test_rio_page_reads_on_a_phone_and_switches_language(live_app, phone):
    with live_app.app_context():
        load_archive()
        db.session.commit()
    base = live_app.config["LIVE_URL"]
    phone.goto(f"{base}/en/congresses/rio-2008/")
    assert phone.locator("h1").inner_text() == (
        "Third World Congress against Sexual Exploitation of Children and Adolescents"
    )
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("link", name="Português").click()
    phone.wait_for_url(f"{base}/pt/congresses/rio-2008/")
    assert phone.locator("html").get_attribute("lang") == "pt"
    assert phone.locator("h1").inner_text() == (
        "III Congresso Mundial de Enfrentamento da Exploração Sexual de Crianças e Adolescentes"
    )
