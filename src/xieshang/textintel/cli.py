"""Command line for text intelligence: ``xieshang textintel ...`` calls ``main(argv)``.

A text column may name several columns joined in order, e.g. ``--text-col subject,detail``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from xieshang.textintel import extract, replyquality, routing, similar, topics
from xieshang.textintel.tables import InputError, read_csv, require_columns, split_columns, write_csv

EXIT_INPUT = 2


def _progress(label: str, total: int | None = None) -> Callable[[Iterable[Any]], Iterable[Any]]:
    """Return a wrapper showing a tqdm bar on stderr (hidden when stderr is not a terminal)."""

    def wrap(items: Iterable[Any]) -> Iterable[Any]:
        return tqdm(items, desc=label, total=total, disable=None, file=sys.stderr, leave=False)

    return wrap


def _texts(rows: list[dict[str, str]], columns: list[str]) -> list[str]:
    return [routing.join_fields(*(row[c] for c in columns)) for row in rows]


def _load(path: str, columns: Sequence[str]) -> tuple[list[str], list[dict[str, str]]]:
    header, rows = read_csv(path)
    require_columns(header, columns, path)
    return header, rows


# -- route ------------------------------------------------------------------------------------
def _route_train(args: argparse.Namespace) -> int:
    text_cols = split_columns(args.text_col)
    _, rows = _load(args.input, [*text_cols, args.label_col])
    pairs = [(t, r[args.label_col].strip()) for t, r in zip(_texts(rows, text_cols), rows, strict=True)]
    pairs = [(t, label) for t, label in pairs if t and label]
    if not pairs:
        raise InputError(f"没有同时含文本和标签的行 / no row has both text and label in {args.input}")
    texts, labels = [p[0] for p in pairs], [p[1] for p in pairs]
    try:
        router = routing.Router(kind=args.kind).fit(texts, labels, progress=_progress("segment", len(texts)))
    except ValueError as error:
        raise InputError(str(error)) from error
    router.save(args.model)
    print(f"trained {args.kind} router on {len(texts)} rows, {len(router.classes)} labels -> {args.model}")
    return 0


def _route_predict(args: argparse.Namespace) -> int:
    text_cols = split_columns(args.text_col)
    header, rows = _load(args.input, text_cols)
    router = _open_model(args.model)
    texts = _texts(rows, text_cols)
    probs = router.probabilities(texts, progress=_progress("route", len(texts)))
    for row, p in zip(rows, probs, strict=True):
        best = int(p.argmax())
        row["predicted"] = router.classes[best]
        row["confidence"] = f"{float(p[best]):.4f}"
    out_header = [*header, *(c for c in ("predicted", "confidence") if c not in header)]
    write_csv(args.output, out_header, rows)  # type: ignore[arg-type]
    print(f"routed {len(rows)} rows -> {args.output}")
    return 0


def _open_model(path: str) -> routing.Router:
    if not Path(path).is_file():
        raise InputError(f"找不到模型 / model not found: {path}")
    try:
        return routing.Router.load(path)
    except (ValueError, EOFError, OSError) as error:
        raise InputError(f"模型无法读取 / cannot read the model {path}: {error}") from error


# -- similar ----------------------------------------------------------------------------------
def _similar_index(args: argparse.Namespace) -> int:
    text_cols = split_columns(args.text_col)
    _, rows = _load(args.input, [args.id_col, *text_cols])
    ids = [r[args.id_col].strip() for r in rows]
    duplicates = sorted({i for i in ids if ids.count(i) > 1}) if len(set(ids)) != len(ids) else []
    if duplicates:
        raise InputError(f"编号重复 / duplicate ids in {args.id_col}: {', '.join(duplicates[:5])}")
    texts = _texts(rows, text_cols)
    index = similar.SimilarIndex().build(ids, texts, progress=_progress("index", len(texts)))
    index.save(args.index)
    print(f"indexed {len(ids)} texts -> {args.index}")
    return 0


def _similar_query(args: argparse.Namespace) -> int:
    if not (Path(args.index) / "meta.json").is_file():
        raise InputError(f"找不到索引 / index not found: {args.index}")
    index = similar.SimilarIndex.load(args.index)
    queries: list[tuple[str, str, str | None]]
    if args.text is not None:
        queries = [(args.text, args.text, None)]
    else:
        if not args.input or not args.id_col or not args.text_col:
            raise InputError(
                "需要 --text，或 --input 与 --id-col、--text-col / "
                "give --text, or --input with --id-col and --text-col"
            )
        text_cols = split_columns(args.text_col)
        _, rows = _load(args.input, [args.id_col, *text_cols])
        queries = [
            (r[args.id_col], t, r[args.id_col]) for r, t in zip(rows, _texts(rows, text_cols), strict=True)
        ]
    for label, text, own_id in _progress("query", len(queries))(queries):
        matches = index.query(text, k=args.k, exclude=own_id)
        results = [{"id": m.id, "score": m.score, "phrases": m.phrases} for m in matches]
        if args.json:
            print(json.dumps({"query": label, "results": results}, ensure_ascii=False))
        else:
            print(f"# {label}")
            for m in matches:
                print(f"{m.score:.3f}\t{m.id}\t{'、'.join(m.phrases)}")
    return 0


# -- topics and reply quality -----------------------------------------------------------------
def _topics(args: argparse.Namespace) -> int:
    text_cols = split_columns(args.text_col)
    needed = [*text_cols, args.time_col, *([args.weight_col] if args.weight_col else [])]
    _, rows = _load(args.input, needed)
    try:
        window = topics.parse_window(args.window)
        times = [topics.parse_time(r[args.time_col]) for r in rows]
        weights = [float(r[args.weight_col] or 0) for r in rows] if args.weight_col else None
    except ValueError as error:
        raise InputError(str(error)) from error
    ids = (
        [r[args.id_col] for r in rows]
        if args.id_col and args.id_col in rows[0]
        else [str(i) for i in range(len(rows))]
    )
    found = topics.hot_topics(_texts(rows, text_cols), times, weights, window=window, k=args.k)
    for rank, topic in enumerate(found, 1):
        item = {"rank": rank, **topic.as_dict(ids)}
        if args.json:
            print(json.dumps(item, ensure_ascii=False))
        else:
            print(
                f"{rank}. {item['name']}  heat={item['heat']}  n={topic.count}  "
                f"{item['start']} - {item['end']}"
            )
            print(f"   {topic.description}")
    return 0


def _reply_score(args: argparse.Namespace) -> int:
    dated = bool(args.asked_col and args.replied_col)
    if bool(args.asked_col) != bool(args.replied_col):
        raise InputError("--asked-col 与 --replied-col 需同时给出 / give both --asked-col and --replied-col")
    question_cols = split_columns(args.question_col)
    needed = [*question_cols, args.reply_col, *([args.asked_col, args.replied_col] if dated else [])]
    header, rows = _load(args.input, needed)
    for row in _progress("score", len(rows))(rows):
        try:
            asked = topics.parse_time(row[args.asked_col]) if dated and row[args.asked_col].strip() else None
            replied = (
                topics.parse_time(row[args.replied_col]) if dated and row[args.replied_col].strip() else None
            )
        except ValueError as error:
            raise InputError(str(error)) from error
        question = routing.join_fields(*(row[c] for c in question_cols))
        result = replyquality.score_reply(question, row[args.reply_col], asked, replied)
        row.update(
            {
                "relevance": f"{result.relevance:.4f}",
                "completeness": f"{result.completeness:.4f}",
                "concreteness": f"{result.concreteness:.4f}",
                "timeliness": "" if result.timeliness is None else f"{result.timeliness:.4f}",
                "overall": f"{result.overall:.4f}",
                "reasons": json.dumps(result.reasons, ensure_ascii=False),
            }
        )
    added = ["relevance", "completeness", "concreteness", "timeliness", "overall", "reasons"]
    write_csv(args.output, [*header, *(c for c in added if c not in header)], rows)  # type: ignore[arg-type]
    print(f"scored {len(rows)} replies -> {args.output}")
    return 0


# -- extract ----------------------------------------------------------------------------------
def _extract(args: argparse.Namespace) -> int:
    text = extract.read_document(args.path)
    units: list[str] = []
    if args.units:
        units = [line.strip() for line in extract.read_document(args.units).splitlines() if line.strip()]
    for item in extract.extract(text, units=units, region=args.region):
        if isinstance(item, extract.TaskItem):
            row: dict[str, Any] = {
                "type": "task",
                "units": item.units,
                "coop_units": item.coop_units,
                "action": item.action,
                "deadline": item.deadline,
                "target": item.target,
                "evidence": item.evidence,
                "start": item.start,
                "end": item.end,
            }
            coop = f"（配合：{'、'.join(item.coop_units)}）" if item.coop_units else ""
            line = (
                f"任务\t{'、'.join(item.units)}{coop}\t{item.action}\t{item.deadline or '-'}\t"
                f"{item.target or '-'}"
            )
        else:
            row = {
                "type": "indicator",
                "region": item.region,
                "indicator": item.indicator,
                "value": item.value,
                "unit": item.unit,
                "period": item.period,
                "evidence": item.evidence,
            }
            line = f"指标\t{item.region}\t{item.indicator}\t{item.value:g}{item.unit}\t{item.period or '-'}"
        print(json.dumps(row, ensure_ascii=False) if args.json else line)
    return 0


# -- parser -----------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``xieshang textintel``."""
    parser = argparse.ArgumentParser(
        prog="xieshang textintel", description="Chinese text intelligence, offline."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    route = commands.add_parser("route", help="routing suggestions (category or handling unit)")
    route_commands = route.add_subparsers(dest="route_command", required=True)
    train = route_commands.add_parser("train", help="learn from past assignments")
    train.add_argument("--input", required=True)
    train.add_argument("--text-col", required=True)
    train.add_argument("--label-col", required=True)
    train.add_argument("--model", required=True)
    train.add_argument("--kind", choices=routing.KINDS, default="improved")
    train.set_defaults(handler=_route_train)
    predict = route_commands.add_parser("predict", help="suggest a label for each row")
    predict.add_argument("--model", required=True)
    predict.add_argument("--input", required=True)
    predict.add_argument("--text-col", required=True)
    predict.add_argument("--output", required=True)
    predict.set_defaults(handler=_route_predict)

    sim = commands.add_parser("similar", help="similar-text search")
    sim_commands = sim.add_subparsers(dest="similar_command", required=True)
    index = sim_commands.add_parser("index", help="build an index")
    index.add_argument("--input", required=True)
    index.add_argument("--id-col", required=True)
    index.add_argument("--text-col", required=True)
    index.add_argument("--index", required=True)
    index.set_defaults(handler=_similar_index)
    query = sim_commands.add_parser("query", help="find the most similar indexed texts")
    query.add_argument("--index", required=True)
    source = query.add_mutually_exclusive_group(required=True)
    source.add_argument("--text")
    source.add_argument("--input")
    query.add_argument("--id-col")
    query.add_argument("--text-col")
    query.add_argument("-k", type=int, default=10)
    query.add_argument("--json", action="store_true", help="one JSON object a line")
    query.set_defaults(handler=_similar_query)

    top = commands.add_parser("topics", help="hot topics over a time window")
    top.add_argument("--input", required=True)
    top.add_argument("--text-col", required=True)
    top.add_argument("--time-col", required=True)
    top.add_argument("--weight-col")
    top.add_argument("--id-col", help="ids for the members (default: row numbers from 0)")
    top.add_argument("--window", help="e.g. 30d, 2w, 3m; default: the whole period")
    top.add_argument("-k", type=int, default=5)
    top.add_argument("--json", action="store_true")
    top.set_defaults(handler=_topics)

    reply = commands.add_parser(
        "reply-score", help="score replies for relevance, completeness, concreteness, timeliness"
    )
    reply.add_argument("--input", required=True)
    reply.add_argument("--question-col", required=True)
    reply.add_argument("--reply-col", required=True)
    reply.add_argument("--asked-col")
    reply.add_argument("--replied-col")
    reply.add_argument("--output", required=True)
    reply.set_defaults(handler=_reply_score)

    ext = commands.add_parser("extract", help="deployed tasks and figures in a speech, report or minutes")
    ext.add_argument("path", help=".txt (UTF-8 or GB18030), .docx or .pdf")
    ext.add_argument("--units", help="a text file of known unit names, one a line")
    ext.add_argument("--region", help="the speaker's own region, for figures without one")
    ext.add_argument("--json", action="store_true", help="one JSON object a line")
    ext.set_defaults(handler=_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return 0 on success and 2 on bad input (message on stderr, no traceback)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        result: int = args.handler(args)
        return result
    except InputError as error:
        print(f"错误 / error: {error}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
