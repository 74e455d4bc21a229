"""Reading a provincial catalogue export (the Guangdong guide format, one JSON object per line,
plain or .xz) into catalogue items, with a report of every row or field that could not be mapped.

Pure: no database. What the export does not publish is listed in each item's `unpublished`,
never filled in; catalogue.publishing writes the result as a catalogue version.
"""

import hashlib
import json
import lzma
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from service.catalogue.guide_fields import (
    CALENDAR_DAYS,
    clean,
    daily_words,
    days,
    is_news,
)
from service.catalogue.models import ItemType, Level, Unpublished
from service.core import templates as t

# Imported departments are keyed by the export's organisation code under this prefix, apart
# from the hand-kept ones (GA, SC, …); imported items keep the export's TASK_CODE (no hyphen).
DEPARTMENT_PREFIX = "ORG"
MAX_CODE = 40
MAX_NAME = 100
MAX_PLACE = 200
MAX_PHONE = 400
MAX_COMPLAINT_PHONE = 100
MAX_DEPARTMENT_PHONE = 50
MAX_URL = 500
# Shorter everyday words ("户口", "迁出", "户口迁出") say what an item is about, not which item it is.
# Chosen on the development sets (the dev questions, training messages and imported names, never
# the held-out sets): scripts/tune_catalogue_search.py. 99 is "none": since a clause takes the
# message's operation word, the export's everyday words found imported items best as keywords
# only (imported names 0.856 against 0.833 with words of 5 characters as aliases).
MIN_ALIAS_CHARS = 99
LEVELS = {"省级": Level.PROVINCE, "市级": Level.CITY}
_PLACE_PREFIX = "办理地点："
_COURIER = {"是": True, "否": False, "不支持": False}
# Department name prefixes that the short name leaves out.
_AREA_PREFIXES = ("广东省", "广州市")
# The export's fields that go into the catalogue (see the README for where each goes).
MAPPED_FIELDS = frozenset({
    "TASK_CODE", "TASK_NAME", "matter_name", "ORGCODE", "DEPT_NAME", "TASK_TYPE_TEXT", "matter_level",
    "matter_short", "matter_daily", "accept_standard", "material_intro", "handle_time", "handle_time_limit",
    "handle_location", "consult_phone", "complain_phone", "online_book", "ONLINECHECK", "bear_paltform",
    "online_book_addr", "courier_service", "visit_number", "service_object_name", "co_department", "URL",
})
# Fields the catalogue has no use for, said once in the report.
IGNORED_FIELDS = {
    "_id": "导出库的内部编号",
    "CATANAME": "目录名称，与 matter_name 相同或更泛",
    "parentCatalogId": "上级目录编号",
    "parentCatalogName": "上级目录名称",
    "CATAID": "目录编号",
    "subCatalogName": "与 matter_name 相同",
    "subTaskName": "已包含在 TASK_NAME 中",
    "TASK_TYPE": "TASK_TYPE_TEXT 的数字编码",
    "matter_type": "与 TASK_TYPE_TEXT 相同",
    "TASK_STATE": "全部为空",
    "TASK_TAG": "全部为空",
    "AREACODE": "与 matter_level 对应",
    "AREA_CODE_TEXT": "与 matter_level 对应",
    "district": "与 matter_level 相同",
    "LIMIT_SCENE_NUM": "每行都与 visit_number 相同，不是情形数",
    "matter_code": "多数为“无”，事项以 TASK_CODE 标识",
    "theme_category": "主题分类，不用于检索和告知",
}


