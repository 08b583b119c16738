"""Deliberate faults for the fault-tolerance tests and `newsroom soak` (off unless configured).

`NEWSROOM_FAULT_POISON=<text>`: entries whose article id contains <text> fail on every attempt.
`NEWSROOM_FAULT_FLAKY=<text>:<n>`: such entries fail their first <n> attempts, then succeed.
`NEWSROOM_FAULT_STAGES=enrich,...`: which stages inject them (default: all).
They act inside the one consumption mechanism, so what is tested is the real retry path.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsroom_shared.errors import TransientError


class InjectedFault(TransientError):
    """Raised on purpose by a fault-injection setting."""


@dataclass(frozen=True)
class FaultPlan:
    poison: str = ""
    flaky: str = ""
    flaky_attempts: int = 0
    stages: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, poison: str, flaky: str, stages: str) -> FaultPlan:
        text, _, n = flaky.rpartition(":") if ":" in flaky else (flaky, "", "2")
        return cls(
            poison,
            text,
            int(n or 2) if text else 0,
            frozenset(s.strip() for s in stages.split(",") if s.strip()),
        )

    def active(self, stage: str) -> bool:
        return bool(self.poison or self.flaky) and (not self.stages or stage in self.stages)

    def check(self, article_id: str, attempt: int) -> InjectedFault | None:
        if self.poison and self.poison in article_id:
            return InjectedFault(f"injected poison for {article_id}")
        if self.flaky and self.flaky in article_id and attempt <= self.flaky_attempts:
            return InjectedFault(f"injected transient failure for {article_id} (attempt {attempt})")
        return None
