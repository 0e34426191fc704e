"""One place per object decides who may do what: the model's can_<verb>(user) methods.

Views ask through `get_or_404` / `require`, templates through the same methods, so a button is
shown exactly when the action would be allowed. Something a person may not even see is a 404;
something they see but may not do is a 403.
"""

from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from .extensions import db


def require(obj, verb: str):
    """Abort unless current_user may <verb> obj (404 when they may not even see it)."""
    user = current_user
    can_view = getattr(obj, "can_view", None)
    if can_view is not None and not can_view(user):
        abort(404)
    if verb != "view" and not getattr(obj, f"can_{verb}")(user):
        abort(403)
    return obj


def get_or_404(model, ident, verb: str = "view"):
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return require(obj, verb)


def get_by_slug_or_404(model, slug: str, verb: str = "view"):
    """The object whose ``slug`` column matches, checked like `get_or_404`."""
    obj = db.session.scalar(select(model).where(model.slug == slug))
    if obj is None:
        abort(404)
    return require(obj, verb)


def coordinator_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            from .extensions import login_manager

            return login_manager.unauthorized()
        if not current_user.is_coordinator:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
