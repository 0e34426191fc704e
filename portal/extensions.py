"""Flask extensions, created unbound and initialised in create_app."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, inspect
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so Alembic migrations work the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The models' base class. Models subclass it directly rather than `db.Model` (which
    Flask-SQLAlchemy builds at run time, so type checkers see it as Any); both share this
    metadata and registry, so `db.metadata`, `db.create_all` and Alembic see every table.
    Hence no Flask-SQLAlchemy `Model.query`: queries go through `db.session` and `select()`."""

    metadata = MetaData(naming_convention=NAMING)

    def can_view(self, user) -> bool:
        """Seen by everyone unless the model says otherwise (portal/permissions.py)."""
        return True

    def __repr__(self) -> str:
        # As Flask-SQLAlchemy's db.Model shows a row: class name and primary key.
        state = inspect(self)
        key = ", ".join(map(str, state.identity)) if state.identity else "(unsaved)"
        return f"<{type(self).__name__} {key}>"


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
