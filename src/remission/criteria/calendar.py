"""Calendar arithmetic for criteria: completed years and months, and "N months after" a date.

The screening conventions (../shared/reference/screening/vignettes.json, "Time") count in
calendar months: "at least N months since a date" means date + N calendar months <= as_of, and a
course's duration is its completed calendar months. Adding months keeps the day of the month,
clamped to the month's last day (31 January + 1 month = 28/29 February).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months (negative goes back), day clamped to month end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def completed_years(start: date, end: date) -> int:
    """Whole years from ``start`` to ``end`` (an age: the birthday counts on its day)."""
    years = end.year - start.year
    return years - 1 if (end.month, end.day) < (start.month, start.day) else years


def completed_months(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end``: the largest n with start + n months <= end."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def parse_date(text: str) -> date:
    """An ISO calendar date (YYYY-MM-DD); ValueError otherwise."""
    return date.fromisoformat(text)
