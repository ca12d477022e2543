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
        ["市投促中心"],
        ["各乡镇（街道）"],
    ]
    assert [t.coop_units for t in tasks] == [[], [], ["市发改委", "市财政局"], []]
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
    assert task.units == ["市政务服务数据管理局"]
    assert task.coop_units == ["各县（市、区）"]
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
    assert list(task) == [
        "type",
        "units",
        "coop_units",
        "action",
        "deadline",
        "target",
        "evidence",
        "start",
        "end",
    ]
    assert task["coop_units"] == [] and any(r.get("coop_units") == ["市发改委", "市财政局"] for r in rows)
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
    assert task.units == ["市发展和改革委员会"]
    assert task.coop_units == ["市市场监督管理局"]
    assert task.action == "完成涉企审批事项清单梳理"
    assert task.deadline == "2026-06-30"


# -- cooperating units (配合/协助/参与/会同/联合) ------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "units", "coop"),
    [
        (
            "县发改委牵头，县统计局、县财政局配合，8月15日前完成重点项目清单。",
            ["县发改委"],
            ["县统计局", "县财政局"],
        ),
        ("县文旅局配合县商务局策划乡村旅游线路，五一前推出3条精品线路。", ["县商务局"], ["县文旅局"]),
        ("市人社局要协助各县（市、区）做好高校毕业生就业服务。", ["各县（市、区）"], ["市人社局"]),
        ("县财政局要会同县税务局加强重点税源监控，10月底前完成欠税清缴。", ["县财政局"], ["县税务局"]),
        (
            "市住建局牵头，市财政局、国网江城供电公司参与，年底前完成老旧小区改造。",
            ["市住建局"],
            ["市财政局", "国网江城供电公司"],
        ),
        ("县卫健委要在县医保局配合下，年内完成医共体信息平台建设。", ["县卫健委"], ["县医保局"]),
        (
            "由县商务局负责，县文旅局、县市场监管局协助，组织开展消费月活动。",
            ["县商务局"],
            ["县文旅局", "县市场监管局"],
        ),
        (
            "完善数据共享平台，年底前上线运行（牵头单位：市数据局；配合单位：市财政局）。",
            ["市数据局"],
            ["市财政局"],
        ),
        # Only cooperating units named: they are the ones to act on this line.
        ("县发改局、县科技局配合做好技改项目申报。", ["县发改局", "县科技局"], []),
    ],
)
def test_cooperating_units_are_apart_from_the_responsible_units(
    sentence: str, units: list[str], coop: list[str]
) -> None:
    (task,) = extract_tasks(sentence)
    assert (task.units, task.coop_units) == (units, coop)
    assert not set(task.units) & set(task.coop_units)


def test_a_longer_unit_name_is_not_cut_at_an_inner_place_suffix() -> None:
    (task,) = extract_tasks("市住房和城乡建设局牵头，年底前完成老旧小区改造。")
    assert task.units == ["市住房和城乡建设局"]
    (task,) = extract_tasks("县应急管理局要牵头开展安全生产大检查，4月30日前完成。")
    assert task.units == ["县应急管理局"]


def test_the_opening_of_minutes_and_a_title_are_not_tasks() -> None:
    text = (
        "清河县经济运行分析会会议纪要\n7月18日，县政府召开经济运行分析会，县直有关部门参加。\n"
        "县工信局要牵头做好稳产工作。"
    )
    assert [t.units for t in extract_tasks(text)] == [["县工信局"]]


# -- figures: signs, ranges, units, regions -----------------------------------------------------------
def _values(text: str, region: str | None = None) -> list[tuple[str, float, str]]:
    return [(f.region, f.value, f.unit) for f in extract_indicators(text, region=region)]


def test_falls_are_negative_and_rises_positive() -> None:
    text = (
        "上半年，全县一般公共预算收入4.86亿元，同比减少0.35亿元，下降6.7%；外贸进出口总额回落11.5%，"
        "税收收入占比68.2%，规上工业用电量同比增长1.9%。"
    )
    assert _values(text) == [
        ("全县", 4.86, "亿元"),
        ("全县", -0.35, "亿元"),
        ("全县", -6.7, "%"),
        ("全县", -11.5, "%"),
        ("全县", 68.2, "%"),
        ("全县", 1.9, "%"),
    ]


