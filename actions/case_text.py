"""The words of a case's status (办件进度): reading a case number as citizens type it, and
composing the status reply from the service's answer. Pure: no rasa-sdk."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Optional

# SL-20261201-0001 as typed: "sl202612010001", "SL 20261201 1".
_CASE_NUMBER = re.compile(r"(?i)SL\s*[-－—_ ]?\s*(20\d{6})\s*[-－—_ ]?\s*(\d{1,4})(?!\d)")
WEEKDAYS = "一二三四五六日"


def find_case_number(text: str) -> Optional[str]:
    match = _CASE_NUMBER.search(text or "")
    if not match:
        return None
    day, number = match.groups()
    return f"SL-{day}-{int(number):04d}"


def _day(iso: str) -> str:
    when = date.fromisoformat(iso)
    return f"{when.year}年{when.month}月{when.day}日（周{WEEKDAYS[when.weekday()]}）"


def deadline_line(deadline: dict[str, Any]) -> str:
    """"承诺 2026年12月15日（周二）前办结（还有 3 个工作日）", with the warning when there is one."""
    line = f"承诺 {_day(deadline['due_on'])}前办结"
    if deadline.get("warning") == "paused":
        return line + "（补正期间不计时，材料补齐后继续计算）"
    if deadline.get("warning") == "red":
        return line + "，已超过承诺时限，我们已督促承办部门尽快办理"
    left = deadline.get("working_days_left")
    return line + (f"（还有 {left} 个工作日）" if left is not None else "")


def case_status_text(case: dict[str, Any]) -> str:
    lines = [f"办件 {case['number']}：{case['item_name']}（{case['department']}）",
             f"当前状态：{case['status_label']}", f"下一步：{case['next_step']}"]
    if case.get("materials_missing"):
        lines.append("需要补正的材料：")
        lines += [f"{n}. {name}" for n, name in enumerate(case["materials_missing"], start=1)]
    if case.get("reason"):
        lines.append(f"原因：{case['reason']}")
    if case["status"] not in ("completed", "delivered", "returned"):
        lines.append(deadline_line(case["deadline"]))
    return "\n".join(lines)
