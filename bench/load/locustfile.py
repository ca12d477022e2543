"""A mixed day on the platform, for Locust (run by bench/load/run.py, loopback only).

Every simulated user logs in with a generated account (`xieshang gendata`) of one conference and
acts on that conference's data. Requests are named by page kind ("member: my proposals" …) so the
report gives one line per kind. XIESHANG_LOAD_PLAN names a JSON file of conferences
([{"prefix": "c01k02", "members": 186, "units": 20}, …]); XIESHANG_LOAD_MODE=peak runs only the
plenary peak (members submitting proposals until XIESHANG_PEAK_TOTAL submissions are acknowledged).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import threading
from typing import Any

import gevent
from locust import HttpUser, between, constant_pacing, events, task
from locust.exception import StopUser

PASSWORD = os.environ.get("XIESHANG_LOAD_PASSWORD", "load12345")
with open(os.environ["XIESHANG_LOAD_PLAN"], encoding="utf-8") as _plan:
    PLAN: list[dict[str, Any]] = json.load(_plan)
MODE = os.environ.get("XIESHANG_LOAD_MODE", "day")
PEAK_TOTAL = int(os.environ.get("XIESHANG_PEAK_TOTAL", "2000"))
RUN_TAG = os.environ.get("XIESHANG_LOAD_TAG", "load")
ACKED_FILE = os.environ.get("XIESHANG_PEAK_ACKED", "")

PROPOSAL_LINK = re.compile(r'href="/proposals/(\d+)/"')
VERSION = re.compile(r'name="version" value="(\d+)"')
REPLY_FORM = re.compile(r'action="/proposals/assignments/(\d+)/reply/"')
CONSULT_FORM = re.compile(r'action="/proposals/assignments/(\d+)/record_consultation/"')
WORK_LISTS = ["to_review", "to_assign", "due_soon", "overdue", "to_evaluate", "to_close", "requests", "key"]
SEARCH_WORDS = ["教育", "交通", "养老", "医疗", "停车", "物业", "农村", "环境", "学校", "小区", "王", "李"]
THIS_YEAR = dt.date.today().year

_lock = threading.Lock()
_peak = {"started": 0, "failed": 0, "acked": 0}


def _pick_conference() -> dict[str, Any]:
    return random.choice(PLAN)


class Platform(HttpUser):
    """Shared steps: log in as `username`, then GET and POST with the CSRF token."""

    abstract = True
    wait_time = between(1, 3)
    role = "member"

    def on_start(self) -> None:
        self.conf = _pick_conference()
        self.username = self.pick_username()
        self.client.get("/login/", name="login form")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
            catch_response=True,
        ) as response:
            if response.url is None or "/login/" in response.url:
                response.failure(f"login refused for {self.username}")
                raise StopUser()

    def pick_username(self) -> str:
        raise NotImplementedError

    def post(self, url: str, data: dict[str, Any], name: str) -> Any:
        data = {**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        return self.client.post(url, data=data, name=name)

    def page(self, url: str, name: str) -> str:
        response = self.client.get(url, name=name)
        return response.text if response.ok else ""

    def detail(self, ids: list[str], name: str) -> tuple[str, str]:
        """A random proposal of `ids`: its id and its page."""
        if not ids:
            return "", ""
        pk = random.choice(ids)
        return pk, self.page(f"/proposals/{pk}/", name)


class Member(Platform):
    """A member on a phone: inbox, own proposals, opinions, activities, duty record; writes proposals."""

    weight = 12

    def pick_username(self) -> str:
        return f"{self.conf['prefix']}_m{random.randint(1, self.conf['members']):04d}"

    def on_start(self) -> None:
        super().on_start()
        self.mine: list[str] = []

    @task(3)
    def home(self) -> None:
        self.page("/", "member: home")

    @task(4)
    def my_proposals(self) -> None:
        self.mine = PROPOSAL_LINK.findall(self.page("/proposals/", "member: my proposals"))

    @task(3)
    def proposal(self) -> None:
        self.detail(self.mine, "member: proposal detail")

    @task(2)
    def opinions(self) -> None:
        self.page("/opinions/", "member: my opinions")

    @task(2)
    def activities(self) -> None:
        self.page("/activities/", "member: activities")

    @task(1)
    def duty(self) -> None:
        self.page("/duty/", "member: duty record")

    @task(1)
    def submit(self) -> None:
        submit_proposal(self, f"{RUN_TAG}-{self.username}-{random.randrange(10**9)}")


def submit_proposal(user: Platform, title_tag: str) -> bool:
    """Open the form, save a draft, submit it; True when the submission was acknowledged."""
    user.page("/proposals/new/", "member: new proposal form")
    response = user.post(
        "/proposals/new/",
        {
            "title": f"关于{title_tag}的建议",
            "analysis": "近年来社区养老服务需求快速增长，现有设施不足，服务内容单一。",
            "recommendations": "一、增加社区养老服务设施。二、完善运营补贴。三、加强人员培训。",
            "kind": "individual",
        },
        "member: save draft",
    )
    found = re.search(r"/proposals/(\d+)/", response.url or "")
    if not response.ok or not found:
        return False
    pk = found.group(1)
    version = VERSION.search(response.text)
    done = user.post(
        f"/proposals/{pk}/act/submit/",
        {"version": version.group(1) if version else "1"},
        "member: submit proposal",
    )
    return bool(done.ok and "/act/" not in (done.url or ""))


class Staff(Platform):
    """The proposal office: work lists, filters, search, details."""

    weight = 3

    def pick_username(self) -> str:
        return f"{self.conf['prefix']}_staff{random.choice(['', '2'])}"

    def on_start(self) -> None:
        super().on_start()
        self.seen: list[str] = []

    @task(4)
    def work_list(self) -> None:
        html = self.page(f"/proposals/work/{random.choice(WORK_LISTS)}/", "staff: work list")
        self.seen = PROPOSAL_LINK.findall(html) or self.seen

    @task(2)
    def all_proposals(self) -> None:
        year = random.randint(THIS_YEAR - 9, THIS_YEAR)
        self.page(f"/proposals/work/all/?year={year}&page={random.randint(1, 5)}", "staff: all proposals")

    @task(2)
    def search(self) -> None:
        self.page(f"/search/?q={random.choice(SEARCH_WORDS)}", "staff: search")

    @task(1)
    def filtered(self) -> None:
        self.page(
            f"/proposals/work/all/?q={random.choice(SEARCH_WORDS)}&sort=-number", "staff: filtered list"
        )

    @task(3)
    def proposal(self) -> None:
        self.detail(self.seen, "staff: proposal detail")

    @task(1)
    def opinions(self) -> None:
        self.page("/opinions/work/", "staff: opinion work list")


class Unit(Platform):
    """A handling unit's contact: inbox, details, consultation and reply."""

    weight = 2

    def pick_username(self) -> str:
        return f"{self.conf['prefix']}_u{random.randint(1, self.conf['units']):02d}"

    def on_start(self) -> None:
        super().on_start()
        self.inbox_ids: list[str] = []

    @task(4)
    def inbox(self) -> None:
        self.inbox_ids = PROPOSAL_LINK.findall(self.page("/proposals/unit/", "unit: inbox"))

    @task(3)
    def proposal(self) -> None:
        self.detail(self.inbox_ids, "unit: proposal detail")

    @task(1)
    def reply(self) -> None:
        pk, html = self.detail(self.inbox_ids, "unit: proposal detail")
        consult, letter = CONSULT_FORM.search(html), REPLY_FORM.search(html)
        version = VERSION.search(html)
        if not (consult and letter and version):
            return
        self.post(
            f"/proposals/assignments/{consult.group(1)}/record_consultation/",
            {
                "version": version.group(1),
                "held_on": dt.date.today().isoformat(),
                "form": "phone",
                "agreed": "与提案人电话沟通办理思路。",
            },
            "unit: record consultation",
        )
        fresh = VERSION.search(self.page(f"/proposals/{pk}/", "unit: proposal detail"))
        self.post(
            f"/proposals/assignments/{letter.group(1)}/reply/",
            {
                "version": fresh.group(1) if fresh else version.group(1),
                "body": "经认真研究，您的建议已列入年度工作计划，正在组织实施。",
                "outcome": "B",
                "signed_by": "张明",
                "contact_person": "李华",
                "contact_phone": "0571-87000000",
            },
            "unit: reply",
        )


