"""Shared builders for the archive tests: a departments' submission tree in every format."""
from __future__ import annotations

from pathlib import Path

from examples.docgen import docx_bytes, write_doc, write_docx, write_pdf, write_txt, write_xls, write_xlsx

VOLUNTEER = ["为深入推进学雷锋志愿服务，市文明办组织开展2024年志愿服务活动。",
             "全年新增注册志愿者12000人，开展文明交通劝导活动86场。"]
STATISTICS = [["指标", "2023年", "2024年"], ["注册志愿者人数", 98000, 110000], ["志愿服务组织数", 420, 465]]


def build_submission_tree(root: Path) -> dict[str, str]:
    """Write a tree as departments send it; returns relative path -> expected status."""
    files: dict[str, str] = {}

    def add(rel: str, status: str = "ok") -> Path:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        files[rel] = status
        return path

    write_docx(add("市文明办/2024年志愿服务工作总结.docx"), "2024年志愿服务工作总结", VOLUNTEER,
               table=[["项目", "数量"], ["志愿服务活动", "86场"]], doc_number="文明办〔2024〕12号",
               issuer="市文明办", date="2024年12月20日")
    write_pdf(add("市文明办/创建工作/深层/文明城市创建实施方案.pdf"), "文明城市创建实施方案",
              ["第一页：文明城市创建工作实施方案，明确目标任务。", "第二页：未成年人思想道德建设工作安排。"])
    write_xlsx(add("团市委/注册志愿者统计表.xlsx"), {"2024年": STATISTICS, "说明": [["数据来源", "志愿服务信息系统"]]})
    write_xls(add("团市委/历年志愿服务组织统计.xls"), {"统计": STATISTICS})
    write_doc(docx_bytes("志愿服务队伍建设意见", VOLUNTEER), add("团市委/旧文件/志愿服务队伍建设意见.doc"))
    write_txt(add("市教育局/家庭教育指导活动记录.txt"), "家庭教育指导活动记录\n2025年3月开展家庭教育指导讲座12场。",
              encoding="gb18030")
    write_txt(add("市教育局/心理健康教育.csv"), "学校,心理健康教育课时\n第一中学,36\n", encoding="gb18030")
    # the same content under another name and department: stored once, both paths kept
    write_docx(add("文明办/副本-志愿服务工作总结.docx"), "2024年志愿服务工作总结", VOLUNTEER,
               table=[["项目", "数量"], ["志愿服务活动", "86场"]], doc_number="文明办〔2024〕12号",
               issuer="市文明办", date="2024年12月20日")
    add("市统计局/损坏的统计公报.pdf", "failed").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    add("市统计局/空文件.docx", "failed").write_bytes(b"")
    return files
