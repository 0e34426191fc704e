"""Public sign-ons matched against the organizations already on the portal.

Without this, a registered organization that signs through the public form (a colleague without
an account, a forwarded link) becomes a second organization, and verifying it puts two identical
names in front of delegations. The comparison is the queue's near-duplicate one (duplicates.py):
the same folded name in the same place, or the same website domain.

- same folded name and place as one *verified* organization: the signature is attached to it
  (pending, like any public sign-on) and its signatories are asked by e-mail to confirm or
  withdraw it — a stranger cannot add a name the coordinators have not seen;
- any other match (an unverified twin, only the website in common): a new organization is
  created and flagged ``possible_duplicate_of``, which the verification page shows next to the
  contact person, for the coordinator to decide.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import audit
from ..extensions import db
from ..mail import queue_message
from ..models import (
    MemberRole,
    Membership,
    MembershipState,
    Organization,
    PublicSignOn,
    Signature,
    User,
    VerificationStatus,
)
from ..places import Place
from .duplicates import fold_name, website_domain


@dataclass
class Match:
    organization: Organization
    by_name: bool  # same folded name and place; else only the website's domain

    @property
    def attach(self) -> bool:
        return self.by_name and self.organization.verified


def find_registered(name: str, place: Place, website: str | None) -> list[Match]:
    """Organizations (not rejected) that look like this one, best first: a verified name match,
    then other name matches, then website matches."""
    key, domain = fold_name(name), website_domain(website)
    candidates = select(Organization).where(Organization.status != VerificationStatus.REJECTED)
    same_place = db.session.scalars(
        candidates.where(
            Organization.scope == place.scope,
            Organization.country.is_(None)
            if place.country is None
            else Organization.country == place.country,
            Organization.region.is_(None)
            if place.region is None
            else Organization.region == place.region,
        )
    ).all()
    matches = [Match(o, True) for o in same_place if fold_name(o.name) == key]
    if domain:
        near = db.session.scalars(
            candidates.where(func.lower(Organization.website).contains(domain, autoescape=True))
        ).all()
        named = {m.organization.id for m in matches}
        matches += [
            Match(o, False)
            for o in near
            if o.id not in named and website_domain(o.website) == domain
        ]
    matches.sort(key=lambda m: (not m.attach, not m.by_name, m.organization.id))
    return matches


def signatory_emails(organization: Organization) -> list[str]:
    """Active signatories and admins of the organization: the people who answer for its name."""
    return list(
        db.session.scalars(
            select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.organization_id == organization.id,
                Membership.role.in_([MemberRole.SIGNATORY, MemberRole.ADMIN]),
                Membership.state == MembershipState.ACTIVE,
                User.active,
            )
            .order_by(User.id)
        )
    )


def ask_signatories(signature: Signature, signon: PublicSignOn) -> None:
    """Tell a matched organization's signatories that someone signed in its name."""
    for email in signatory_emails(signature.organization):
        queue_message(
            email,
            "signon_on_behalf",
            _l("Signed in your organization's name: %(title)s", title=signature.statement.title),
            signature=signature,
            signon=signon,
            statement=signature.statement,
        )
    audit.record(
        "signature.matched_registered",
        signature,
        organization=signature.organization,
        statement=signature.statement_id,
        public_signon=signon.id,
        contact_name=signon.contact_name,
        contact_email=signon.email,
    )


def contacts_by_organization(organization_ids: list[int]) -> dict[int, PublicSignOn]:
    """The public sign-on that created each of these organizations (its contact person), for
    the verification page: one query."""
    if not organization_ids:
        return {}
    rows = db.session.execute(
        select(Signature.organization_id, PublicSignOn)
        .join(PublicSignOn, PublicSignOn.signature_id == Signature.id)
        .where(Signature.organization_id.in_(organization_ids))
        .order_by(PublicSignOn.id)
    ).all()
    found: dict[int, PublicSignOn] = {}
    for organization_id, signon in rows:
        found.setdefault(organization_id, signon)
    return found
