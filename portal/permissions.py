"""One place per object decides who may do what: the model's can_<verb>(user) methods.

Views ask through `get_or_404` / `require`, passing the method itself (`Statement.can_edit`),
templates call the same methods, so a button is shown exactly when the action would be allowed.
Something a person may not even see is a 404; something they see but may not do is a 403.
Anonymous visitors are `models.accounts.AnonymousUser`, which answers every can_* question.
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from .extensions import Base, db, login_manager

if TYPE_CHECKING:
    from .models.accounts import User

M = TypeVar("M", bound=Base)
# (obj, user) -> allowed: an unbound can_* method. The user is whoever `current_user` is, a
# signed-in User or the anonymous visitor.
Permission = Callable[[M, Any], bool]


def require(obj: M, may: Permission[M] | None = None) -> M:
    """Abort unless current_user may see obj (404) and, when given, `may(obj, user)` (403)."""
    user = current_user
    if not obj.can_view(user):
        abort(404)
    if may is not None and not may(obj, user):
        abort(403)
    return obj


def get_or_404(model: type[M], ident: object, may: Permission[M] | None = None) -> M:
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return require(obj, may)


def get_by_slug_or_404(model: type[M], slug: str, may: Permission[M] | None = None) -> M:
    """The object whose ``slug`` column matches, checked like `get_or_404`."""
    obj = db.session.scalar(select(model).filter_by(slug=slug))
    if obj is None:
        abort(404)
    return require(obj, may)


def site_role_required(allowed: Callable[["User"], bool]):
    """A view for a site role: sign in first (anonymous), else 403 unless `allowed(user)`."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not allowed(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


coordinator_required = site_role_required(lambda user: user.is_coordinator)
admin_required = site_role_required(lambda user: user.is_admin)
