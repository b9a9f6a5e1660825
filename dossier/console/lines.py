"""What each command prints for a person, as lines of rich markup, in the user's language.

The command line prints these; they hold no logic beyond choosing words. Lines that carry text
from documents (titles, snippets, reasons) escape it, so a "[" in a title is not markup.
"""
from __future__ import annotations

from rich.markup import escape

from archive.ingest import IngestSummary
from archive.search import SearchPage
from archive.verify import VerifyReport
from common.messages import _
from dossier.judge import MIN_CONFIDENCE, ReviewItem
from dossier.operations import MATERIAL_LABELS, BuildOutcome, CheckReport, CoverageView, RetagChange
from dossier.console.tables import DOC_STATUS, KIND_NAME, STATUS_STYLE

SHOWN_FAILURES = 20
TAG_STATUS = {"auto": _("自动"), "accepted": _("已确认"), "rejected": _("已否决")}
SOURCE_NAME = {"rule": _("规则"), "path": _("路径"), "manual": _("人工"), "filename": _("文件名"),
               "date": _("日期")}


def _years(years) -> str:
    return ",".join(map(str, years)) or "-"


def ingest_lines(summary: IngestSummary) -> list[str]:
    lines = [_("新增 {added} 份，重复 {duplicates} 份，未变 {unchanged} 份，失败 {failed} 份").format(
        added=summary.added, duplicates=summary.duplicates, unchanged=summary.unchanged, failed=len(summary.failed))
        + (_("，待识别 {n} 份").format(n=summary.needs_ocr) if summary.needs_ocr else "")
        + (_("，跳过 {n} 个").format(n=len(summary.skipped)) if summary.skipped else "")]
    for failure in summary.failed[:SHOWN_FAILURES]:
        lines.append(f"  [red]{_('失败')}[/] {escape(failure['path'])}：{escape(failure['reason'])}")
    if len(summary.failed) > SHOWN_FAILURES:
        lines.append(_("  ……另有 {n} 份失败：见 dossier docs --failed").format(n=len(summary.failed) - SHOWN_FAILURES))
    ocr = summary.ocr or {}
    if ocr.get("skipped_reason"):
        lines.append(f"[yellow]{_('未做文字识别：')}[/]{escape(ocr['skipped_reason'])}")
    elif ocr.get("documents"):
        lines.append(_("文字识别：{documents} 份文件，{pages} 页（{engine}）").format(
            documents=ocr["documents"], pages=ocr["pages"], engine=escape(ocr.get("engine") or "")))
    if ocr.get("engine_note"):
        lines.append(f"[yellow]{escape(ocr['engine_note'])}[/]")
    if ocr.get("low_confidence"):
        lines.append(_("  {n} 页识别置信度低，已列入待审核：见 dossier review").format(n=ocr["low_confidence"]))
    for failure in ocr.get("failed", [])[:SHOWN_FAILURES]:
        lines.append(f"  [red]{_('识别失败')}[/] {escape(failure['title'])} "
                     + _("第 {page} 页").format(page=failure["page"]) + f"：{escape(failure['reason'])}")
    if summary.failed_before:
        lines.append(_("  另有 {n} 份未变的文件在以前的运行中失败：见 dossier docs --failed").format(n=summary.failed_before))
    return lines


def tag_line(detail: dict) -> str:
    tags = ", ".join(f"{t['code']}({TAG_STATUS.get(t['status'], t['status'])})" for t in detail["tags"]) or _("无")
    return _("{title}：指标 {tags}；年份 {years}；类型 {kind}").format(
        title=escape(detail["title"]), tags=tags, years=_years(detail["years"]), kind=KIND_NAME.get(detail["kind"], "-"))


def retag_lines(changes: list[RetagChange], dry_run: bool) -> list[str]:
    lines = []
    for c in changes:
        parts = [f"+{code}" for code in c.added] + [f"-{code}" for code in c.removed]
        if c.years:
            parts.append(_("年份 {before} → {after}").format(before=c.years[0], after=c.years[1]))
        if c.kind:
            parts.append(_("类型 {before} → {after}").format(before=KIND_NAME.get(c.kind[0], "-"),
                                                             after=KIND_NAME.get(c.kind[1], "-")))
        lines.append(f"  {c.id:>5} {escape(c.title)}：{'；'.join(parts)}")
    if dry_run:
        lines.append(_("将改动 {n} 份文件（试运行：什么也没有写入）").format(n=len(changes)))
    else:
        lines.append(_("已改动 {n} 份文件").format(n=len(changes)))
    return lines


