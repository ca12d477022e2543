"""`xieshang import_messages`: a small CSV with a bad row, and a second run importing nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from xieshang.voice.models import MessageState, PublicMessage

CSV = """id,user,subject,time,detail,likes,dislikes,reply,reply_time
1,A001,小区停车难,2019-04-25 09:32:09,车位太少,5,1,已规划新车位,2019-05-01 10:00:00
2,A002,,2019-04-26 09:00:00,没有主题,0,0,,
3,A003,路灯坏了,不是时间,内容,0,0,,
4,A004,噪音扰民,2019/04/27 08:00,工地夜间施工,12,0,,
"""


def _run(path, *extra):  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command(
        "import_messages", str(path), "--conference", "city", *extra, stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


def test_import_reports_bad_rows_and_a_second_run_imports_nothing(world, tmp_path):
    path = tmp_path / "messages.csv"
    path.write_text(CSV, encoding="gb18030")
    out = _run(path)
    assert "导入 2 条" in out and "错误 2 行" in out
    assert "第 3 行\tsubject\t主题为空" in out and "第 4 行\ttime" in out
    answered = PublicMessage.objects.get(source_id="1")
    assert answered.state == MessageState.ANSWERED and answered.published and answered.support_count == 5
    assert PublicMessage.objects.get(source_id="4").state == MessageState.CLOSED
    again = _run(path)
    assert "导入 0 条，跳过已有 2 条" in again
    assert PublicMessage.objects.count() == 2


def test_a_mapping_names_other_columns_and_rows_without_ids_dedupe_by_content(world, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("主题,留言详情\n停车难,车位少\n", encoding="utf-8-sig")
    assert "导入 1 条" in _run(path, "--mapping", "subject=主题,detail=留言详情", "--open")
    assert PublicMessage.objects.get().state == MessageState.RECEIVED
    assert "导入 0 条" in _run(path, "--mapping", "subject=主题,detail=留言详情", "--open")
    with pytest.raises(CommandError):
        _run(path, "--mapping", "nonsense=列")


def test_an_import_asks_the_worker_to_build_the_board_s_suggestions(  # type: ignore[no-untyped-def]
    world, tmp_path, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    path = tmp_path / "messages.csv"
    path.write_text(CSV, encoding="gb18030")
    with django_capture_on_commit_callbacks(execute=True):
        _run(path)
    asked = sorted(
        r.args_kwargs["args"][0].rsplit(".", 1)[1]
        for r in DBTaskResult.objects.filter(task_path__endswith="warm_intel")
    )
    assert asked == [
        "category_router_spec",
        "fit_indexes_spec",
        "leader_topics_spec",
        "similar_index_spec",
        "unit_router_spec",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        _run(path)  # imports nothing: asks for nothing
    assert DBTaskResult.objects.filter(task_path__endswith="warm_intel").count() == 5
