"""Exports open in openpyxl / python-docx and carry the expected Chinese text."""

from __future__ import annotations

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook

from xieshang.proposals import exports, services
from xieshang.proposals.models import Proposal

from ..proposals import walk


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_proposal_list_xlsx_has_chinese_headers_and_rows(world):
    p = walk.evaluated(world.city)
    walk.under_review(world.city, title="关于发展农村养老服务的建议")

    data = exports.proposals_xlsx(Proposal.objects.filter(conference=world.city.conference))

    ws = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in ws[1]]
    assert header == ["案号", "案由", "提案人", "类别", "状态", "承办单位", "办理时限", "答复结果", "评价"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:I3"
    rows = {r[1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    row = rows[p.title]
    assert row[0] == "第0001号"
    assert row[4] == "已评价"
    assert "city发展和改革局（主办）" in row[5] and "（会办）" in row[5]
    assert row[7] == "B类" and row[8] == "满意"
    assert rows["关于发展农村养老服务的建议"][4] == "待审查"


def test_proposal_list_xlsx_query_count_does_not_grow_with_rows(world):
    walk.evaluated(world.city)
    qs = Proposal.objects.filter(conference=world.city.conference)
    with CaptureQueriesContext(connection) as few:
        exports.proposals_xlsx(qs)
    for _ in range(3):
        walk.evaluated(world.city)

    with CaptureQueriesContext(connection) as more:
        exports.proposals_xlsx(qs)

    assert len(more) == len(few)


def test_reply_form_docx_is_the_official_form(world):
    p = walk.evaluated(world.city)

    text = _docx_text(exports.reply_form_docx(p))

    assert "示范市政协提案办理情况答复表" in text
    for label in [
        "案号",
        "案由",
        "提案人",
        "承办单位",
        "办理结果分类",
        "答复内容",
        "签发人",
        "联系人/电话",
        "委员意见",
    ]:
        assert label in text
    assert "第0001号" in text
    assert "B类：正在解决或列入计划" in text
    assert "经研究，我局已将加装电梯纳入年度计划。" in text
    assert "张局长" in text
    assert "满意" in text


def test_reply_form_names_east_asian_fonts(world):
    p = walk.evaluated(world.city)

    doc = Document(io.BytesIO(exports.reply_form_docx(p)))

    xml = doc.element.xml + doc.styles.element.xml
    assert 'w:eastAsia="宋体"' in xml and 'w:eastAsia="仿宋"' in xml


def test_reply_form_before_any_reply_is_a_blank_form(world):
    p = walk.assigned(world.city)

    text = _docx_text(exports.reply_form_docx(p))

    assert "提案办理情况答复表" in text and "□A" in text


def test_compilation_lists_the_sessions_accepted_proposals_by_category(world):
    side = world.city
    first = walk.evaluated(side, analysis="调研发现，全市老旧小区共有 1200 个。")
    services.reject_proposal(side.staff, walk.under_review(side, title="不予立案的提案"), note="不属于范围")
    services.accept_proposal(
        side.staff,
        walk.under_review(side, title="关于加强中小学课后服务的建议"),
        category_id=side.conference.category_set.get(name="社会事业").pk,
    )

    text = _docx_text(exports.compilation_docx(side.session, Proposal.objects.all()))

    assert "提案汇编" in text and "目　录" in text
    assert "社会事业" in text and "未分类" in text
    assert f"{first.number_label}　{first.title}" in text
    assert "调研发现，全市老旧小区共有 1200 个。" in text
    assert "情况分析" in text and "具体建议" in text
    assert "关于加强中小学课后服务的建议" in text
    assert "不予立案的提案" not in text


def test_annual_report_xlsx_has_the_figures_and_a_unit_sheet(world):
    walk.evaluated(world.city)

    book = load_workbook(io.BytesIO(exports.annual_report_xlsx(world.city.conference.pk, 2026)))

    assert book.sheetnames == ["年度概况", "承办单位"]
    figures = {r[0]: r[1] for r in book["年度概况"].iter_rows(min_row=2, values_only=True)}
    assert figures["立案率"] == "100.0%"
    assert figures["满意率"] == "100.0%"
    assert figures["B类答复占比"] == "100.0%"
    units = list(book["承办单位"].iter_rows(values_only=True))
    assert units[0][0] == "承办单位"
    assert units[1][:3] == ("city发展和改革局", 1, 1)
