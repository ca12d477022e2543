"""Duty pages: what each role sees, the denials, conference isolation, exports and the editors."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from xieshang.duty import services
from xieshang.duty.models import PointEvent, ScoringRuleSet
from xieshang.duty.rulesets import load_builtin
from xieshang.people.models import User

from ..conftest import World

YEAR = 2026


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def give(world: World, kind: str = "plenary_attended", source_id: int = 1, user: User | None = None) -> None:
    c = world.city
    services.record_event(
        conference_id=c.conference.pk,
        user_id=(user or c.member).pk,
        kind=kind,
        occurred_on=dt.date(YEAR, 3, 5),
        source_type="activity",
        source_id=source_id,
        title="市政协十四届五次会议第一次全体会议",
    )


# ---------------------------------------------------------------------------- member


def test_member_sees_own_points_by_category_with_each_event(world: World) -> None:
    give(world)
    page = client_for(world.city.member).get(f"/duty/?year={YEAR}")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="duty-total-figure">5<' in html
    assert "市政协十四届五次会议第一次全体会议" in html
    assert "出席全体会议（半天）" in html
    assert 'data-testid="year-switcher"' in html


def test_member_record_shows_warnings(world: World) -> None:
    ScoringRuleSet.objects.create(
        conference=world.city.conference, year=YEAR, name="预警", version=1, rules=load_builtin("warnings")
    )
    give(world, "plenary_absent_unexcused")
    html = client_for(world.city.member).get(f"/duty/?year={YEAR}").content.decode()
    assert 'data-testid="duty-warning-criticism"' in html


def test_another_member_events_never_show(world: World) -> None:
    give(world, user=world.city.member2)
    html = client_for(world.city.member).get(f"/duty/?year={YEAR}").content.decode()
    assert "市政协十四届五次会议第一次全体会议" not in html


@pytest.mark.parametrize("who", ["staff", "leader", "unit_user"])
def test_non_members_have_no_duty_record(world: World, who: str) -> None:
    assert client_for(getattr(world.city, who)).get("/duty/").status_code == 403


def test_a_user_without_a_conference_is_refused(world: World) -> None:
    assert client_for(world.outsider).get("/duty/").status_code == 403


def test_anonymous_is_sent_to_login(world: World) -> None:
    assert Client().get("/duty/").status_code == 302


def test_report_card_web_docx_and_pdf(world: World) -> None:
    give(world)
    member = client_for(world.city.member)
    web = member.get(f"/duty/card/{YEAR}/")
    assert web.status_code == 200
    assert "年度履职成绩单" in web.content.decode()

    docx = member.get(f"/duty/card/{YEAR}.docx")
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    xml = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert "宋体" in xml
    assert "市政协十四届五次会议第一次全体会议" in xml


def test_report_card_pdf_embeds_a_chinese_font(world: World) -> None:
    pytest.importorskip("weasyprint", reason="weasyprint is not installed")
    give(world)
    pdf = client_for(world.city.member).get(f"/duty/card/{YEAR}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert _embedded_fonts(pdf.content)  # the font is embedded (a /FontFile*), not referenced


def _embedded_fonts(pdf: bytes) -> list[str]:
    """Names of the fonts whose file is embedded, read with a real PDF parser (the earlier regex over
    raw streams missed a stream whose compressed bytes happened to end in a carriage return)."""
    from pypdf import PdfReader

    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            parts = [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]
            for part in parts:
                descriptor = part.get("/FontDescriptor")
                keys = descriptor.get_object().keys() if descriptor else ()
                if {"/FontFile", "/FontFile2", "/FontFile3"} & set(keys):
                    found.append(str(font.get("/BaseFont")))
    return found


def test_member_page_fits_a_phone(world: World) -> None:
    html = client_for(world.city.member).get("/duty/").content.decode()
    assert 'name="viewport" content="width=device-width' in html
    assert "<table" not in html  # the member page is a list of cards, no wide tables


def test_me_page_links_to_the_duty_record(world: World) -> None:
    assert 'href="/duty/"' in client_for(world.city.member).get("/me/").content.decode()


# ---------------------------------------------------------------------------- office


@pytest.mark.parametrize("who", ["staff", "leader"])
def test_staff_and_leader_see_the_ranking(world: World, who: str) -> None:
    give(world)
    page = client_for(getattr(world.city, who)).get(f"/duty/office/ranking/?year={YEAR}")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-testid="rank-{world.city.member.pk}"' in html
    assert f'data-testid="rank-{world.city.member2.pk}"' in html
    assert f'data-testid="rank-{world.county.member.pk}"' not in html


@pytest.mark.parametrize(
    "path",
    ["/duty/office/ranking/", "/duty/office/ranking.xlsx", "/duty/office/warnings/", "/duty/office/rules/"],
)
@pytest.mark.parametrize("who", ["member", "unit_user", "admin"])
def test_members_and_others_cannot_see_office_pages(world: World, path: str, who: str) -> None:
    assert client_for(getattr(world.city, who)).get(path).status_code == 403


def test_county_staff_see_only_the_county_ranking(world: World) -> None:
    give(world)
    county = client_for(world.county.staff)
    html = county.get(f"/duty/office/ranking/?year={YEAR}").content.decode()
    assert f'data-testid="rank-{world.city.member.pk}"' not in html
    assert f'data-testid="rank-{world.county.member.pk}"' in html
    assert county.get(f"/duty/office/members/{world.city.member.pk}/{YEAR}/").status_code == 404
    assert county.get(f"/duty/office/members/{world.city.member.pk}/{YEAR}.docx").status_code == 404


def test_staff_open_a_member_card_and_a_member_cannot(world: World) -> None:
    give(world)
    path = f"/duty/office/members/{world.city.member.pk}/{YEAR}/"
    assert client_for(world.city.staff).get(path).status_code == 200
    assert client_for(world.city.member2).get(path).status_code == 403


def test_ranking_search_filter_sort_and_query_count(world: World, django_assert_max_num_queries: Any) -> None:
    for i in range(3):
        give(world, source_id=i + 1)
    staff = client_for(world.city.staff)
    staff.get(f"/duty/office/ranking/?year={YEAR}")  # first read computes the scores
    with django_assert_max_num_queries(20):
        html = staff.get(f"/duty/office/ranking/?year={YEAR}&q=委员甲&sort=total").content.decode()
    assert f'data-testid="rank-{world.city.member.pk}"' in html
    assert f'data-testid="rank-{world.city.member2.pk}"' not in html
    grouped = staff.get(f"/duty/office/ranking/?year={YEAR}&group=sector").content.decode()
    assert 'data-testid="group-averages"' in grouped


def test_ranking_exports_xlsx(world: World) -> None:
    give(world)
    response = client_for(world.city.staff).get(f"/duty/office/ranking.xlsx?year={YEAR}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("名次", "姓名", "专委会", "界别", "总分")
    assert rows[1][1] == "city委员甲" and rows[1][4] == 5


def test_warning_list_shows_only_warned_members(world: World) -> None:
    ScoringRuleSet.objects.create(
        conference=world.city.conference, year=YEAR, name="预警", version=1, rules=load_builtin("warnings")
    )
    give(world, "plenary_absent_unexcused")
    html = client_for(world.city.leader).get(f"/duty/office/warnings/?year={YEAR}").content.decode()
    assert f'data-testid="warned-{world.city.member.pk}"' in html
    assert "批评提醒" in html


def test_staff_save_a_rule_version_from_the_editor(world: World, immediate_tasks: None) -> None:
    staff = client_for(world.city.staff)
    form = staff.get(f"/duty/office/rules/?year={YEAR}&base=hundred").content.decode()
    assert "meetings" in form
    body = {"year": YEAR, "name": "百分制", "rules": json.dumps(load_builtin("hundred")), "note": "首次设置"}
    response = staff.post("/duty/office/rules/", body)
    assert response.status_code == 302
    assert ScoringRuleSet.objects.get(conference=world.city.conference).version == 1


def test_the_editor_explains_each_bad_key_in_chinese(world: World) -> None:
    rules = load_builtin("additive")
    rules["points"]["plenary_attended"] = "五"
    staff = client_for(world.city.staff)
    response = staff.post("/duty/office/rules/", {"year": YEAR, "name": "x", "rules": json.dumps(rules)})
    assert response.status_code == 400
    assert "rules.points.plenary_attended：分值须为数字，或按角色分别设置。" in response.content.decode()
    broken = staff.post("/duty/office/rules/", {"year": YEAR, "name": "x", "rules": "{"})
    assert "不是有效的 JSON：第 1 行第 2 列附近有误。" in broken.content.decode()
    assert not ScoringRuleSet.objects.exists()


def test_leader_reads_rules_but_cannot_save(world: World) -> None:
    leader = client_for(world.city.leader)
    assert 'data-testid="rules-readonly"' in leader.get("/duty/office/rules/").content.decode()
    body = {"year": YEAR, "name": "x", "rules": json.dumps(load_builtin("additive"))}
    assert leader.post("/duty/office/rules/", body).status_code == 403
    assert not ScoringRuleSet.objects.exists()


def test_staff_adjust_and_recompute_and_others_cannot(world: World) -> None:
    c = world.city
    body = {"user": c.member.pk, "points": "2", "reason": "撰写优秀调研报告", "occurred_on": f"{YEAR}-04-01"}
    assert client_for(c.staff).post("/duty/office/adjust/", body).status_code == 302
    assert PointEvent.objects.get(kind="manual_adjustment").data["points"] == 2
    assert client_for(c.leader).post("/duty/office/adjust/", body).status_code == 403
    assert client_for(c.member).get("/duty/office/adjust/").status_code == 403
    county_body = {**body, "user": world.county.member.pk}
    assert client_for(c.staff).post("/duty/office/adjust/", county_body).status_code == 400

    assert client_for(c.staff).post("/duty/office/recompute/", {"year": YEAR}).status_code == 302
    assert client_for(c.leader).post("/duty/office/recompute/", {"year": YEAR}).status_code == 403
    assert client_for(c.member).post("/duty/office/recompute/", {"year": YEAR}).status_code == 403