def review_lines(items: list[ReviewItem], limit: int) -> list[str]:
    lines = []
    for item in items[:limit]:
        lines.append(f"[bold]{item.doc_id:>5}[/] {escape(item.title)}  [dim]({escape(item.department or '-')})[/]")
        lines.append(f"        {escape('；'.join(item.problems))}")
        if item.suggestions:
            best = item.suggestions[0]
            # Below the tagging threshold a suggestion is a lead to check, not advice to follow.
            line = _("建议：dossier tag {id} --add {code}   （{name}；{reason}）") if best["confidence"] >= MIN_CONFIDENCE \
                else _("可能是：dossier tag {id} --add {code}   （把握不大，请看正文后决定；{name}；{reason}）")
            lines.append("        " + line.format(id=item.doc_id, code=best["code"], name=escape(best["name"]),
                                                 reason=escape(best["reason"])))
    shown = _("（显示前 {limit} 份）").format(limit=limit) if len(items) > limit else ""
    lines.append(_("待人工审核 {n} 份文件").format(n=len(items)) + shown)
    return lines


def show_lines(detail: dict) -> list[str]:
    lines = [f"[bold]{escape(detail['title'])}[/]  " + _("（编号 {id}，sha256 {sha}…）").format(
        id=detail["id"], sha=detail["sha256"][:16])]
    status = DOC_STATUS.get(detail["status"], detail["status"]) + (f"：{detail['error']}" if detail["error"] else "")
    for label, value in ((_("部门"), detail["department"]), (_("格式"), detail["format"]), (_("页数"), detail["pages"]),
                         (_("文号"), detail["doc_number"]), (_("责任者"), detail["issuer"]),
                         (_("日期"), detail["doc_date"]), (_("状态"), status)):
        if value not in (None, ""):
            lines.append(f"  {label}：{escape(str(value))}")
    kind = KIND_NAME.get(detail["kind"], _("未判定"))
    if detail["kind_reason"]:
        kind += f"  （{SOURCE_NAME.get(detail['kind_source'], detail['kind_source'])}：{escape(detail['kind_reason'])}）"
    lines.append(f"  {_('类型')}：{kind}")
    if detail.get("material"):
        material = MATERIAL_LABELS.get(detail["material"], detail["material"])
        if detail.get("material_reason"):
            material += f"  （{escape(detail['material_reason'])}）"
        lines.append(f"  {_('材料类型')}：{material}")
    years = "，".join(f"{y['year']}（{SOURCE_NAME.get(y['source'], y['source'])}：{escape(y['reason'])}）"
                     for y in detail["year_reasons"]) or _("未判定")
    lines.append(f"  {_('年份')}：{years}")
    if detail["tags"]:
        lines.append(f"  {_('指标')}：")
        for tag in detail["tags"]:
            lines.append(f"    {tag['code']}  {TAG_STATUS.get(tag['status'], tag['status'])}  "
                         f"{SOURCE_NAME.get(tag['source'], tag['source'])}  {tag['confidence']:.2f}  {escape(tag['reason'])}")
    if detail.get("suggestions"):
        lines.append(f"  {_('建议指标')}：")
        for s in detail["suggestions"]:
            lines.append(f"    {s['code']}  {s['score']:.2f}  {escape(s['reason'])}")
    if detail.get("ocr_pages"):
        lines.append(f"  {_('文字识别')}：" + ocr_pages_line(detail["ocr_pages"]))
    lines += [f"  {_('备注')}：{escape(note)}" for note in detail["notes"]]
    lines.append(f"  {_('来源')}：")
    lines += [f"    {escape(path)}" for path in detail["sources"]]
    if detail["text_head"]:
        lines += [f"  ── {_('正文')} ──", escape(detail["text_head"])]
    return lines


def ocr_pages_line(pages: list[dict]) -> str:
    """"rapidocr 3.10.0 第 1–3 页，置信度 97%–99%": which engine read the scanned pages, how surely."""
    parts = []
    for engine in dict.fromkeys(p["engine"] for p in pages):
        mine = [p for p in pages if p["engine"] == engine]
        numbers = [p["page"] for p in mine]
        span = f"{numbers[0]}" if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"
        levels = [p["confidence"] for p in mine if p["confidence"] is not None]
        low, high = (f"{min(levels):.0f}%", f"{max(levels):.0f}%") if levels else ("", "")
        level = low if low == high else f"{low}–{high}"
        parts.append(_("{engine} 第 {pages} 页").format(engine=escape(engine), pages=span)
                     + (_("，置信度 {level}").format(level=level) if level else ""))
    return "；".join(parts)


def search_lines(found: SearchPage, colour: bool) -> list[str]:
    if not found.hits:
        return [_("没有匹配的文件")]
    shown = _("，显示最相关的 {n} 份（--limit）").format(n=len(found.hits)) if found.total > len(found.hits) else ""
    lines = [_("共 {total} 份文件匹配").format(total=found.total) + shown]
    for rank, hit in enumerate(found.hits, start=1):
        where = _("第 {page} 页").format(page=hit.page) if hit.page else _("题名")
        lines.append(f"[bold]{rank}. {escape(hit.title)}[/]  [dim]（{_('编号')} {hit.id} · {escape(hit.department or '-')}"
                     f" · {_years(hit.years)} · {where} · {hit.score:.2f}）[/]")
        snippet = escape(hit.snippet)
        if colour:  # colour on a screen; the 【】 marks stay when the output is piped
            snippet = snippet.replace("【", "[bold yellow]").replace("】", "[/]")
        lines.append(f"   {snippet}")
    return lines


