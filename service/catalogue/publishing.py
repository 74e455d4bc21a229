"""Publishing the imported catalogue as versions: import a provincial export, list the versions,
publish an earlier one again (rollback).

Each publication is one transaction and one CatalogueVersion row holding who, when, from what,
the counts and the whole published content. Only items and departments of origin `import` are
touched: the hand-kept YAML items (origin `seed`) are another source and are never changed, and
an export row with a hand-kept code is rejected. Publishing what is already there changes nothing
and records no version.
"""

import hashlib
import json
import lzma
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from service.catalogue.guide_import import (
    ExportReading,
    ImportedDepartment,
    ImportedItem,
    Problem,
    Published,
    read_export,
)
from service.catalogue.models import (
    CatalogueVersion,
    Department,
    Item,
    Material,
    Origin,
)
from service.catalogue.search import invalidate_search_index
from service.catalogue.service import invalidate_notices
from service.core import generations
from service.core import templates as t
from service.core.errors import NotFoundError

SAMPLE_SIZE = 5


@dataclass
class Changes:
    """What publishing a content does to the imported part of the catalogue."""

    added: list[ImportedItem] = field(default_factory=list)
    changed: list[ImportedItem] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    unchanged: int = 0
    departments: list[ImportedDepartment] = field(default_factory=list)  # new or changed
    conflicts: list[Problem] = field(default_factory=list)  # rows that would clobber a hand-kept one

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed or self.departments)

    def summary(self) -> str:
        return t.IMPORT_REPORT_CHANGES.format(
            added=len(self.added), changed=len(self.changed), removed=len(self.removed),
            unchanged=self.unchanged, departments=len(self.departments),
        )

    def samples(self) -> list[str]:
        """The first few items of each kind of change."""
        lines = []
        for kind, pairs in (
            ("added", [(i.code, i.name) for i in self.added]),
            ("changed", [(i.code, i.name) for i in self.changed]),
            ("removed", self.removed),
        ):
            label = t.IMPORT_REPORT_LABELS[kind]
            lines += [t.IMPORT_REPORT_SAMPLE.format(label=label, code=c, name=n) for c, n in pairs[:SAMPLE_SIZE]]
            if len(pairs) > SAMPLE_SIZE:
                lines.append(t.IMPORT_REPORT_SAMPLE_MORE.format(label=label, count=len(pairs) - SAMPLE_SIZE))
        return lines


@dataclass
class Publication:
    changes: Changes
    version: CatalogueVersion | None  # None: nothing changed (or a dry run)


