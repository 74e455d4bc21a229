"""Load, validate and upsert the catalogue seed (service/seed/) into the database.

Validation happens for every file before anything is written; the upsert then runs in one
transaction, keyed by department code and item code, and skips entries whose content is
unchanged, so running it twice changes nothing.
"""

import hashlib
import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from service.catalogue.models import (
    Department,
    Hall,
    Item,
    Material,
    Origin,
    Situation,
    material_facts,
)
from service.catalogue.seed_schemas import (
    CatalogueFileSeed,
    CatalogueSeed,
    DepartmentSeed,
    HallSeed,
    ItemSeed,
)
from service.catalogue.variants import load_variants
from service.core.seed_files import SeedError, format_errors, read_yaml

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    departments_changed: list[str] = field(default_factory=list)
    hall_changed: bool = False
    booking_halls_changed: list[str] = field(default_factory=list)
    bundles_changed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"items: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged; departments changed: {len(self.departments_changed)}; "
            f"hall changed: {self.hall_changed}; booking halls changed: {len(self.booking_halls_changed)}; "
            f"bundles changed: {len(self.bundles_changed)}"
        )


def load_seed(seed_dir: Path) -> CatalogueSeed:
    """Read and validate hall.yaml, catalogue/*.yaml and variants.yaml; raise SeedError on any problem."""
    hall_path = seed_dir / "hall.yaml"
    if not hall_path.is_file():
        raise SeedError(f"{hall_path}: missing")
    raw_hall = read_yaml(hall_path)
    try:
        hall = HallSeed.model_validate(raw_hall)
    except ValidationError as exc:
        raise SeedError(format_errors(hall_path, raw_hall, exc)) from exc

    files: list[CatalogueFileSeed] = []
    for path in sorted((seed_dir / "catalogue").glob("*.yaml")):
        raw = read_yaml(path)
        try:
            parsed = CatalogueFileSeed.model_validate(raw)
        except ValidationError as exc:
            raise SeedError(format_errors(path, raw, exc)) from exc
        if parsed.department.code != path.stem:
            raise SeedError(
                f"{path.name}: department code {parsed.department.code} must match the file name"
            )
        files.append(parsed)

    seed = CatalogueSeed(hall=hall, files=files, variants=load_variants(seed_dir))
    _check_across_files(seed)
    return seed


def _check_across_files(seed: CatalogueSeed) -> None:
    where: dict[str, str] = {}
    for file in seed.files:
        for item in file.items:
            if item.code in where:
                raise SeedError(
                    f"{file.department.code}.yaml: item {item.code} ({item.name}): "
                    f"code already used in {where[item.code]}"
                )
            where[item.code] = f"{file.department.code}.yaml"
    for department, item in seed.items():
        missing = [code for code in item.related if code not in where]
        if missing:
            raise SeedError(
                f"{department.code}.yaml: item {item.code} ({item.name}): "
                f"related codes not in the catalogue: {missing}"
            )
    # Shared aliases make search ambiguous; warn here, the catalogue tests make it fail.
    owners = Counter(alias for _, item in seed.items() for alias in set(item.aliases))
    for alias, count in sorted(owners.items()):
        if count > 1:
            log.warning("alias %s is used by %d items", alias, count)


def _content_hash(payload: Any) -> str:
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _item_fields(item: ItemSeed) -> dict[str, Any]:
    return {
        "name": item.name,
        "type": item.type,
        "level": item.level,
        "basis": item.basis,
        "aliases": list(item.aliases),
        "keywords": list(item.keywords),
        "handled_here": item.handled_here,
        "handled_by": item.handled_by.model_dump(exclude_none=True) if item.handled_by else None,
        "conditions": list(item.conditions),
        "process": list(item.process),
        "legal_days": item.time_limit.legal_days,
        "promised_days": item.time_limit.promised_days,
        "time_limit_note": item.time_limit.note,
        "fee_amount": item.fee.amount,
        "fee_basis": item.fee.basis,
        "place": item.place,
        "hours": item.hours,
        "phone": item.phone,
        "online_available": item.online.available,
        "online_where": item.online.where,
        "online_note": item.online.note,
        "visits": item.visits,
        "related": list(item.related),
    }


def _upsert_hall(session: Session, hall_seed: HallSeed) -> bool:
    values = hall_seed.model_dump()
    hall = session.scalars(select(Hall).order_by(Hall.id)).first()
    if hall is None:
        session.add(Hall(**values))
        return True
    changed = {k: v for k, v in values.items() if getattr(hall, k) != v}
    for key, value in changed.items():
        setattr(hall, key, value)
    return bool(changed)


def _upsert_department(
    session: Session, seed: DepartmentSeed, existing: dict[str, Department]
) -> tuple[Department, bool]:
    values = seed.model_dump()
    department = existing.get(seed.code)
    if department is None:
        department = Department(**values)
        session.add(department)
        existing[seed.code] = department
        return department, True
    changed = {k: v for k, v in values.items() if getattr(department, k) != v}
    for key, value in changed.items():
        setattr(department, key, value)
    return department, bool(changed)


def _replace_children(session: Session, item: Item, seed: ItemSeed) -> None:
    # Materials and situations have no identity of their own: the seed's list replaces them.
    item.materials.clear()
    item.situations.clear()
    session.flush()  # delete the old rows before their successors hit the unique keys
    situations = {
        s.id: Situation(key=s.id, name=s.name, description=s.description, position=i)
        for i, s in enumerate(seed.situations, start=1)
    }
    item.situations.extend(situations.values())
    for position, m in enumerate(seed.materials, start=1):
        item.materials.append(
            Material(
                position=position,
                **material_facts(m),
                situations=[situations[key] for key in m.situations],
            )
        )


def import_seed(session: Session, seed: CatalogueSeed) -> ImportReport:
    """Upsert the validated seed; the caller owns the transaction (commit or roll back)."""
    report = ImportReport(hall_changed=_upsert_hall(session, seed.hall))
    departments = {d.code: d for d in session.scalars(select(Department).where(Department.origin == Origin.SEED))}
    # An imported item (catalogue.publishing) is another source: the YAML must not take its code.
    imported = dict(session.execute(select(Item.code, Item.name).where(Item.origin == Origin.IMPORT)).all())
    clashes = sorted(f"{item.code}（{imported[item.code]}）" for _, item in seed.items() if item.code in imported)
    if clashes:
        raise SeedError(f"item codes already used by imported items: {', '.join(clashes)}")
    items = {
        i.code: i
        for i in session.scalars(
            select(Item).where(Item.origin == Origin.SEED).options(
                selectinload(Item.materials).selectinload(Material.situations),
                selectinload(Item.situations),
            )
        )
    }
    for file in seed.files:
        department, changed = _upsert_department(session, file.department, departments)
        if changed:
            report.departments_changed.append(department.code)
        for item_seed in file.items:
            digest = _content_hash(item_seed.model_dump(mode="json"))
            item = items.get(item_seed.code)
            if item is not None and item.seed_hash == digest and item.department is department:
                report.unchanged.append(item_seed.code)
                continue
            if item is None:
                item = Item(code=item_seed.code)
                session.add(item)
                items[item_seed.code] = item
                report.created.append(item_seed.code)
            else:
                report.updated.append(item_seed.code)
            for key, value in _item_fields(item_seed).items():
                setattr(item, key, value)
            item.department = department
            item.seed_hash = digest
            _replace_children(session, item, item_seed)
    stale = sorted(set(items) - {item.code for _, item in seed.items()})
    if stale:
        log.warning("items in the database but not in the seed (left in place): %s", stale)
    return report
