"""What an import found, row by row: new, changed, unchanged, in error, and each problem."""

from __future__ import annotations

from dataclasses import dataclass, field

from api.imports.cells import Problem
from domain.ledger_batches import Batch
from domain.meta import LedgerItem


@dataclass
class Outcome:
    """What an import found: rows new, changed, unchanged, in error, and every problem."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    invalid: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return (
            f"新增 {self.new} 条，更新 {self.changed} 条，未变 {self.unchanged} 条，"
            f"错误 {self.invalid} 条"
        )

    def count(
        self,
        problems: list[Problem],
        item: LedgerItem | None,
        added: int,
        created: bool,
        batch: Batch,
    ) -> None:
        """Count one row: in error (its problems kept), new, changed or unchanged; the item
        it adds acts to goes into ``batch``."""
        if problems or item is None:
            self.invalid += 1
            self.problems += problems
            return
        if created:
            self.new += 1
        elif added:
            self.changed += 1
        else:
            self.unchanged += 1
        if added or created:
            batch.add(item)