class Leader(Platform):
    """A leader: the dashboard for this year and earlier ones, the duty ranking."""

    weight = 1

    def pick_username(self) -> str:
        return f"{self.conf['prefix']}_leader{random.choice(['', '2'])}"

    @task(3)
    def dashboard(self) -> None:
        self.page("/dashboard/", "leader: dashboard")

    @task(1)
    def past_year(self) -> None:
        self.page(f"/dashboard/?year={random.randint(THIS_YEAR - 5, THIS_YEAR - 1)}", "leader: dashboard")


class PeakMember(Platform):
    """The plenary peak: members only submit proposals, until the total is acknowledged."""

    weight = 1
    # 50 users, one submission every PACE seconds each: 2,000 in about 8 minutes, the plenary's rate.
    wait_time = constant_pacing(float(os.environ.get("XIESHANG_PEAK_PACE", "12")))

    def pick_username(self) -> str:
        return f"{self.conf['prefix']}_m{random.randint(1, self.conf['members']):04d}"

    @task
    def submit(self) -> None:
        with _lock:
            if _peak["started"] - _peak["failed"] >= PEAK_TOTAL:
                raise StopUser()
            _peak["started"] += 1
            seq = _peak["started"]
        ok = submit_proposal(self, f"{RUN_TAG}-{seq:05d}")
        with _lock:
            if ok:
                _peak["acked"] += 1
                if ACKED_FILE:
                    with open(ACKED_FILE, "a", encoding="utf-8") as f:
                        f.write(f"{RUN_TAG}-{seq:05d}\n")
            else:
                _peak["failed"] += 1  # not acknowledged: another submission is owed
            if _peak["acked"] >= PEAK_TOTAL and self.environment.runner is not None:
                # From another greenlet: quitting stops every user, this one included.
                gevent.spawn_later(0.5, self.environment.runner.quit)


if MODE == "peak":
    for cls in (Member, Staff, Unit, Leader):
        cls.abstract = True
else:
    PeakMember.abstract = True


@events.quitting.add_listener
def _report_peak(environment: Any, **_: Any) -> None:
    if MODE == "peak":
        print(f"peak: {_peak['acked']} submissions acknowledged")
