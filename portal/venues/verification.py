"""The state of verification the venue's arrangement of a list depends on, as a stamp read in
one query or two, and a memo of what is worked out from it: the official PDF's key on every
download without its list of 1,500 organizations (portal/exports/official.py).

Why a stamp tells every change apart: a coordinator's verification sets `verified_at` to now,
later than every stored one, and every other change of what the rules read (a new declaration,
a rejection, a withdrawn accreditation) clears it or drops the row. So between two readings,
in each ECOSOC status, either an organization verified since is still there — and the latest
`verified_at` moved — or organizations only left, and the count dropped. The stamp is over
every organization, not one list: a verification anywhere works the lists out again (tens of
milliseconds each), and changes a key only where it changes the list's arrangement."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from sqlalchemy import func, select

from ..extensions import db
from ..models import Organization, Review
from ..models.accreditation import Accreditation, AccreditationKind, AccreditationState
from ..models.requirements import Eligibility
from .profiles import Requirements


def verification_stamp(requirements: Requirements, process_id: int) -> tuple:
    """Per ECOSOC status, how many organizations hold it verified, and the latest
    verification; and the same of the process's admitted observers when the rule reads them
    (eligibility.meets)."""
    verified = Organization.ecosoc_verified_at.is_not(None)
    stamp: tuple = tuple(
        tuple(row)
        for row in db.session.execute(
            select(
                Organization.ecosoc_status,
                func.count(),
                func.sum(Organization.id),
                func.max(Organization.ecosoc_verified_at),
            )
            .where(verified)
            .group_by(Organization.ecosoc_status)
            .order_by(Organization.ecosoc_status)
        )
    )
    if requirements.signers == Eligibility.ADMITTED:
        admitted = db.session.execute(
            select(
                func.count(), func.sum(Accreditation.id), func.max(Accreditation.verified_at)
            ).where(
                Accreditation.process_id == process_id,
                Accreditation.kind == AccreditationKind.ADMITTED_OBSERVER,
                Accreditation.state == AccreditationState.VERIFIED,
            )
        ).one()
        stamp += (tuple(admitted),)
    return stamp


class VenueKeys:
    """`compute(statement, review)` — a function of the published list, the round's
    requirements and the state of verification — kept for the latest `size` of them."""

    def __init__(self, compute: Callable[..., dict], size: int = 256):
        self._compute = compute
        self._size = size
        self._memo: OrderedDict[Hashable, dict] = OrderedDict()
        self._lock = threading.Lock()  # the workers' threads share it

    def get(self, statement, review: Review, requirements: Requirements) -> dict:
        if not review.list_hash:  # a list stored before its hash was: nothing to key it by
            return self._compute(statement, review)
        process_id = statement.round.process_id
        key = (
            # One process may serve two databases (the tests): each has its own stamps.
            db.session.get_bind().engine.url.render_as_string(hide_password=True),
            review.id,
            review.list_hash,
            process_id,
            requirements,
            verification_stamp(requirements, process_id),
        )
        with self._lock:
            found = self._memo.get(key)
            if found is not None:
                self._memo.move_to_end(key)
                return found
        value = self._compute(statement, review)
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > self._size:
                self._memo.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._memo.clear()
