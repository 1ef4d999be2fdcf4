"""What a replay did per rule (the rule editor's backtest): alerts, the first one, evidence, outlets, follow-ups.

`replay` prints it as a table on stderr after the alerts and writes it as JSON with `--summary-json`; a rule that
never fired is listed too, with zeros, so a quiet rule is visible rather than missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from monitor.alerts import Alert, AlertUpdate
from monitor.rules import RuleDef
from monitor.types import iso_utc


@dataclass
class RuleSummary:
    rule: str
    title: str
    alerts: int = 0
    first_alert: datetime | None = None  # fired_at of the first alert
    evidence: int = 0  # evidence quotes across the rule's alerts and follow-ups
    outlets: list[str] = field(default_factory=list)  # distinct outlets among them
    follow_ups: int = 0  # more-evidence replies
    resolved: int = 0  # episodes that ended
    silenced: int = 0  # alerts a silence muted (recorded, not notified)


class Backtest:
    def __init__(self, rules: Sequence[RuleDef]) -> None:
        self.rules = {rule.id: RuleSummary(rule.id, rule.title) for rule in rules}

    def _rule(self, rule_id: str) -> RuleSummary:
        return self.rules.setdefault(rule_id, RuleSummary(rule_id, rule_id))  # a rule reloaded away meanwhile

    def alert(self, alert: Alert, silenced: bool = False) -> None:
        row = self._rule(alert.rule_id)
        row.alerts += 1
        row.silenced += int(silenced)
        if row.first_alert is None or alert.fired_at < row.first_alert:
            row.first_alert = alert.fired_at
        self._evidence(row, [e.source for e in alert.evidence])

    def update(self, update: AlertUpdate) -> None:
        row = self._rule(update.rule_id)
        if update.kind == "resolved":
            row.resolved += 1
        else:
            row.follow_ups += 1
        self._evidence(row, [e.source for e in update.evidence])

    def _evidence(self, row: RuleSummary, outlets: list[str]) -> None:
        row.evidence += len(outlets)
        row.outlets = sorted(set(row.outlets) | set(outlets))

    def to_json(self, *, articles: int, rejected: int) -> dict[str, Any]:
        return {
            "articles": articles,
            "rejected": rejected,
            "alerts": sum(r.alerts for r in self.rules.values()),
            "rules": [
                {**asdict(r), "first_alert": iso_utc(r.first_alert) if r.first_alert else None}
                for r in self.rules.values()
            ],
        }

    def lines(self) -> list[str]:
        """The summary as aligned plain-text rows (never cut to the terminal's width, so greppable)."""
        header = [
            "rule",
            "alerts",
            "first alert",
            "evidence",
            "outlets",
            "follow-ups",
            "resolved",
            "silenced",
        ]
        rows = [
            [
                r.rule,
                str(r.alerts),
                iso_utc(r.first_alert) if r.first_alert else "-",
                str(r.evidence),
                str(len(r.outlets)),
                str(r.follow_ups),
                str(r.resolved),
                str(r.silenced),
            ]
            for r in self.rules.values()
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        return [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in [header, *rows]
        ]
