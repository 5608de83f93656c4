import os
import subprocess
import sys
from pathlib import Path

from congress import create_app


def test_defaults_use_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("CONGRESS_DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SCHEMA_CHECK": False})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/congress.sqlite3"


def test_instance_config_then_environment_then_argument(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        "DATABASE_URL = 'sqlite:///from-instance.db'\nMAIL_SENDER = 'instance@example.org'\n"
        "MAIL_PORT = 2525\n"
    )
    monkeypatch.setenv("CONGRESS_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1/env")
    monkeypatch.setenv("CONGRESS_MAIL_PORT", "2626")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SCHEMA_CHECK": False, "MAIL_PORT": 2727})
    assert app.config["MAIL_SENDER"] == "instance@example.org"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1/env"
    assert app.config["MAIL_PORT"] == 2727


def test_environment_overrides_instance_config(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("MAIL_PORT = 2525\n")
    monkeypatch.setenv("CONGRESS_MAIL_PORT", "2626")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SCHEMA_CHECK": False})
    assert app.config["MAIL_PORT"] == 2626


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("CONGRESS_SECRET_KEY", raising=False)
    config = {"INSTANCE_PATH": str(tmp_path), "SCHEMA_CHECK": False}
    first = create_app(config).config["SECRET_KEY"]
    second = create_app(config).config["SECRET_KEY"]
    key_file = Path(tmp_path) / "secret_key"
    assert first == second == key_file.read_text().strip()
    assert len(first) == 64
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_secret_key_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CONGRESS_SECRET_KEY", "from-the-environment")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SCHEMA_CHECK": False})
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert not (Path(tmp_path) / "secret_key").exists()


def test_connections_are_tested_before_use_on_a_database_server_only(tmp_path):
    def options(url: str, **config) -> dict:
        app = create_app(
            {"INSTANCE_PATH": str(tmp_path), "SCHEMA_CHECK": False, "DATABASE_URL": url, **config}
        )
        return app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})

    server = "postgresql+psycopg://u@127.0.0.1/db"
    assert options(server) == {"pool_pre_ping": True}
    # A SQLite file has no connection to lose.
    assert "pool_pre_ping" not in options(f"sqlite:///{tmp_path}/c.db")
    # What the configuration says wins.
    assert options(server, SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": False, "pool_size": 3}) == {
        "pool_pre_ping": False,
        "pool_size": 3,
    }


def test_an_installed_app_reads_its_folders_from_the_package(tmp_path, monkeypatch):
    """A wheel carries templates/, static/, translations/ and migrations/ inside the package."""
    from congress import paths

    package = tmp_path / "site-packages" / "congress"
    for name in paths.PACKAGED_FOLDERS:
        (package / name).mkdir(parents=True)
    monkeypatch.setattr(paths, "PACKAGE", package)
    monkeypatch.setattr(paths, "PROJECT_ROOT", package.parent)
    monkeypatch.delenv("CONGRESS_INSTANCE_PATH", raising=False)
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "venv"))
    app = create_app({"SCHEMA_CHECK": False, "SECRET_KEY": "test"})
    assert not paths.in_source_tree()
    assert app.template_folder == str(package / "templates")
    assert app.static_folder == str(package / "static")
    assert app.extensions["migrate"].directory == str(package / "migrations")
    assert app.extensions["babel"].translation_directories == [str(package / "translations")]
    # No instance/ inside site-packages: Flask's folder under the environment's prefix.
    assert app.instance_path == str(tmp_path / "venv" / "var" / "congress-instance")


def test_a_source_tree_reads_its_folders_at_the_top(monkeypatch):
    from congress import paths

    monkeypatch.delenv("CONGRESS_INSTANCE_PATH", raising=False)
    app = create_app({"SCHEMA_CHECK": False, "SECRET_KEY": "test"})
    assert paths.in_source_tree()
    assert app.template_folder == str(paths.PROJECT_ROOT / "templates")
    assert app.static_folder == str(paths.PROJECT_ROOT / "static")
    assert app.extensions["migrate"].directory == str(paths.PROJECT_ROOT / "migrations")
    assert app.instance_path == str(paths.PROJECT_ROOT / "instance")


# What a machine without Pango does: WeasyPrint is installed, and its import fails on the
# shared library, as cffi reports it.
WITHOUT_PANGO = """
import importlib.abc, sys

class NoPango(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0': No such file or directory")

sys.meta_path.insert(0, NoPango())
"""

WITHOUT_PANGO_SERVING = """
from flask_migrate import upgrade
from congress import create_app
from congress.archive.loader import load_archive
from congress.extensions import db

setup = create_app({"SECRET_KEY": "test", "SCHEMA_CHECK": False})
with setup.app_context():
    upgrade()
    load_archive()
    db.session.commit()
    db.engine.dispose()
app = create_app({"SECRET_KEY": "test"})
assert "weasyprint" not in sys.modules
client = app.test_client()
rio = "/fr/congresses/rio-2008/"
for path in ("/en/congresses/rio-2008/", rio + "participants", rio + "participants.csv",
             rio + "participants.pdf", "/fr/countries/BR/report.pdf"):
    response = client.get(path)
    print(path, response.status_code, response.mimetype)
    if path.endswith(".pdf"):
        print(response.get_data(as_text=True))
"""


def _without_pango(tmp_path, code: str, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "CONGRESS_INSTANCE_PATH": str(tmp_path / "instance"),
        "CONGRESS_DATABASE_URL": f"sqlite:///{tmp_path}/nopango.sqlite3",
        "CONGRESS_SECRET_KEY": "test",
    }
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_PANGO + code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_pango_the_app_serves_all_but_the_pdf_which_says_why(tmp_path):
    run = _without_pango(tmp_path, WITHOUT_PANGO_SERVING)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[:4] == [
        "/en/congresses/rio-2008/ 200 text/html",
        "/fr/congresses/rio-2008/participants 200 text/html",
        "/fr/congresses/rio-2008/participants.csv 200 text/csv",
        "/fr/congresses/rio-2008/participants.pdf 503 text/html",
    ]
    report = lines.index("/fr/countries/BR/report.pdf 503 text/html")
    assert (
        "Ce PDF ne peut pas être produit sur ce serveur pour le moment. Le rapport est sur sa "
        "page, et ses entrées peuvent être téléchargées en CSV ou en JSON."
    ) in "\n".join(lines[report:])
    page = "\n".join(lines[4:report])
    assert '<html lang="fr"' in page
    assert (
        "Ce PDF ne peut pas être produit sur ce serveur pour le moment. La liste des "
        "participants est sur sa page, et peut être téléchargée en fichier CSV."
    ) in page
    # The operator learns why from the log.
    assert "participants-rio-2008-fr.pdf cannot be drawn: cannot load library 'libpango-1.0-0'" in (
        run.stderr
    )


def test_without_pango_the_commands_run(tmp_path):
    flask_main = "from flask.cli import main\nsys.argv[0] = 'flask'\nmain()\n"
    help_ = _without_pango(tmp_path, flask_main, "--app", "congress", "--help")
    assert help_.returncode == 0, help_.stderr
    assert "demo-data" in help_.stdout
    upgrade = _without_pango(tmp_path, flask_main, "--app", "congress", "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    load = _without_pango(tmp_path, flask_main, "--app", "congress", "archive", "load")
    assert load.returncode == 0, load.stderr
    assert load.stdout == "Archive loaded: stockholm-1996, yokohama-2001, rio-2008\n"
