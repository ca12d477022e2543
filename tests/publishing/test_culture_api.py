"""Culture awards over the API: published results without sign-in, a juror's scoring, staff actions,
and the denials (other conferences, non-jurors, members)."""

from __future__ import annotations

from xieshang.publishing import culture
from xieshang.publishing.models import Score

from ..api.conftest import Api


def _sitting(side):  # type: ignore[no-untyped-def]
    award = culture.create_award(side.staff, side.conference, culture.AwardInput("文化公益奖", 2026, top_n=1))
    first = culture.nominate(side.staff, award, person=side.member, reason="理由一")
    second = culture.nominate(side.staff, award, person=side.member2, reason="理由二")
    culture.set_jurors(side.staff, award, [side.leader])
    return culture.open_scoring(side.staff, award), first, second


def test_a_juror_scores_staff_publish_and_the_public_api_lists_the_winner(world):
    api = Api()
    side = world.city
    award, first, second = _sitting(side)
    url = f"/publishing/awards/{award.pk}/scores"
    bad = api.post(url, side.leader, {"nomination_id": first.pk, "value": 101})
    assert bad.status_code == 400 and bad.json()["fields"] == {"value": "分数应为 0 至 100 的整数。"}
    assert api.post(url, side.leader, {"nomination_id": first.pk, "value": 91}).status_code == 200
    assert api.post(url, side.leader, {"nomination_id": second.pk, "value": 80}).json()["value"] == 80
    assert api.post(url, side.member, {"nomination_id": first.pk, "value": 10}).status_code == 404
    assert Score.objects.count() == 2

    assert api.get("/publishing/public/city/awards").json() == []
    assert api.post(f"/publishing/awards/{award.pk}/decide", side.member, {}).status_code == 404
    refused = api.post(f"/publishing/awards/{award.pk}/decide", side.leader, {})
    assert refused.status_code == 403
    decided = api.post(f"/publishing/awards/{award.pk}/decide", side.staff, {})
    assert decided.status_code == 200 and decided.json()["state"] == "decided"
    assert [n["is_winner"] for n in decided.json()["nominations"]] == [True, False]
    closed = api.post(url, side.leader, {"nomination_id": first.pk, "value": 50})
    assert closed.status_code == 400 and "评审已经结束" in closed.json()["message"]
    assert api.post(f"/publishing/awards/{award.pk}/publish", side.staff, {}).json()["state"] == "published"

    listed = api.get("/publishing/public/city/awards").json()
    assert [(a["name"], [w["label"] for w in a["winners"]]) for a in listed] == [
        ("文化公益奖", ["city委员甲"])
    ]
    assert api.get("/publishing/public/county/awards").json() == []


def test_another_conference_never_reads_an_award(world):
    api = Api()
    award, _first, _second = _sitting(world.city)
    assert api.get(f"/publishing/awards/{award.pk}", world.county.staff).status_code == 404
    assert api.post(f"/publishing/awards/{award.pk}/decide", world.county.staff, {}).status_code == 404
    own = api.get(f"/publishing/awards/{award.pk}", world.city.staff)
    assert own.status_code == 200 and "decide" in own.json()["actions"]
