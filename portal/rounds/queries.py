"""What the round page loads: the view passes it to the template, which queries nothing."""

from ..desk.signon_list import open_for_signature
from ..exports.artifacts import compendium_available
from ..review.queries import published_statements
from ..statements.queries import round_statements


def round_page(round_, user) -> dict:
    """The round page's sections: the statements the viewer may see, those open for signature,
    the approved ones with the length of their published lists, and whether the compendium is
    there to link to."""
    published = published_statements(round_)
    return {
        "listed": round_statements(round_, user),
        "open_list": open_for_signature(round_, user),
        "published": published,
        "listed_counts": {s.id: review.signatory_count for s, review in published},
        "compendium_ready": compendium_available(round_),
    }
