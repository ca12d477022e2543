"""Roster import: all rows or none, a per-row report, checked files and a checked actor."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook

from xieshang.audit.models import AuditEvent
from xieshang.conferences.models import HandlingUnit, Sector
from xieshang.core.errors import AppError, ErrorCode
from xieshang.people import importers
from xieshang.people.models import Member, Role, User

MEMBER_HEADER = ["姓名", "用户名", "手机", "界别", "党派", "专委会", "常委(是/否)", "工作单位及职务", "专长"]
UNIT_HEADER = ["单位名称", "简称", "联系人姓名", "联系人用户名", "联系电话"]


def xlsx(header: list[str], *rows: list[object], name: str = "roster.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


GOOD_MEMBERS = [
    [
        "李秀英",
        "lixiuying",
        13912345678,
        "医药卫生界",
        "农工党",
        "教科卫体委员会",
        "是",
        "市人民医院副院长",
        "心血管",
    ],
    ["赵志强", "zhaozhiqiang", "", "经济界", "民建", "", "否", "江州港务集团总经理", "物流"],
]


def test_admin_imports_members_with_sectors_parties_and_roles(world):
    conference = world.city.conference

    report = importers.import_members(world.city.admin, conference, xlsx(MEMBER_HEADER, *GOOD_MEMBERS))

    assert report.ok, report.errors
    assert (report.rows, report.created, report.updated) == (2, 2, 0)
    assert [u for u, _ in report.passwords] == ["lixiuying", "zhaozhiqiang"]
    li = Member.objects.select_related("user", "sector", "party", "committee").get(user__username="lixiuying")
    assert (li.user.display_name, li.user.phone, li.is_standing) == ("李秀英", "13912345678", True)
    assert (li.sector.name, li.party.name, li.committee.name) == ("医药卫生界", "农工党", "教科卫体委员会")
    assert li.user.check_password(dict(report.passwords)["lixiuying"])
    assert Role.objects.filter(user=li.user, conference=conference, kind="member").exists()
    assert Sector.objects.filter(conference=conference, name="经济界").exists()
    event = AuditEvent.objects.get(verb="import_members")
    assert event.conference_id == conference.pk and event.actor == world.city.admin


def test_importing_the_same_roster_again_updates_without_new_accounts(world):
    conference = world.city.conference
    importers.import_members(world.city.admin, conference, xlsx(MEMBER_HEADER, *GOOD_MEMBERS))

    report = importers.import_members(world.city.admin, conference, xlsx(MEMBER_HEADER, *GOOD_MEMBERS))

    assert (report.created, report.updated, report.passwords) == (0, 2, [])
    assert Member.objects.filter(conference=conference, user__username="lixiuying").count() == 1


def test_a_roster_with_bad_rows_writes_nothing_and_names_every_row(world):
    users_before = User.objects.count()
    bad = xlsx(
        MEMBER_HEADER,
        GOOD_MEMBERS[0],
        ["", "noname", "", "", "", "", "否", "", ""],
        ["王五", "wangwu", "12345", "", "", "", "也许", "", ""],
        ["李秀英", "lixiuying", "", "", "", "", "", "", ""],
        ["冒名", "city_member", "", "", "", "", "", "", ""],
        ["钱六", "钱 六", "", "", "", "", "", "", ""],
    )

    report = importers.import_members(world.city.admin, world.city.conference, bad)

    assert not report.ok
    assert {(e.row, e.column) for e in report.errors} == {
        (3, "姓名"),
        (4, "手机"),
        (4, "常委"),
        (5, "用户名"),
        (6, "用户名"),
        (7, "用户名"),
    }
    assert "与第 2 行的用户名重复" in next(e.message for e in report.errors if e.row == 5)
    assert User.objects.count() == users_before
    assert not Sector.objects.filter(name="医药卫生界").exists()
    assert not AuditEvent.objects.filter(verb="import_members").exists()


def test_a_roster_without_a_required_column_is_refused(world):
    report = importers.import_members(
        world.city.admin, world.city.conference, xlsx(["姓名", "手机"], ["张三", ""])
    )

    assert [(e.row, e.column) for e in report.errors] == [(1, "用户名")]


def test_wrong_file_type_is_refused(world):
    fake = SimpleUploadedFile("roster.xlsx", b"name,username\n")
    with pytest.raises(AppError) as exc:
        importers.import_members(world.city.admin, world.city.conference, fake)
    assert exc.value.code == ErrorCode.FILE_TYPE_NOT_ALLOWED

    with pytest.raises(AppError) as exc:
        importers.import_members(world.city.admin, world.city.conference, SimpleUploadedFile("a.csv", b"x"))
    assert exc.value.code == ErrorCode.FILE_TYPE_NOT_ALLOWED


@pytest.mark.parametrize("who", ["staff", "leader", "member"])
def test_only_the_conferences_admin_may_import(world, who):
    with pytest.raises(AppError) as exc:
        importers.import_members(
            getattr(world.city, who), world.city.conference, xlsx(MEMBER_HEADER, *GOOD_MEMBERS)
        )
    assert exc.value.code == ErrorCode.PERMISSION_DENIED


def test_a_county_admin_may_not_import_into_the_city(world):
    with pytest.raises(AppError) as exc:
        importers.import_units(world.county.admin, world.city.conference, xlsx(UNIT_HEADER, ["市民政局"]))
    assert exc.value.code == ErrorCode.PERMISSION_DENIED
    assert not HandlingUnit.objects.filter(name="市民政局").exists()


def test_units_import_links_units_and_creates_contacts(world):
    conference = world.county.conference
    rows = [
        ["市民政局", "民政局", "孙丽", "mzj_sunli", "0571-88001234"],
        ["city发展和改革局", "", "", "", ""],
    ]

    report = importers.import_units(world.county.admin, conference, xlsx(UNIT_HEADER, *rows))

    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 1)
    unit = HandlingUnit.objects.get(name="市民政局")
    assert unit.contact_phone == "0571-88001234"
    assert conference in unit.conferences.all()
    assert conference in world.city.unit.conferences.all()
    role = Role.objects.get(user__username="mzj_sunli", conference=conference)
    assert (role.kind, role.handling_unit) == ("unit", unit)


def test_units_import_refuses_a_contact_of_another_unit(world):
    report = importers.import_units(
        world.city.admin, world.city.conference, xlsx(UNIT_HEADER, ["市民政局", "", "", "city_unit_user", ""])
    )

    assert [(e.row, e.column) for e in report.errors] == [(2, "联系人用户名")]
    assert not HandlingUnit.objects.filter(name="市民政局").exists()


def test_import_roster_command_prints_passwords(world, tmp_path):
    path = tmp_path / "members.xlsx"
    path.write_bytes(xlsx(MEMBER_HEADER, *GOOD_MEMBERS).read())
    out = io.StringIO()

    call_command(
        "import_roster", str(path), conference="city", kind="members", stdout=out, stderr=io.StringIO()
    )

    assert "初始密码\tlixiuying\t" in out.getvalue()
    assert Member.objects.filter(user__username="zhaozhiqiang", conference=world.city.conference).exists()


def test_admin_changelists_offer_the_import_page(world, client):
    root = User.objects.create_superuser("root", password="x-root-pw-1")
    client.force_login(root)

    for url in ["/admin/people/member/", "/admin/conferences/handlingunit/"]:
        assert "从 Excel 导入" in client.get(url).content.decode()
    template = client.get("/admin/conferences/handlingunit/import/template/")
    assert template.status_code == 200 and template.content.startswith(b"PK")


def test_admin_import_page_shows_the_per_row_report(world, client):
    admin = world.city.admin
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    client.force_login(admin)
    assert client.get("/admin/people/member/import/").status_code == 200

    response = client.post(
        "/admin/people/member/import/",
        {
            "conference": world.city.conference.pk,
            "file": xlsx(MEMBER_HEADER, GOOD_MEMBERS[0], ["", "x1", "", "", "", "", "", "", ""]),
        },
    )

    html = response.content.decode()
    assert "第 3 行" in html and "不能为空" in html
    assert not User.objects.filter(username="lixiuying").exists()


def test_admin_import_page_offers_only_conferences_the_user_administers(world, client):
    admin = world.county.admin
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    client.force_login(admin)

    response = client.post(
        "/admin/people/member/import/",
        {"conference": world.city.conference.pk, "file": xlsx(MEMBER_HEADER, *GOOD_MEMBERS)},
    )

    assert "选择一个有效的选项" in response.content.decode()
    assert not User.objects.filter(username="lixiuying").exists()
