from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from xieshang.textintel.cli import main


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_route_train_then_predict_keeps_columns_and_adds_two(messages_csv: Path, tmp_path: Path) -> None:
    model = tmp_path / "router.pkl"
    assert (
        main(
            [
                "route",
                "train",
                "--input",
                str(messages_csv),
                "--text-col",
                "subject,detail",
                "--label-col",
                "label",
                "--model",
                str(model),
            ]
        )
        == 0
    )
    out = tmp_path / "routed.csv"
    assert (
        main(
            [
                "route",
                "predict",
                "--model",
                str(model),
                "--input",
                str(messages_csv),
                "--text-col",
                "subject,detail",
                "--output",
                str(out),
            ]
        )
        == 0
    )
    rows = _rows(out)
    assert len(rows) == 36
    assert list(rows[0])[:6] == ["id", "subject", "detail", "label", "time", "likes"]
    assert list(rows[0])[-2:] == ["predicted", "confidence"]
    assert sum(r["predicted"] == r["label"] for r in rows) >= 34
    assert all(0 < float(r["confidence"]) <= 1 for r in rows)


def test_baseline_router_trains_from_the_command_line(messages_csv: Path, tmp_path: Path) -> None:
    assert (
        main(
            [
                "route",
                "train",
                "--kind",
                "baseline",
                "--input",
                str(messages_csv),
                "--text-col",
                "detail",
                "--label-col",
                "label",
                "--model",
                str(tmp_path / "m.pkl"),
            ]
        )
        == 0
    )


