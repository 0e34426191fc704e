"""What the load-test round will hold: the plan from the command's arguments, checked, and how
its statements and signatures are spread."""

from __future__ import annotations

import random
from dataclasses import dataclass

LARGEST = 1500  # the statement with the longest list (the measurements)
SECOND = 235  # a typical long list, for the second cached PDF
TAIL_SHARE = 0.7  # the other lists stay shorter than the longest: one statement has LARGEST
# Statement states, by share of the statements: half approved, as in a round near its end.
STATES = (("approved", 0.5), ("signing", 0.25), ("submitted", 0.15), ("changes", 0.05))


class LoadDataError(Exception):
    """Arguments that cannot make a round; the message says which and why."""


@dataclass(frozen=True)
class Plan:
    statements: int
    organizations: int
    signatures: int
    seed: int = 2018

    def check(self) -> None:
        if self.statements < 2:
            raise LoadDataError("--statements must be at least 2 (one of each state needs room).")
        if self.organizations < 3:
            raise LoadDataError("--organizations must be at least 3.")
        if self.signatures < 0:
            raise LoadDataError("--signatures cannot be negative.")
        room = self.signing_statements * (self.organizations - 1)
        if self.signatures > room:
            raise LoadDataError(
                f"--signatures {self.signatures:,} is more than {self.signing_statements:,} "
                f"statements open for signatures can hold with {self.organizations:,} "
                f"organizations (each signs a statement once, and not its own): at most {room:,}."
            )

    @property
    def drafts(self) -> int:
        return max(1, self.statements // 20)

    @property
    def signing_statements(self) -> int:
        return self.statements - self.drafts


def states(plan: Plan) -> list[str]:
    """The state each statement ends in; the first two (the longest lists) are approved."""
    result = []
    for state, share in STATES:
        result += [state] * round(plan.statements * share)
    result = result[: plan.signing_statements]
    result += ["signing"] * (plan.signing_statements - len(result))
    return result + ["draft"] * plan.drafts


def signature_counts(plan: Plan, rng: random.Random) -> list[int]:
    """How many organizations sign each statement open for signatures: the first LARGEST (or
    what fits), the second SECOND, the others a long-tailed share of the rest, each shorter
    than the first (at most TAIL_SHARE of it); sums exactly."""
    cap = plan.organizations - 1
    n, total = plan.signing_statements, plan.signatures
    counts = [0] * n
    counts[0] = min(LARGEST, cap, total)
    if n > 1:
        counts[1] = min(SECOND, cap, total - counts[0])
    tail_cap = max(counts[1] if n > 1 else 0, min(cap, int(counts[0] * TAIL_SHARE)))
    rest = total - sum(counts)
    weights = [rng.paretovariate(1.6) for _ in range(n - 2)]
    scale = sum(weights) or 1
    for i, w in enumerate(weights, start=2):
        counts[i] = min(tail_cap, int(rest * w / scale))
    # What rounding and the tail's cap left over: one more signature each to the tail's shortest
    # lists; only when the tail cannot hold it, to any list up to the organizations' count.
    short = total - sum(counts)
    for candidates, limit in ((range(2, n), tail_cap), (range(n), cap)):
        while short > 0:
            room = [i for i in sorted(candidates, key=lambda i: counts[i]) if counts[i] < limit]
            if not room:
                break
            for i in room[:short]:
                counts[i] += 1
            short -= min(short, len(room))
    return counts