def test_percentage_points_keep_their_direction() -> None:
    text = (
        "全县地区生产总值增长5.3%，增速比一季度加快0.8个百分点，高于全市平均0.4个百分点；"
        "规上工业增加值下降2.6%，降幅比一季度收窄3.1个百分点。完成年度计划的71.3%，低于序时进度5.4个百分点。"
    )
    figures = extract_indicators(text)
    assert [(f.value, f.unit) for f in figures] == [
        (5.3, "%"),
        (0.8, "个百分点"),
        (0.4, "个百分点"),
        (-2.6, "%"),
        (-3.1, "个百分点"),
        (71.3, "%"),
        (-5.4, "个百分点"),
    ]


def test_amounts_in_yi_and_wan_keep_the_unit_as_written() -> None:
    text = (
        "全国国内生产总值达到134.9万亿元，外汇储备超过3.2万亿美元，城镇新增就业1256万人，"
        "举办促消费活动3万余场次。"
    )
    assert _values(text) == [
        ("全国", 134.9, "万亿元"),
        ("全国", 3.2, "万亿美元"),
        ("全国", 1256, "万人"),
        ("全国", 3, "万场次"),
    ]


def test_targets_about_and_ranges_take_the_lower_bound() -> None:
    text = (
        "下半年全县地区生产总值力争增长6%左右，规上工业增加值增长3%至4%，一般公共预算收入增长4至5%，"
        "降幅收窄至1%以内。"
    )
    assert [f.value for f in extract_indicators(text)] == [6, 3, 4, 1]


def test_regions_of_a_series_and_of_a_subject_list() -> None:
    series = (
        "城关镇、白沙镇固定资产投资分别增长12.6%和9.8%；"
        "柳林镇、石桥乡固定资产投资分别下降18.4%、23.1%，拉低全县增速2.3个百分点。"
    )
    assert _values(series) == [
        ("城关镇", 12.6, "%"),
        ("白沙镇", 9.8, "%"),
        ("柳林镇", -18.4, "%"),
        ("石桥乡", -23.1, "%"),
        ("全县", -2.3, "个百分点"),
    ]
    both = "桃源镇、石门乡要围绕茶叶产业延链补链，力争茶叶综合产值增长10%以上。"
    assert _values(both, region="东川县") == [("桃源镇", 10, "%"), ("石门乡", 10, "%")]
    subject = (
        "河口镇要盯紧5家停产企业，力争二季度复产率达到80%以上。"
        "白沙镇规上工业产值完成15.6亿元，占全县的31.5%。"
    )
    assert _values(subject) == [("河口镇", 80, "%"), ("白沙镇", 15.6, "亿元"), ("白沙镇", 31.5, "%")]


def test_the_whole_area_is_the_speakers_region() -> None:
    text = "全区地区生产总值完成274.4亿元，同比增长9.1%。"
    assert {f.region for f in extract_indicators(text, region="海拉尔区")} == {"海拉尔区"}
    # Without 全X in the text, the level of the units addressed gives it.
    assert extract_indicators("市工信局负责组织数字化改造，年内完成改造企业60家。")[0].region == "全市"


def test_years_ranks_counts_durations_and_names_are_not_figures() -> None:
    text = (
        "2025年以来，全市在全省16个市中居第11位，新建成的4个4S店正式运营，出台稳增长“21条”政策，"
        "10个工作日内上报结果，每季度调研不少于2次。"
    )
    assert extract_indicators(text) == []


def test_chains_and_multiples_give_each_value() -> None:
    text = "高铁里程由2110公里增至3055公里，累计完成投资615亿元，是“十一五”时期的2.7倍。"
    assert [(f.value, f.unit) for f in extract_indicators(text, region="山东省")] == [
        (2110, "公里"),
        (3055, "公里"),
        (615, "亿元"),
        (2.7, "倍"),
    ]


def test_durations_as_targets_are_figures() -> None:
    text = "企业开办时间压缩至1个工作日，工程建设项目审批时间压缩至45个工作日以内，企业满意度得分92.5分。"
    assert [(f.value, f.unit) for f in extract_indicators(text)] == [
        (1, "个工作日"),
        (45, "个工作日"),
        (92.5, "分"),
    ]


def test_a_region_heading_holds_for_its_paragraph() -> None:
    text = (
        "（一）东岭镇。\n上半年完成固定资产投资3.2亿元，增长5%。规上工业产值完成8.1亿元。\n"
        "南湖镇：一般公共预算收入下降4.5%，新增规上企业2家。\n全县新增就业1200人。"
    )
    assert _values(text) == [
        ("东岭镇", 3.2, "亿元"),
        ("东岭镇", 5, "%"),
        ("东岭镇", 8.1, "亿元"),
        ("南湖镇", -4.5, "%"),
        ("南湖镇", 2, "家"),
        ("全县", 1200, "人"),
    ]
