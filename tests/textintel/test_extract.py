"""Extraction of deployed tasks and figures: small hand-written texts, the CLI format, bad uploads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xieshang.textintel.cli import main
from xieshang.textintel.extract import (
    SCANNED_PDF,
    IndicatorItem,
    TaskItem,
    extract,
    extract_indicators,
    extract_tasks,
)

MEETING = Path(__file__).resolve().parent / "fixtures" / "extract" / "meeting.txt"


@pytest.fixture(scope="module")
def text() -> str:
    return MEETING.read_text(encoding="utf-8")


def _figure(items: list[IndicatorItem], value: float) -> IndicatorItem:
    return next(i for i in items if i.value == value)


def test_tasks_name_lead_unit_first_with_deadline_and_target(text: str) -> None:
    tasks = extract_tasks(text)
    assert [t.units for t in tasks] == [
        ["市商务局"],
        ["各县（市、区）"],
        ["市投促中心", "市发改委", "市财政局"],
        ["各乡镇（街道）"],
    ]
    assert [t.deadline for t in tasks] == ["6月底前", "2026-06-30", "年内", "10个工作日内"]
    assert [t.target for t in tasks] == ["增长8%以上", "新增规上企业50家", "引进亿元以上项目20个", None]


def test_task_evidence_is_the_sentence_at_its_offsets(text: str) -> None:
    for task in extract_tasks(text):
        assert text[task.start : task.end] == task.evidence
        assert task.action
        assert all(part in task.evidence for part in task.action.split("，"))


def test_past_work_is_not_a_task(text: str) -> None:
    assert not any("去年" in t.evidence for t in extract_tasks(text))


def test_action_of_a_you_are_responsible_sentence_is_the_work_named_before() -> None:
    (task,) = extract_tasks("老旧小区改造工作由市住建局负责，9月底前全面开工。")
    assert task.units == ["市住建局"]
    assert task.action == "老旧小区改造工作"
    assert task.deadline == "9月底前"


def test_known_units_are_preferred_and_labelled_units_are_found() -> None:
    text = "完善数据共享平台，年底前上线运行（牵头单位：市政务服务数据管理局；配合单位：各县（市、区））。"
    (task,) = extract_tasks(text, units=["市政务服务数据管理局"])
    assert task.units == ["市政务服务数据管理局", "各县（市、区）"]
    assert task.deadline == "年底前"


def test_a_full_date_and_a_month_end_are_normalised() -> None:
    assert extract_tasks("市水利局要在2026年6月底前完成水毁工程修复。")[0].deadline == "2026-06-30"
    assert extract_tasks("市交通局要在2026年底前建成环线。")[0].deadline == "2026-12-31"


def test_figures_have_sign_unit_period_and_region(text: str) -> None:
    figures = extract_indicators(text)
    gdp = _figure(figures, 5.2)
    assert (gdp.region, gdp.indicator, gdp.unit, gdp.period) == ("全市", "地区生产总值增速", "%", "一季度")
    assert _figure(figures, -12.4).indicator == "规上工业增加值增速"
    assert _figure(figures, -3.1).unit == "%"
    investment = _figure(figures, 86.3)
    assert (investment.indicator, investment.unit) == ("固定资产投资", "亿元")
    power = _figure(figures, 3.7)
    assert (power.region, power.unit) == ("A县", "亿千瓦时")
    below = _figure(figures, -2.1)
    assert (below.region, below.unit) == ("A县", "个百分点")
    firms = _figure(figures, 12)
    assert (firms.region, firms.indicator, firms.unit) == ("B区", "新增规上企业", "家")


def test_implicit_figures_take_the_speakers_region() -> None:
    (figure,) = extract_indicators("上半年，规上工业增加值增长6.5%。", region="海拉尔区")
    assert figure.region == "海拉尔区"
    assert extract_indicators("全县财政收入完成3.2万元。")[0].unit == "万元"


def test_extract_returns_tasks_and_figures_in_text_order(text: str) -> None:
    items = extract(text)
    assert [i.start for i in items] == sorted(i.start for i in items)
    assert isinstance(items[0], IndicatorItem)
    assert any(isinstance(i, TaskItem) for i in items)


def test_cli_prints_one_json_object_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(MEETING), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    task = next(r for r in rows if r["type"] == "task")
    figure = next(r for r in rows if r["type"] == "indicator")
    assert list(task) == ["type", "units", "action", "deadline", "target", "evidence", "start", "end"]
    assert list(figure) == ["type", "region", "indicator", "value", "unit", "period", "evidence"]
    assert any(r.get("value") == -12.4 and r["unit"] == "%" for r in rows)


def test_cli_reads_gb18030_docx_units_and_region(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import docx

    gb = tmp_path / "minutes.txt"
    gb.write_bytes("会议要求，县政务中心要在3月底前完成窗口整合。上半年财政收入增长3%。".encode("gb18030"))
    units = tmp_path / "units.txt"
    units.write_text("县政务中心\n", encoding="utf-8")
    assert main(["extract", str(gb), "--units", str(units), "--region", "C县", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["units"] == ["县政务中心"]
    assert rows[1]["region"] == "C县"
    document = docx.Document()
    document.add_paragraph("各乡镇（街道）要在5月底前完成人居环境整治。")
    path = tmp_path / "speech.docx"
    document.save(str(path))
    assert main(["extract", str(path)]) == 0
    assert "各乡镇（街道）" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "文件为空"),
        ("junk.txt", bytes(range(256)) * 40, "无法识别为文字文件"),
        ("junk.docx", b"PK not really a zip file", "无法打开 .docx"),
        ("junk.pdf", b"%PDF-1.4 broken", "PDF"),
    ],
)
def test_cli_refuses_bad_uploads_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["extract", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err and not captured.out


def test_cli_refuses_a_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "/nonexistent/speech.txt"]) == 2
    assert "找不到文件" in capsys.readouterr().err


def test_cli_refuses_a_50_mb_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert main(["extract", str(path)]) == 2
    assert "文件过大" in capsys.readouterr().err


def test_cli_refuses_a_scanned_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert main(["extract", str(path), "--json"]) == 2
    assert SCANNED_PDF in capsys.readouterr().err


def test_a_20000_character_speech_takes_under_two_seconds(text: str) -> None:
    import time

    long_text = (text * (20_000 // len(text) + 1))[:20_000]
    started = time.perf_counter()
    extract(long_text)
    assert time.perf_counter() - started < 2.0


def test_the_cooperating_units_clause_is_not_part_of_the_action() -> None:
    [task] = extract_tasks(
        "由市发展和改革委员会牵头，市市场监督管理局配合，2026年6月底前完成涉企审批事项清单梳理。"
    )
    assert task.units == ["市发展和改革委员会", "市市场监督管理局"]
    assert task.action == "完成涉企审批事项清单梳理"
    assert task.deadline == "2026-06-30"
