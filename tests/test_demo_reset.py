"""`portal reset-demo`: the demo comes back as after a fresh `make run`, and only on a demo."""

from flask_migrate import upgrade
from sqlalchemy import func, select

from portal import create_app
from portal.extensions import db
from portal.models import Statement, User
from portal.seeding import seed_all
from tests.helpers.app_config import config_for


def _fresh_app(tmp_path, **overrides):
    config = config_for(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    return create_app({**config, "ARTIFACT_DIR": str(tmp_path / "artifacts"), **overrides})


def test_reset_demo_erases_what_was_added_and_loads_the_demo_again(tmp_path):
    app = _fresh_app(tmp_path)
    with app.app_context():
        upgrade()
        seed_all()
        db.session.add(User(email="stranger@example.org", name="Stranger", password_hash="x"))
        db.session.commit()
        statements = db.session.scalar(select(func.count(Statement.id)))
        (tmp_path / "artifacts").mkdir(exist_ok=True)
        (tmp_path / "artifacts" / "old.pdf").write_bytes(b"%PDF-old")
        result = app.test_cli_runner().invoke(args=["reset-demo", "--yes"])
        assert result.exit_code == 0, result.output
        assert "Demo data loaded again" in result.output
        emails = set(db.session.scalars(select(User.email)))
        assert "stranger@example.org" not in emails
        assert {"coordinator@example.org", "lead@example.org", "signer@example.org"} <= emails
        assert db.session.scalar(select(func.count(Statement.id))) == statements
        assert not (tmp_path / "artifacts" / "old.pdf").exists()
        db.engine.dispose()


def test_reset_demo_is_refused_outside_debug_mode(tmp_path):
    app = _fresh_app(tmp_path, TESTING=False)
    with app.app_context():
        upgrade()
        db.session.add(User(email="keep@example.org", name="Keep", password_hash="x"))
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["reset-demo", "--yes"])
        assert result.exit_code == 2
        assert "debug mode" in result.output
        assert db.session.scalar(select(User.email)) == "keep@example.org"
        db.engine.dispose()