def item_hash(item: ImportedItem) -> str:
    canonical = json.dumps(item.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _department_values(department: ImportedDepartment) -> dict:
    return department.model_dump()


def plan(session: Session, content: Published) -> Changes:
    """Compare `content` with the imported items in the database; writes nothing."""
    changes = Changes()
    seed_items = dict(session.execute(select(Item.code, Item.name).where(Item.origin == Origin.SEED)).all())
    seed_departments = set(session.scalars(select(Department.code).where(Department.origin == Origin.SEED)))
    current = {
        code: (name, digest)
        for code, name, digest in session.execute(
            select(Item.code, Item.name, Item.seed_hash).where(Item.origin == Origin.IMPORT)
        )
    }
    kept: set[str] = set()
    for item in content.items:
        if item.code in seed_items:
            reason = t.IMPORT_SEED_CODE.format(name=seed_items[item.code])
            changes.conflicts.append(Problem(None, item.code, item.name, "TASK_CODE", reason, rejected=True))
            continue
        if item.department in seed_departments:
            reason = t.IMPORT_SEED_DEPARTMENT.format(code=item.department)
            changes.conflicts.append(Problem(None, item.code, item.name, "ORGCODE", reason, rejected=True))
            continue
        kept.add(item.code)
        if item.code not in current:
            changes.added.append(item)
        elif current[item.code][1] != item_hash(item):
            changes.changed.append(item)
        else:
            changes.unchanged += 1
    changes.removed = sorted((code, name) for code, (name, _) in current.items() if code not in kept)
    existing = {d.code: d for d in session.scalars(select(Department).where(Department.origin == Origin.IMPORT))}
    for department in content.departments:
        row = existing.get(department.code)
        values = _department_values(department)
        if row is None or any(getattr(row, k) != v for k, v in values.items()):
            changes.departments.append(department)
    return changes


def _without_conflicts(content: Published, changes: Changes) -> Published:
    refused = {p.code for p in changes.conflicts}
    items = [i for i in content.items if i.code not in refused]
    used = {i.department for i in items}
    return Published(departments=[d for d in content.departments if d.code in used], items=items)


def _write(session: Session, changes: Changes) -> None:
    departments = {d.code: d for d in session.scalars(select(Department).where(Department.origin == Origin.IMPORT))}
    for department in changes.departments:
        row = departments.get(department.code)
        if row is None:
            row = departments[department.code] = Department(origin=Origin.IMPORT)
            session.add(row)
        for key, value in _department_values(department).items():
            setattr(row, key, value)
    touched = changes.changed + changes.added
    existing = {
        i.code: i
        for i in session.scalars(
            select(Item)
            .where(Item.code.in_([i.code for i in changes.changed]))
            .options(selectinload(Item.materials))
        )
    } if changes.changed else {}
    for item in touched:
        row = existing.get(item.code)
        if row is None:
            row = Item(code=item.code, origin=Origin.IMPORT, handled_here=True, related=[], process=[],
                       handled_by=None)
            session.add(row)
        else:
            row.materials.clear()
        values = item.model_dump(exclude={"code", "department", "materials"})
        for key, value in values.items():
            setattr(row, key, value)
        row.department = departments[item.department]
        row.seed_hash = item_hash(item)
        # The export names each material and nothing more (Unpublished.MATERIAL_DETAILS).
        row.materials.extend(Material(position=n, name=name) for n, name in enumerate(item.materials, 1))
    if changes.removed:
        codes = [code for code, _ in changes.removed]
        for row in session.scalars(select(Item).where(Item.code.in_(codes), Item.origin == Origin.IMPORT)):
            session.delete(row)
    session.flush()
    # A department whose last imported item went away goes too.
    used = select(Item.department_id).distinct().scalar_subquery()
    session.execute(
        delete(Department).where(Department.origin == Origin.IMPORT, Department.id.not_in(used))
    )


def _pack(content: Published) -> bytes:
    return lzma.compress(content.model_dump_json().encode("utf-8"))


def _unpack(blob: bytes) -> Published:
    return Published.model_validate_json(lzma.decompress(blob))


def _publish(
    session: Session, content: Published, *, changes: Changes, created_by: str, source: str,
    sha256: str | None, rejected: int, restores: int | None,
) -> CatalogueVersion | None:
    if changes.empty:
        return None
    _write(session, changes)
    # Every service process sees the new generation and drops its caches (service.seeding).
    generations.bump(session, generations.CATALOGUE)
    version = CatalogueVersion(
        created_by=created_by,
        source=source,
        source_sha256=sha256,
        restores=restores,
        items=len(content.items),
        added=len(changes.added),
        changed=len(changes.changed),
        removed=len(changes.removed),
        rejected=rejected,
        content=_pack(content),
    )
    session.add(version)
    session.flush()
    return version


def import_export(session: Session, path: Path, *, created_by: str, dry_run: bool) -> tuple[ExportReading, Publication]:
    """Read the export and publish it as a new version in one transaction (or only plan it).

    Raises guide_import.ExportFileError when the file cannot be read at all."""
    reading = read_export(path)
    with session.begin():
        changes = plan(session, reading.published)
        reading.problems.extend(replace(p, line=reading.lines.get(p.code)) for p in changes.conflicts)
        content = _without_conflicts(reading.published, changes)
        if dry_run:
            return reading, Publication(changes=changes, version=None)
        version = _publish(
            session, content, changes=changes, created_by=created_by, source=reading.source,
            sha256=reading.sha256, rejected=len(reading.rejected), restores=None,
        )
    _drop_caches()
    return reading, Publication(changes=changes, version=version)


def versions(session: Session) -> list[CatalogueVersion]:
    return list(session.scalars(select(CatalogueVersion).order_by(CatalogueVersion.id)))


def current_version(session: Session) -> int:
    return session.scalar(select(func.max(CatalogueVersion.id))) or 0


def rollback(session: Session, version: int, *, created_by: str, dry_run: bool = False) -> Publication:
    """Publish version `version`'s content again, as a new version; 0 is the catalogue with
    nothing imported. Raises NotFoundError for an unknown version."""
    with session.begin():
        if version == 0:
            content = Published()
        else:
            row = session.get(CatalogueVersion, version)
            if row is None:
                known = ", ".join(str(v.id) for v in versions(session)) or "无"
                raise NotFoundError(t.ROLLBACK_UNKNOWN_VERSION.format(version=version, known=known))
            content = _unpack(row.content)
        changes = plan(session, content)
        content = _without_conflicts(content, changes)
        if dry_run:
            return Publication(changes=changes, version=None)
        published = _publish(
            session, content, changes=changes, created_by=created_by, source=f"rollback to version {version}",
            sha256=None, rejected=len(changes.conflicts), restores=version,
        )
    _drop_caches()
    return Publication(changes=changes, version=published)


def _drop_caches() -> None:
    # This process's at once; the others when they see the generation bumped with the version.
    invalidate_search_index()
    invalidate_notices()