def test_similar_index_and_query_by_text_print_json_lines(
    messages_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index = tmp_path / "idx"
    assert (
        main(
            [
                "similar",
                "index",
                "--input",
                str(messages_csv),
                "--id-col",
                "id",
                "--text-col",
                "subject,detail",
                "--index",
                str(index),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert (
        main(["similar", "query", "--index", str(index), "--text", "拖欠农民工工资", "-k", "2", "--json"])
        == 0
    )
    line = json.loads(capsys.readouterr().out.strip())
    assert line["query"] == "拖欠农民工工资"
    assert {r["id"] for r in line["results"]} == {"m15", "m16"}
    assert set(line["results"][0]) == {"id", "score", "phrases"}


def test_similar_query_by_file_gives_one_line_per_row(
    messages_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index = tmp_path / "idx"
    main(
        [
            "similar",
            "index",
            "--input",
            str(messages_csv),
            "--id-col",
            "id",
            "--text-col",
            "detail",
            "--index",
            str(index),
        ]
    )
    capsys.readouterr()
    assert (
        main(
            [
                "similar",
                "query",
                "--index",
                str(index),
                "--input",
                str(messages_csv),
                "--id-col",
                "id",
                "--text-col",
                "detail",
                "-k",
                "3",
                "--json",
            ]
        )
        == 0
    )
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(lines) == 36
    first = lines[0]
    assert first["query"] == "m01" and all(r["id"] != "m01" for r in first["results"])


def test_topics_print_ranked_json(messages_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "topics",
                "--input",
                str(messages_csv),
                "--text-col",
                "subject,detail",
                "--time-col",
                "time",
                "--weight-col",
                "likes",
                "--id-col",
                "id",
                "--window",
                "90d",
                "--json",
            ]
        )
        == 0
    )
    topics = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert topics and topics[0]["rank"] == 1
    assert {"name", "heat", "count", "places", "start", "end", "description", "members"} <= set(topics[0])


def test_reply_score_adds_scores_and_reasons(replies_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "scored.csv"
    assert (
        main(
            [
                "reply-score",
                "--input",
                str(replies_csv),
                "--question-col",
                "question",
                "--reply-col",
                "reply",
                "--asked-col",
                "asked",
                "--replied-col",
                "replied",
                "--output",
                str(out),
            ]
        )
        == 0
    )
    rows = _rows(out)
    assert float(rows[0]["overall"]) > float(rows[1]["overall"])
    assert "timeliness" in json.loads(rows[1]["reasons"])


def test_a_missing_column_is_named_without_traceback(
    messages_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "route",
            "train",
            "--input",
            str(messages_csv),
            "--text-col",
            "content",
            "--label-col",
            "label",
            "--model",
            str(tmp_path / "m.pkl"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "content" in err and "缺少列" in err and "Traceback" not in err


def test_an_empty_file_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert (
        main(
            [
                "similar",
                "index",
                "--input",
                str(empty),
                "--id-col",
                "id",
                "--text-col",
                "t",
                "--index",
                str(tmp_path / "i"),
            ]
        )
        == 2
    )
    assert "为空" in capsys.readouterr().err


def test_a_header_without_rows_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header_only = tmp_path / "h.csv"
    header_only.write_text("id,text\n", encoding="utf-8")
    assert (
        main(
            [
                "similar",
                "index",
                "--input",
                str(header_only),
                "--id-col",
                "id",
                "--text-col",
                "text",
                "--index",
                str(tmp_path / "i"),
            ]
        )
        == 2
    )
    assert "no rows" in capsys.readouterr().err


def test_gb18030_and_bom_files_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, encoding in (("gb.csv", "gb18030"), ("bom.csv", "utf-8-sig")):
        path = tmp_path / name
        path.write_text("编号,内容\n1,拖欠农民工工资\n2,搅拌站噪音扰民\n", encoding=encoding)
        assert (
            main(
                [
                    "similar",
                    "index",
                    "--input",
                    str(path),
                    "--id-col",
                    "编号",
                    "--text-col",
                    "内容",
                    "--index",
                    str(tmp_path / f"i-{name}"),
                ]
            )
            == 0
        )


def test_a_wrong_encoding_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "utf16.csv"
    path.write_text("id,text\n1,拖欠工资\n", encoding="utf-16")
    assert (
        main(
            [
                "similar",
                "index",
                "--input",
                str(path),
                "--id-col",
                "id",
                "--text-col",
                "text",
                "--index",
                str(tmp_path / "i"),
            ]
        )
        == 2
    )
    assert "编码" in capsys.readouterr().err


def test_a_missing_file_and_model_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "route",
                "predict",
                "--model",
                str(tmp_path / "none.pkl"),
                "--input",
                str(tmp_path / "x.csv"),
                "--text-col",
                "t",
                "--output",
                str(tmp_path / "o.csv"),
            ]
        )
        == 2
    )
    assert main(["similar", "query", "--index", str(tmp_path / "none"), "--text", "路灯"]) == 2
    err = capsys.readouterr().err
    assert "not found" in err and "Traceback" not in err


def test_one_label_only_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "one.csv"
    path.write_text("t,l\n路灯坏了,城建\n道路坑洼,城建\n", encoding="utf-8")
    assert (
        main(
            [
                "route",
                "train",
                "--input",
                str(path),
                "--text-col",
                "t",
                "--label-col",
                "l",
                "--model",
                str(tmp_path / "m.pkl"),
            ]
        )
        == 2
    )
    assert "two different labels" in capsys.readouterr().err


def test_duplicate_ids_and_bad_windows_are_input_errors(
    messages_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dup = tmp_path / "dup.csv"
    dup.write_text("id,t\n1,路灯\n1,道路\n", encoding="utf-8")
    assert (
        main(
            [
                "similar",
                "index",
                "--input",
                str(dup),
                "--id-col",
                "id",
                "--text-col",
                "t",
                "--index",
                str(tmp_path / "i"),
            ]
        )
        == 2
    )
    assert (
        main(
            [
                "topics",
                "--input",
                str(messages_csv),
                "--text-col",
                "detail",
                "--time-col",
                "time",
                "--window",
                "soon",
            ]
        )
        == 2
    )
    assert main(["topics", "--input", str(messages_csv), "--text-col", "detail", "--time-col", "label"]) == 2
    err = capsys.readouterr().err
    assert "duplicate" in err and "window" in err and "cannot read the time" in err


def test_usage_errors_exit_with_two(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["similar"]) == 2
    assert main([]) == 2
    assert main(["--help"]) == 0
    capsys.readouterr()
