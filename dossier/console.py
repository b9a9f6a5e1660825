"""Terminal presentation for cli.py: progress bars and tables (rich)."""
from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from archive.progress import Progress as IngestProgress


class RichProgress(IngestProgress):
    def __init__(self, console: Console, enabled: bool) -> None:
        self.console = console
        self.enabled = enabled
        self.bar: Progress | None = None
        self.task = None

    def start(self, total: int, label: str) -> None:
        self.stop()  # a new phase (OCR after ingest) gets its own bar
        if not self.enabled or total < 20:
            return
        self.bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TimeRemainingColumn(), console=self.console, transient=True)
        self.bar.start()
        self.task = self.bar.add_task(label, total=total)

    def advance(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, n)

    def message(self, text: str) -> None:
        (self.bar.console if self.bar else self.console).print(text)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def docs_table(docs: list[dict]) -> Table:
    table = Table(show_lines=False, pad_edge=False)
    for name, opts in (("id", {"justify": "right"}), ("题名 title", {"overflow": "fold", "ratio": 4}),
                       ("部门", {"overflow": "fold", "ratio": 1}), ("格式", {}), ("年份", {}), ("类型", {}),
                       ("指标", {"overflow": "fold"}), ("状态", {})):
        table.add_column(name, **opts)
    for d in docs:
        tags = ",".join(t["code"] for t in d["tags"] if t["status"] != "rejected")
        status = d["status"] if d["status"] != "failed" else f"[red]failed[/]: {d['error']}"
        table.add_row(str(d["id"] or "-"), d["title"], d["department"] or "", d["format"] or "",
                      ",".join(map(str, d["years"])), d["kind"] or "", tags, status)
    return table


STATUS_STYLE = {"complete": "[green]齐全[/]", "partial": "[yellow]部分缺失[/]", "missing": "[red]缺失[/]"}


def kind_cell(cov) -> str:
    if cov is None:
        return "—"
    have = ",".join(str(y)[2:] for y in cov.present) or "-"
    lack = ",".join(str(y)[2:] for y in cov.missing)
    return f"{have}" + (f" [red]缺{lack}[/]" if lack else "")


def coverage_table(report) -> Table:
    table = Table(pad_edge=False)
    for name, opts in (("编号", {}), ("指标名称", {"overflow": "fold", "max_width": 24}),
                       ("牵头单位", {"overflow": "fold", "max_width": 12}), ("统计(近2年)", {}), ("活动(近3年)", {}),
                       ("材料", {"justify": "right"}), ("状态", {})):
        table.add_column(name, **opts)
    for item in report.indicators:
        table.add_row(item.code, item.indicator.name, item.lead_department, kind_cell(item.evidence.get("statistics")),
                      kind_cell(item.evidence.get("activity")), str(len(item.documents)), STATUS_STYLE[item.status])
    return table
