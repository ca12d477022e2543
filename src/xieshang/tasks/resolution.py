"""Turning what a speech says into the conference's registry: unit names and deadlines."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable

from django.db import transaction

from xieshang.conferences.models import Conference, HandlingUnit

from .models import UnitAlias

# Collective names that mean "every county-level unit under this conference".
COUNTY_ALIASES = (
    "各县（市、区）",
    "各县(市、区)",
    "各县市区",
    "各县（区）",
    "各县区",
    "各区县",
    "各县（市）",
)
# 和/及/与 separate two names only before a new name (市…, 县…), never inside 发展和改革局.
SPLIT = re.compile(r"[、，,；;/]+|[和及与](?=[市县区各])")


def _area(conference: Conference) -> str:
    """示范市政协 → 示范市 (the place a conference belongs to)."""
    name = conference.short_name or conference.name
    return name.removesuffix("政协")


def _county_units(conference: Conference) -> list[HandlingUnit]:
    """Units serving the conference whose name starts with the area of one of its child conferences
    (示范县人民政府 for the child 示范县政协)."""
    areas = [_area(c) for c in conference.children.all()]
    if not areas:
        return []
    pool = conference.handling_units.filter(is_active=True)
    return sorted(
        {u.pk: u for u in pool if any(u.name.startswith(a) for a in areas)}.values(), key=lambda u: u.name
    )


@transaction.atomic
def ensure_default_aliases(conference: Conference) -> None:
    """Create the default aliases of a conference the first time they are needed (editable in admin)."""
    if UnitAlias.objects.filter(conference=conference).exists():
        return
    units = _county_units(conference)
    for alias in COUNTY_ALIASES:
        created = UnitAlias.objects.create(conference=conference, alias=alias)
        created.units.set(units)


def _variants(unit: HandlingUnit, area: str) -> set[str]:
    """The names a speech may use for a unit: full, short, and 市商务局 for 示范市商务局."""
    names = {unit.name, unit.short_name} - {""}
    if area and unit.name.startswith(area) and len(area) > 1:
        names.add(area[-1] + unit.name[len(area) :])
        names.add(unit.name[len(area) :])
    return names


def split_names(text: str) -> list[str]:
    """ "市商务局、市发改委" → two names; an alias containing 、 (各县（市、区）) stays whole."""
    protected = text
    for alias in COUNTY_ALIASES:
        protected = protected.replace(alias, alias.replace("、", "\x01"))
    return [p.replace("\x01", "、").strip() for p in SPLIT.split(protected) if p.strip()]


def resolve_units(conference: Conference, names: Iterable[str]) -> tuple[list[HandlingUnit], list[str]]:
    """The conference's units named (aliases expanded, duplicates removed, in order) and the names that
    matched nothing."""
    ensure_default_aliases(conference)
    aliases = {
        a.alias: list(a.units.all())
        for a in UnitAlias.objects.filter(conference=conference).prefetch_related("units")
    }
    area = _area(conference)
    index: dict[str, HandlingUnit] = {}
    for unit in conference.handling_units.filter(is_active=True):
        for variant in _variants(unit, area):
            index.setdefault(variant, unit)
    found: dict[int, HandlingUnit] = {}
    unresolved: list[str] = []
    for raw in names:
        for name in split_names(raw):
            if name in aliases:
                for unit in aliases[name]:
                    found.setdefault(unit.pk, unit)
            elif name in index:
                found.setdefault(index[name].pk, index[name])
            else:
                unresolved.append(name)
    return list(found.values()), unresolved


# ---------------------------------------------------------------------------- deadlines

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
QUARTER_END = {1: 3, 2: 6, 3: 9, 4: 12}


def _num(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CN_DIGITS.get(text[1:], 0)
    if text.endswith("十"):
        return CN_DIGITS.get(text[0], 0) * 10
    if "十" in text:
        tens, ones = text.split("十", 1)
        return CN_DIGITS.get(tens, 0) * 10 + CN_DIGITS.get(ones, 0)
    return CN_DIGITS.get(text, 0)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


NUM = r"(\d{1,4}|[一二三四五六七八九十]{1,3})"


def parse_deadline(text: str | None, base: dt.date) -> dt.date | None:
    """A date for "2026-06-30", "6月底前", "2026年9月30日前", "年底前", "三季度末", "上半年"; else None.

    A month without a year means the base date's year (the speech's year).
    """
    if not text:
        return None
    # The extraction already normalises full dates ("2026年6月底前" → "2026-06-30").
    iso = re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2})\s*", text)
    if iso:
        try:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None
    year = base.year
    m = re.search(r"(\d{4})\s*年", text)
    if m:
        year = int(m.group(1))
    m = re.search(NUM + r"\s*月\s*" + NUM + r"\s*日", text)
    if m:
        month, day = _num(m.group(1)), _num(m.group(2))
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    m = re.search(NUM + r"\s*月", text)
    if m and 1 <= _num(m.group(1)) <= 12:
        month = _num(m.group(1))
        if re.search(r"月\s*(上旬)", text):
            return dt.date(year, month, 10)
        if re.search(r"月\s*(中旬)", text):
            return dt.date(year, month, 20)
        return _month_end(year, month)
    m = re.search(r"(第?" + NUM + r")\s*季度", text)
    if m:
        quarter = _num(m.group(2))
        if quarter in QUARTER_END:
            return _month_end(year, QUARTER_END[quarter])
    if "上半年" in text:
        return dt.date(year, 6, 30)
    if "年底" in text or "年末" in text or "年内" in text or "下半年" in text or "全年" in text:
        return dt.date(year, 12, 31)
    return None
