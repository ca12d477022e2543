"""Take a public-opinion report through the workflow with real services, to any state a test needs."""

from __future__ import annotations

from xieshang.opinions import services
from xieshang.opinions.models import OpinionReport, OpinionState
from xieshang.opinions.services import EditInput, InstructionInput, ReportInput

from ..conftest import Side

S = OpinionState
TITLE = "关于规范城区夜市占道经营的建议"


def draft(side: Side, title: str = TITLE, **kw: str) -> OpinionReport:
    data = ReportInput(
        title=title,
        facts=kw.get("facts", "城区多处夜市占用人行道，群众反映噪音和油烟扰民。"),
        analysis=kw.get("analysis", "管理主体不明确，摊位无序扩张。"),
        suggestions=kw.get("suggestions", "一、划定经营区域；二、明确街道管理责任；三、设置油烟净化设施。"),
    )
    return services.create_report(side.member, side.conference, data)


def submitted(side: Side, **kw: str) -> OpinionReport:
    return services.submit_report(side.member, draft(side, **kw))


def editing(side: Side, **kw: str) -> OpinionReport:
    return services.claim_report(side.staff, submitted(side, **kw))


def adopted(side: Side, **kw: str) -> OpinionReport:
    report = editing(side, **kw)
    return services.adopt_report(side.staff, report)


def not_adopted(side: Side, **kw: str) -> OpinionReport:
    return services.decline_report(side.staff, submitted(side, **kw), reason="内容与已编发信息重复")


def build(side: Side, state: str, **kw: str) -> OpinionReport:
    """A report in `state`, reached through the services."""
    makers = {
        S.DRAFT: draft,
        S.SUBMITTED: submitted,
        S.EDITING: editing,
        S.ADOPTED: adopted,
        S.NOT_ADOPTED: not_adopted,
    }
    return OpinionReport.objects.get(pk=makers[S(state)](side, **kw).pk)


EDIT = EditInput(title="关于规范城区夜市经营秩序的建议", facts="城区夜市占道。", suggestions="划定区域。")
INSTRUCTION = InstructionInput(leader_name="市长", level="city", text="请市城管局研究落实。")
