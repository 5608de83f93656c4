from datetime import UTC, date, datetime

from sqlalchemy import func, select

from congress.archive.models import Figure, PartnerRole, Reliability
from congress.congresses.models import Congress
from congress.extensions import db
from congress.programme.models import Session, SessionKind


def dump_everything() -> dict:
    """Every row of every table, as plain tuples: what "nothing changed" means."""
    return {
        table.name: sorted(
            tuple(str(v) for v in row) for row in db.session.execute(table.select()).all()
        )
        for table in db.metadata.sorted_tables
    }


def test_archive_load_creates_three_editions_newest_first(runner, app):
    result = runner.invoke(args=["archive", "load"])
    assert result.exit_code == 0, result.output
    assert "stockholm-1996, yokohama-2001, rio-2008" in result.output
    with app.app_context():
        slugs = db.session.scalars(select(Congress.slug).order_by(Congress.start_date.desc()))
        assert list(slugs) == ["rio-2008", "yokohama-2001", "stockholm-1996"]


def test_loading_twice_changes_nothing(runner, app):
    runner.invoke(args=["archive", "load"])
    with app.app_context():
        before = dump_everything()
    result = runner.invoke(args=["archive", "load"])
    assert "(nothing changed)" in result.output
    with app.app_context():
        assert dump_everything() == before


def test_rio_facts(archive):
    with archive.app_context():
        rio = db.session.scalar(select(Congress).where(Congress.slug == "rio-2008"))
        assert (rio.start_date, rio.end_date) == (date(2008, 11, 25), date(2008, 11, 28))
        assert rio.venue == "Riocentro, Jacarepaguá"
        assert rio.timezone == "America/Sao_Paulo"
        assert rio.name["pt"] == (
            "III Congresso Mundial de Enfrentamento da Exploração Sexual de Crianças e Adolescentes"
        )
        assert [p.name["en"] for p in rio.partners if p.role is PartnerRole.HOST] == [
            "Government of Brazil (Special Secretariat for Human Rights, SEDH)"
        ]
        assert [t.name["pt"] for t in rio.themes][1] == "Marco legal e responsabilização"
        assert len(rio.themes) == 5
        opening = db.session.scalar(select(Session).where(Session.uid == "rio-2008-opening"))
        assert opening.kind is SessionKind.OPENING_CEREMONY
        assert opening.starts_at == datetime(2008, 11, 25, 21, 30, tzinfo=UTC)
        assert opening.illustrative is False


def test_disputed_figures_are_all_kept_with_their_sources(archive):
    with archive.app_context():
        yokohama = db.session.scalar(select(Congress).where(Congress.slug == "yokohama-2001"))
        governments = [
            (f.value, f.source, f.reliability)
            for f in yokohama.figures
            if f.measure == "governments"
        ]
        assert governments == [
            (161, "ECPAT Luxembourg, seed document", Reliability.DISPUTED),
            (
                136,
                "Ministry of Foreign Affairs of Japan, the Second World Congress (in Japanese)",
                Reliability.VERIFIED,
            ),
            (
                134,
                "UN News, Yokohama forum renews commitment to combat sexual exploitation of"
                " children",
                Reliability.DISPUTED,
            ),
        ]
        assert db.session.scalar(select(func.count()).select_from(Figure)) == 10


def test_sessions_without_a_source_are_marked_illustrative(archive):
    with archive.app_context():
        unmarked = db.session.scalars(
            select(Session.uid).where(Session.illustrative.is_(False))
        ).all()
        assert unmarked == ["rio-2008-opening"]
