"""A file's own metadata date: the weakest hint of its year, used only when nothing else dates it,
and always shown for review."""
from __future__ import annotations

import datetime as dt
import io
import json

import docx
import pytest
from click.testing import CliRunner

from archive.extract import extract_document
from cli import main
from dossier.judge import detect_years
from examples.docgen import docx_bytes, write_pdf, write_xlsx

NO_YEAR = ["社区组织居民开展邻里节活动，居民自带菜肴共进午餐。", "活动由社区党群服务中心组织。"]


def _docx_saved(path, when: dt.datetime | None, created: dt.datetime | None = None) -> None:
    document = docx.Document(io.BytesIO(docx_bytes("邻里节活动记录", NO_YEAR)))
    if when is None:   # what python-docx's own template says: no real date at all
        document.core_properties.modified = document.core_properties.created = dt.datetime(2013, 12, 23, 23, 15)
    else:
        document.core_properties.modified = when
        document.core_properties.created = created or when
    document.save(path)


def test_word_excel_and_pdf_metadata_dates_are_read(tmp_path):
    _docx_saved(tmp_path / "a.docx", dt.datetime(2023, 5, 4, 10, 0), created=dt.datetime(2021, 1, 2))
    assert extract_document(tmp_path / "a.docx", "a.docx").file_date == "2023-05-04"       # last saved, before made
    _docx_saved(tmp_path / "b.docx", None)
    assert extract_document(tmp_path / "b.docx", "b.docx").file_date is None                # a template's stamp is no date
    write_xlsx(tmp_path / "c.xlsx", {"表": [["项目", "数值"], ["居民", 12]]})
    assert extract_document(tmp_path / "c.xlsx", "c.xlsx").file_date == "2020-01-01"       # the generator's fixed stamp
    write_pdf(tmp_path / "d.pdf", "邻里节活动记录", ["\n".join(NO_YEAR)])
    assert extract_document(tmp_path / "d.pdf", "d.pdf").file_date == "2020-01-01"


def test_the_metadata_year_is_used_only_when_nothing_else_dates_the_document():
    weak = detect_years("邻里节活动记录", "\n".join(NO_YEAR), file_date="2023-05-04")
    assert weak.years == (2023,) and weak.source == "metadata" and weak.confidence < 0.3
    assert "依文件属性日期 2023-05-04" in weak.reason
    assert detect_years("2022年邻里节活动记录", "\n".join(NO_YEAR), file_date="2023-05-04").years == (2022,)
    signed = detect_years("邻里节活动记录", "\n".join(NO_YEAR) + "\n2021年6月1日", file_date="2023-05-04")
    assert signed.years == (2021,) and signed.source == "date"
    assert detect_years("邻里节活动记录", "\n".join(NO_YEAR)).years == ()


@pytest.mark.parametrize("stamp", ["", "xx", "0001-01-01"])
def test_a_meaningless_metadata_date_gives_nothing(stamp):
    assert detect_years("邻里节活动记录", "\n".join(NO_YEAR), file_date=stamp or None).years == ()


def test_review_asks_a_person_to_confirm_a_year_only_the_metadata_gave(tmp_path):
    src = tmp_path / "材料" / "某社区"
    src.mkdir(parents=True)
    _docx_saved(src / "邻里节活动记录.docx", dt.datetime(2024, 9, 1, 9, 0))
    ws = tmp_path / "工作区"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(ws), "--assessment-year", "2026"]).exit_code == 0
    assert runner.invoke(main, ["-w", str(ws), "ingest", str(tmp_path / "材料")]).exit_code == 0
    shown = json.loads(runner.invoke(main, ["-w", str(ws), "show", "1", "--json"]).output)
    assert shown["years"] == [2024]
    review = json.loads(runner.invoke(main, ["-w", str(ws), "review", "--json"]).output)
    problems = next(item["problems"] for item in review if item["doc_id"] == 1)
    assert "年份仅依文件属性日期：请核对正文所涉年份" in problems


def test_a_date_a_library_filled_in_while_reading_is_no_date():
    from archive.extract.base import metadata_day
    now = dt.datetime.now()
    assert metadata_day(now, dt.datetime(2021, 4, 1)) == "2021-04-01"     # today's stamp skipped
    assert metadata_day(now) is None and metadata_day(None, dt.date(1990, 1, 1)) is None