class ImportedDepartment(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    short_name: str
    level: Level
    window: str
    address: str
    hours: str
    phone: str
    complaint_phone: str


class ImportedItem(BaseModel):
    """One item as the catalogue stores it (the names are Item's columns)."""

    model_config = ConfigDict(frozen=True)

    code: str
    department: str  # ImportedDepartment.code
    name: str
    type: ItemType
    level: Level
    basis: str
    aliases: list[str]
    keywords: list[str]
    conditions: list[str]
    materials: list[str]
    legal_days: int
    promised_days: int
    time_limit_note: str | None
    fee_amount: str
    place: str | None
    phone: str | None
    complaint_phone: str | None
    online_available: bool
    online_where: str | None
    booking_where: str | None
    courier: bool | None
    audience: list[str]
    joint_departments: str | None
    source_url: str | None
    visits: int
    unpublished: list[Unpublished]


class Published(BaseModel):
    """The whole imported catalogue of one version."""

    departments: list[ImportedDepartment] = []
    items: list[ImportedItem] = []


@dataclass(frozen=True)
class Problem:
    """A row not imported (`rejected`) or a field of an imported row read as unpublished."""

    line: int | None  # None: a rollback's content, which has no lines
    code: str
    name: str
    field: str
    reason: str
    rejected: bool

    def text(self) -> str:
        where = f"第 {self.line} 行 " if self.line else ""
        return f"{where}{self.code} {self.name} [{self.field}] {self.reason}".replace("  ", " ")


@dataclass
class ExportReading:
    source: str
    sha256: str
    rows: int = 0
    published: Published = field(default_factory=Published)
    problems: list[Problem] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # item code → its line in the file

    @property
    def rejected(self) -> list[Problem]:
        return [p for p in self.problems if p.rejected]

    def unpublished_counts(self) -> Counter[Unpublished]:
        return Counter(fact for item in self.published.items for fact in item.unpublished)


class ExportFileError(Exception):
    """The file itself cannot be read (missing, not xz, …): nothing is imported."""


def read_export(path: Path) -> ExportReading:
    """Read and map every line of the export; a bad row is reported and left out, the rest go on."""
    try:
        raw = lzma.decompress(path.read_bytes()) if path.suffix == ".xz" else path.read_bytes()
    except FileNotFoundError as exc:
        raise ExportFileError(t.IMPORT_FILE_MISSING.format(path=path)) from exc
    except (OSError, lzma.LZMAError) as exc:
        raise ExportFileError(t.IMPORT_FILE_UNREADABLE.format(path=path, error=exc)) from exc
    reading = ExportReading(source=path.name, sha256=hashlib.sha256(raw).hexdigest())
    mapper = _RowMapper(reading)
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if line.strip():
            reading.rows += 1
            mapper.map_line(number, line)
    reading.published = Published(departments=mapper.departments(), items=mapper.items)
    return reading


class _RowMapper:
    def __init__(self, reading: ExportReading) -> None:
        self.reading = reading
        self.items: list[ImportedItem] = []
        self.lines_by_code = reading.lines
        self.department_rows: dict[str, list[dict]] = {}
        self.unknown_fields: set[str] = set()

    def _problem(self, line: int, row: dict | None, field_name: str, reason: str, *, rejected: bool) -> None:
        row = row or {}
        self.reading.problems.append(
            Problem(
                line=line,
                code=clean(row.get("TASK_CODE")),
                name=clean(row.get("TASK_NAME")) or clean(row.get("matter_name")),
                field=field_name,
                reason=reason,
                rejected=rejected,
            )
        )

    def map_line(self, line: int, raw: bytes) -> None:
        try:
            row = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            self._problem(line, None, "*", t.IMPORT_LINE_NOT_UTF8, rejected=True)
            return
        except json.JSONDecodeError as exc:
            self._problem(line, None, "*", t.IMPORT_BAD_JSON.format(error=exc.msg), rejected=True)
            return
        if not isinstance(row, dict):
            self._problem(line, None, "*", t.IMPORT_NOT_OBJECT, rejected=True)
            return
        for name in row.keys() - MAPPED_FIELDS - IGNORED_FIELDS.keys() - self.unknown_fields:
            # A field this importer does not know: reported once, where it first appears.
            self.unknown_fields.add(name)
            self._problem(line, row, name, t.IMPORT_UNKNOWN_FIELD, rejected=False)
        reason = self._rejection(line, row)
        if reason is not None:
            self._problem(line, row, *reason, rejected=True)
            return
        code = clean(row["TASK_CODE"])
        self.lines_by_code[code] = line
        department = DEPARTMENT_PREFIX + clean(row["ORGCODE"]).upper()
        self.department_rows.setdefault(department, []).append(row)
        self.items.append(self._item(line, row, code, department))

    def _rejection(self, line: int, row: dict) -> tuple[str, str] | None:
        """(field, reason) when the row cannot become an item at all."""
        code = clean(row.get("TASK_CODE"))
        if not code:
            return "TASK_CODE", t.IMPORT_NO_CODE
        if len(code) > MAX_CODE or not code.isascii() or not code.isalnum() or code != code.upper():
            return "TASK_CODE", t.IMPORT_BAD_CODE.format(code=code)
        if code in self.lines_by_code:
            return "TASK_CODE", t.IMPORT_DUPLICATE_CODE.format(line=self.lines_by_code[code])
        if is_news(row):
            return "URL", t.IMPORT_NEWS.format(url=row.get("URL"))
        name = clean(row.get("TASK_NAME")) or clean(row.get("matter_name"))
        if not name:
            return "TASK_NAME", t.IMPORT_NO_NAME
        if len(name) > MAX_NAME:
            return "TASK_NAME", t.IMPORT_NAME_TOO_LONG.format(limit=MAX_NAME)
        if not clean(row.get("DEPT_NAME")) or not clean(row.get("ORGCODE")).isalnum():
            return "DEPT_NAME", t.IMPORT_NO_DEPARTMENT
        kind = clean(row.get("TASK_TYPE_TEXT"))
        if kind not in {k.value for k in ItemType}:
            known = t.LIST_SEPARATOR.join(k.value for k in ItemType)
            return "TASK_TYPE_TEXT", t.IMPORT_UNKNOWN_TYPE.format(value=kind, known=known)
        if clean(row.get("matter_level")) not in LEVELS:
            return "matter_level", t.IMPORT_UNKNOWN_LEVEL.format(value=clean(row.get("matter_level")))
        return None

    def _limited(self, line: int, row: dict, name: str, limit: int) -> str | None:
        value = clean(row.get(name))
        if len(value) > limit:
            self._problem(line, row, name, t.IMPORT_FIELD_TOO_LONG.format(limit=limit), rejected=False)
            return None
        return value or None

    def _days(self, line: int, row: dict, name: str, kind: str) -> tuple[int | None, str | None]:
        """(working days, note): None days when unpublished; calendar days go to the note."""
        value = clean(row.get(name))
        if not value:
            return None, None
        parsed = days(value)
        if parsed is None:
            self._problem(line, row, name, t.IMPORT_BAD_DAYS.format(value=value), rejected=False)
            return None, None
        count, unit = parsed
        if unit == CALENDAR_DAYS:
            return None, t.TIME_CALENDAR_DAYS.format(kind=kind, days=count)
        return count, None

    def _item(self, line: int, row: dict, code: str, department: str) -> ImportedItem:
        unpublished = [
            Unpublished.BASIS, Unpublished.SITUATIONS, Unpublished.PROCESS, Unpublished.FEE, Unpublished.HOURS
        ]
        name = clean(row.get("TASK_NAME")) or clean(row.get("matter_name"))
        # Both are written as comma-separated words ("技工学校，设立", "户口，迁出"): a word long enough
        # to name the item is an alias (a phrase the search matches whole), a shorter one a keyword.
        words = [*daily_words(row.get("matter_short")), *daily_words(row.get("matter_daily"))]
        words = [w for w in dict.fromkeys(words) if w != name]
        aliases = [w for w in words if len(w) >= MIN_ALIAS_CHARS]
        keywords = [w for w in words if len(w) < MIN_ALIAS_CHARS]
        conditions = [clean(row.get("accept_standard"))]
        if not conditions[0]:
            conditions = []
            unpublished.append(Unpublished.CONDITIONS)
        materials = self._materials(line, row)
        if not materials:
            unpublished.append(Unpublished.MATERIALS)
        else:
            unpublished.append(Unpublished.MATERIAL_DETAILS)
        legal, legal_note = self._days(line, row, "handle_time", t.TIME_KIND_LEGAL)
        promised, promised_note = self._days(line, row, "handle_time_limit", t.TIME_KIND_PROMISED)
        if legal is None:
            unpublished.append(Unpublished.LEGAL_DAYS)
        if promised is None:
            unpublished.append(Unpublished.PROMISED_DAYS)
        notes = [n for n in (legal_note, promised_note) if n]
        visits_text = clean(row.get("visit_number"))
        visits = int(visits_text) if visits_text.isdigit() and int(visits_text) <= 9 else None
        if visits is None:
            unpublished.append(Unpublished.VISITS)
            if visits_text:
                self._problem(
                    line, row, "visit_number", t.IMPORT_BAD_VISITS.format(value=visits_text), rejected=False
                )
        place = self._limited(line, row, "handle_location", MAX_PLACE)
        if place and place.startswith(_PLACE_PREFIX):
            place = place[len(_PLACE_PREFIX):].strip() or None
        source_url = self._limited(line, row, "URL", MAX_URL)
        online = clean(row.get("online_book")) == "是" or clean(row.get("ONLINECHECK")) == "1"
        audience = row.get("service_object_name")
        return ImportedItem(
            code=code,
            department=department,
            name=name,
            type=ItemType(clean(row["TASK_TYPE_TEXT"])),
            level=LEVELS[clean(row["matter_level"])],
            basis=t.UNPUBLISHED,
            aliases=aliases,
            keywords=keywords,
            conditions=conditions,
            materials=materials,
            legal_days=legal or 0,
            promised_days=promised or 0,
            time_limit_note=t.LIST_SEPARATOR.join(notes) or None,
            fee_amount=t.UNPUBLISHED,
            place=place,
            phone=self._limited(line, row, "consult_phone", MAX_PHONE),
            complaint_phone=self._limited(line, row, "complain_phone", MAX_COMPLAINT_PHONE),
            online_available=online,
            online_where=(self._limited(line, row, "bear_paltform", MAX_URL) or source_url) if online else None,
            booking_where=self._limited(line, row, "online_book_addr", MAX_URL),
            courier=_COURIER.get(clean(row.get("courier_service"))),
            audience=[clean(a) for a in audience if clean(a)] if isinstance(audience, list) else [],
            joint_departments=clean(row.get("co_department")) or None,
            source_url=source_url,
            visits=visits or 0,
            unpublished=sorted(set(unpublished)),
        )

    def _materials(self, line: int, row: dict) -> list[str]:
        listed = row.get("material_intro")
        if not isinstance(listed, list):
            if clean(listed):
                self._problem(line, row, "material_intro", t.IMPORT_BAD_MATERIALS, rejected=False)
            return []
        names = []
        for no, material in enumerate(listed, start=1):
            if not clean(material):
                self._problem(line, row, "material_intro", t.IMPORT_BAD_MATERIAL.format(no=no), rejected=False)
                continue
            names.append(clean(material)[:200])
        return list(dict.fromkeys(names))

    def departments(self) -> list[ImportedDepartment]:
        """One per organisation code: its contacts are those most of its items give."""
        return [self._department(code, rows) for code, rows in sorted(self.department_rows.items())]

    @staticmethod
    def _department(code: str, rows: list[dict]) -> ImportedDepartment:
        def most_common(values: list[str], limit: int) -> str:
            fitting = Counter(v for v in values if v and len(v) <= limit)
            return fitting.most_common(1)[0][0] if fitting else t.UNPUBLISHED

        name = most_common([clean(r.get("DEPT_NAME")) for r in rows], MAX_NAME)
        places = [clean(r.get("handle_location")).removeprefix(_PLACE_PREFIX).strip() for r in rows]
        window = most_common([p for p in places if p != "无线下办理窗口"], MAX_PLACE)
        short = next((name.removeprefix(p) for p in _AREA_PREFIXES if name.startswith(p)), name)
        return ImportedDepartment(
            code=code,
            name=name,
            short_name=short[:50],
            level=Counter(LEVELS[clean(r["matter_level"])] for r in rows).most_common(1)[0][0],
            window=window,
            address=window,
            hours=t.UNPUBLISHED,
            phone=most_common([clean(r.get("consult_phone")) for r in rows], MAX_DEPARTMENT_PHONE),
            complaint_phone=most_common([clean(r.get("complain_phone")) for r in rows], MAX_DEPARTMENT_PHONE),
        )
