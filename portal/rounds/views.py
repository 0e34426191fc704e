"""Processes and rounds: public listing and round pages; coordinators create and edit them."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forms.rounds import ProcessForm, RoundForm
from forms.venues import RequirementsForm

from ..core.conditional import conditional_page
from ..core.feedback import FAILED, perform
from ..core.fragments import fragment
from ..extensions import db
from ..models import Process, Round, utcnow
from ..permissions import coordinator_required, get_by_slug_or_404
from ..venues.profiles import PROFILE_LABELS, PROFILES, requirements_for
from . import operations as ops
from .queries import (
    funnel_version,
    listed_section,
    load_round_page,
    open_section,
    published_section,
    viewer_scope,
)
from .requirements import set_requirements

bp = Blueprint("rounds", __name__)

ROUND_FIELDS = (
    "number",
    "title",
    "place",
    "meeting_start",
    "meeting_end",
    "timezone",
    "auto_approve_verified",
    "description",
)
DEADLINES = ("opens_at", "submission_deadline", "signon_deadline")


# -- public -----------------------------------------------------------------------------------


@bp.get("/processes")
def index():
    processes = db.session.scalars(
        select(Process).options(selectinload(Process.rounds)).order_by(Process.created_at.desc())
    ).all()
    return render_template("rounds/index.html", processes=processes, now=utcnow())


@bp.get("/rounds/<slug>")
def round_detail(slug):
    now = utcnow()
    found = load_round_page(slug, now)
    if found is None:
        abort(404)
    round_, version = found
    # A visitor's copy is tagged by the round's version (ETag); a signed-in page is not.
    return conditional_page(
        () if current_user.is_authenticated else version,
        lambda: render_template(
            "rounds/detail.html", round=round_, now=now, **_sections(round_, now, version)
        ),
    )


def _sections(round_, now, version: tuple) -> dict:
    """The page's lists, each rendered once per version of what it shows (and of who sees it)."""
    user = current_user

    def piece(name, template, load, viewer=tuple):
        return fragment(
            name,
            lambda: (version, *viewer()),
            lambda: render_template(template, round=round_, now=now, **load()),
        )

    return {
        "published_html": piece(
            "round-published", "review/_published.html", lambda: published_section(round_)
        ),
        "open_html": piece(
            "round-open",
            "desk/_open_for_signature.html",
            lambda: open_section(round_, user),
            lambda: funnel_version(user),
        ),
        "listed_html": piece(
            "round-statements",
            "statements/_round_list.html",
            lambda: listed_section(round_, user),
            lambda: viewer_scope(user),
        ),
    }


# -- coordinators: processes ------------------------------------------------------------------


@bp.route("/processes/new", methods=["GET", "POST"])
@coordinator_required
def new_process():
    form = ProcessForm()
    if form.validate_on_submit():
        process = perform(
            form,
            ops.create_process,
            current_user,
            title=form.title.data,
            short_title=form.short_title.data,
            description=form.description.data,
        )
        if process is not FAILED:
            flash(_("%(title)s is created. Add its first round.", title=process.title), "success")
            return redirect(url_for(".new_round", slug=process.slug))
    return render_template("rounds/process_form.html", form=form, process=None)


@bp.route("/processes/<slug>/edit", methods=["GET", "POST"])
@coordinator_required
def edit_process(slug):
    process = get_by_slug_or_404(Process, slug, Process.can_edit)
    form = ProcessForm(obj=process)
    if form.validate_on_submit():
        saved = perform(
            form,
            ops.update_process,
            current_user,
            process,
            title=form.title.data,
            short_title=form.short_title.data,
            description=form.description.data,
        )
        if saved is not FAILED:
            flash(_("The process is saved."), "success")
            return redirect(url_for(".index") + f"#process-{process.slug}")
    return render_template("rounds/process_form.html", form=form, process=process)


# -- coordinators: rounds ---------------------------------------------------------------------


def _round_fields(form: RoundForm) -> dict:
    """The form's values for the operations, deadlines converted from the round's zone to UTC."""
    fields = {name: getattr(form, name).data for name in ROUND_FIELDS}
    fields["areas"] = form.areas.data
    for name in DEADLINES:
        fields[name] = ops.local_to_utc(getattr(form, name).data, form.timezone.data, name)
    return fields


@bp.route("/processes/<slug>/rounds/new", methods=["GET", "POST"])
@coordinator_required
def new_round(slug):
    process = get_by_slug_or_404(Process, slug, Process.can_edit)
    form = RoundForm()
    if not form.is_submitted():
        form.number.data = max((r.number for r in process.rounds), default=0) + 1
        form.timezone.data = process.rounds[-1].timezone if process.rounds else "UTC"
        if process.rounds and process.rounds[-1].place:
            form.place.data = process.rounds[-1].place
    if form.validate_on_submit():
        # Inside perform: converting a deadline refuses a time the clocks skip, next to its field.
        round_ = perform(
            form, lambda: ops.create_round(current_user, process, **_round_fields(form))
        )
        if round_ is not FAILED:
            flash(_("%(title)s is created.", title=round_.title), "success")
            return redirect(url_for(".round_detail", slug=round_.slug))
    return render_template("rounds/round_form.html", form=form, process=process, round=None)


@bp.route("/rounds/<slug>/edit", methods=["GET", "POST"])
@coordinator_required
def edit_round(slug):
    round_ = get_by_slug_or_404(Round, slug, Round.can_edit)
    form = RoundForm(obj=round_)
    if not form.is_submitted():
        form.areas.data = "\n".join(a.title for a in round_.areas)
        for name in DEADLINES:
            getattr(form, name).data = ops.utc_to_local(getattr(round_, name), round_.timezone)
    if form.validate_on_submit():
        saved = perform(form, lambda: ops.update_round(current_user, round_, **_round_fields(form)))
        if saved is not FAILED:
            flash(_("The round is saved."), "success")
            return redirect(url_for(".round_detail", slug=round_.slug))
    return render_template(
        "rounds/round_form.html", form=form, process=round_.process, round=round_
    )


# -- coordinators: the round's submission requirements (docs/venues.md) -----------------------


@bp.route("/rounds/<slug>/requirements", methods=["GET", "POST"])
@coordinator_required
def requirements(slug):
    round_ = get_by_slug_or_404(Round, slug, Round.can_edit)
    form = RequirementsForm()
    if not form.is_submitted():
        # ?profile=hrc starts from that profile; otherwise the round's current requirements.
        chosen = request.args.get("profile")
        form.fill(PROFILES[chosen] if chosen in PROFILES else requirements_for(round_))
    if form.validate_on_submit():
        saved = perform(
            form,
            lambda: set_requirements(current_user, round_, form.profile.data, **form.adjustments()),
        )
        if saved is not FAILED:
            flash(_("The round's submission requirements are saved."), "success")
            return redirect(url_for(".round_detail", slug=round_.slug))
    return render_template(
        "rounds/requirements.html", form=form, round=round_, profiles=PROFILE_LABELS
    )
