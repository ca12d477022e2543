"""The culture award in headless Chromium: a juror scores on a phone, staff decide and publish the
results at a desk, and a reader on a phone finds the winners on the portal."""

from __future__ import annotations

from typing import Any

from xieshang.people.models import RoleKind
from xieshang.publishing import culture
from xieshang.publishing.models import Award, AwardState, Score

from ..factories import PASSWORD, UserFactory, give_role
from .conftest import PHONE, shot


def click_and_wait(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def fits_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_juror_scores_staff_publish_and_the_portal_shows_the_winners(pages, world):
    base = pages.base_url
    side = world.city
    # given an award with two nominations whose jury (one member) sits
    project = culture.create_project(
        side.staff,
        side.conference,
        culture.ProjectInput("非遗剪纸进社区", "heritage", 2026),
        [side.member2],
    )
    award = culture.create_award(side.staff, side.conference, culture.AwardInput("文化公益奖", 2026, top_n=1))
    on_project = culture.nominate(side.staff, award, project=project, reason="三年开展四十场剪纸课。")
    other = give_role(
        UserFactory(username="city_painter", display_name="吴丹青"), side.conference, RoleKind.MEMBER
    )
    on_person = culture.nominate(side.staff, award, person=other, reason="自费举办公益画展。")
    culture.set_jurors(side.staff, award, [side.member])
    culture.open_scoring(side.staff, award)

    # a juror, on a phone, finds the award under 我的 and scores both nominations
    juror = pages.as_user(side.member.username, PASSWORD, viewport=PHONE)
    juror.goto(f"{base}/me/")
    click_and_wait(juror, "[data-testid=culture-mine-link]")
    click_and_wait(juror, f"[data-testid=jury-{award.pk}]")
    assert fits_phone(juror)
    juror.fill(f"[data-testid=score-form-{on_project.pk}] [name=value]", "95")
    juror.fill(f"[data-testid=score-form-{on_project.pk}] [name=comment]", "坚持时间长，覆盖面广")
    click_and_wait(juror, f"[data-testid=save-score-{on_project.pk}]")
    juror.fill(f"[data-testid=score-form-{on_person.pk}] [name=value]", "150")
    click_and_wait(juror, f"[data-testid=save-score-{on_person.pk}]")
    assert "100" in juror.inner_text(f"[data-testid=score-row-{on_person.pk}]")  # the refusal names the range
    juror.fill(f"[data-testid=score-form-{on_person.pk}] [name=value]", "82")
    click_and_wait(juror, f"[data-testid=save-score-{on_person.pk}]")
    assert "已打分 2 / 2" in juror.inner_text("[data-testid=score-progress]")
    assert fits_phone(juror)
    shot(juror, "culture-juror-phone")
    assert sorted(Score.objects.values_list("value", flat=True)) == [82, 95]

    # staff, at a desk, close the jury and publish the results
    staff = pages.as_user(side.staff.username, PASSWORD)
    staff.goto(f"{base}/proposals/work/")
    click_and_wait(staff, "[data-testid=menu-culture]")
    click_and_wait(staff, "[data-testid=tab-awards]")
    click_and_wait(staff, f"[data-testid=award-{award.pk}] a")
    click_and_wait(staff, "[data-testid=award-act-decide]")
    assert staff.locator(f"[data-testid=winner-{on_project.pk}]").count() == 1
    assert staff.locator(f"[data-testid=winner-{on_person.pk}]").count() == 0
    click_and_wait(staff, "[data-testid=award-act-publish]")
    shot(staff, "culture-award-desk")
    assert Award.objects.get(pk=award.pk).state == AwardState.PUBLISHED

    # the juror's scores are closed now
    juror.reload()
    assert juror.locator(f"[data-testid=score-form-{on_project.pk}]").count() == 0

    # a reader, on a phone, finds the winners from the portal's home page
    reader = pages.anonymous(viewport=PHONE)
    reader.goto(f"{base}/public/city/")
    assert "2026年度文化公益奖" in reader.inner_text("[data-testid=home-culture]")
    click_and_wait(reader, "[data-testid=nav-culture]")
    click_and_wait(reader, f"[data-testid=public-award-{award.pk}]")
    winners = reader.inner_text("[data-testid=public-winners]")
    assert "非遗剪纸进社区" in winners and "吴丹青" not in winners
    assert fits_phone(reader)
    shot(reader, "culture-award-portal-phone")