def verify_lines(report: VerifyReport) -> list[str]:
    lines = [f"[yellow]{_('注意：')}[/]{escape(w)}" for w in report.warnings]
    lines += [f"[red]{_('问题：')}[/]{escape(p)}" for p in report.problems]
    if report.ok:
        lines.append(_("一致：{counts}").format(counts=verify_counts(report)))
    return lines


def verify_counts(report: VerifyReport) -> str:
    names = {"documents": _("文件"), "stored": _("原件"), "sources": _("来源路径"), "indexed": _("已索引")}
    return "，".join(f"{names.get(k, k)} {v}" for k, v in report.counts.items())


def build_lines(outcome: BuildOutcome) -> list[str]:
    result = outcome.result
    lines = [_("生成 {built} 卷，未变 {unchanged} 卷").format(built=len(result.built), unchanged=len(result.unchanged))
             + (_("；{n} 个指标尚无材料").format(n=len(result.skipped)) if result.skipped else "")]
    lines += [f"[yellow]{_('注意：')}[/]{escape(w)}" for w in result.warnings]
    lines.append(_("卷宗在 {folder}").format(folder=outcome.folder))
    return lines


def coverage_summary(view: CoverageView, missing_only: bool) -> str:
    counts = {k: sum(1 for i in view.report.indicators if i.status == k) for k in STATUS_STYLE}
    if missing_only:
        head = _("{total} 个指标中 {n} 个未齐全").format(total=view.total, n=len(view.report.indicators))
    else:
        head = _("{total} 个指标").format(total=view.total)
    line = head + _("：齐全 {complete}，部分缺失 {partial}，缺失 {missing}；完整率 {rate:.0%}").format(
        # with --missing the shown ones are the incomplete: the complete are counted in the whole report
        complete=view.complete if missing_only else counts["complete"], partial=counts["partial"],
        missing=counts["missing"], rate=view.completeness)
    if view.record_table:
        line += _("；记录表已写入 {path}").format(path=view.record_table)
    return line


def status_lines(info: dict) -> list[str]:
    if info["days_left"] is None:
        when = _("未设截止日期（dossier.toml：deadline = YYYY-MM-DD）")
    elif info["overdue"]:
        when = "[red]" + _("已逾期 {days} 天").format(days=-info["days_left"]) + "[/]" + _("（截止 {date}）").format(
            date=info["deadline"])
    else:
        when = _("距截止还有 {days} 天（{date}）").format(days=info["days_left"], date=info["deadline"])
    lines = [f"[bold]{escape(info['system_name'])}[/] · " + _("{year} 年测评").format(year=info["assessment_year"])
             + f" · {when}",
             _("文件 {documents} 份（失败 {failed}，待识别 {needs_ocr}，待审核 {to_review}）").format(**info),
             _("齐全指标 {complete_indicators} / {indicators}；完整率 {completeness:.0%}").format(**info)]
    worst = sorted(info["departments"].items(), key=lambda kv: kv[1])[:8]
    if worst:
        lines.append(_("完整率最低的部门：") + "，".join(f"{escape(d)} {v:.0%}" for d, v in worst))
    return lines


def serve_lines(ws, host: str, port: int, has_users: bool) -> list[str]:
    shown = f"[{host}]" if ":" in host else host
    out = [_("工作台已启动：http://{host}:{port}/ （工作区 {root}；按 Ctrl+C 停止）").format(
        host=escape(shown), port=port, root=escape(str(ws.root)))]
    if not has_users:
        out.append("[yellow]" + _("还没有用户，无法登录：另开一个终端运行 dossier user add 名字 --role admin") + "[/]")
    return out


def user_lines(rows: list[dict]) -> list[str]:
    if not rows:
        return [_("还没有用户：用 dossier user add 名字 --role viewer|editor|admin 添加")]
    return [f"{escape(r['name'])}  {r['role']}  " + _("（添加于 {at}）").format(at=r["created_at"][:10]) for r in rows]


def check_lines(report: CheckReport, by: str) -> list[str]:
    """Findings grouped by indicator (or department), one line each, then the count."""
    if not report.findings:
        return [_("没有发现问题：照片、说明报告、正式发文和年份都符合要求")]
    groups = report.by_indicator() if by == "indicator" else report.by_department()
    lines = []
    for name, findings in groups.items():
        lines.append(f"[bold]{escape(name)}[/]")
        for f in findings:
            lines.append(f"  {f.doc_id}  {escape(f.title or '')}  {escape(f.reason)}")
    lines.append(_("共 {n} 处问题，涉及 {docs} 份文件；dossier show 编号 查看详情").format(
        n=len(report.findings), docs=len({f.doc_id for f in report.findings})))
    return lines


def export_lines(result) -> list[str]:
    lines = [escape(w) for w in result.warnings]
    lines.append(_("已导出 {n} 个指标、{files} 个文件（本次写入 {written} 个，删去 {removed} 个）：{folder}").format(
        n=len(result.indicators), files=result.files, written=result.written, removed=result.removed,
        folder=escape(str(result.folder))))
    return lines
