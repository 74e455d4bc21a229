"""Load, validate and upsert service/seed/halls.yaml; run by service.seeding in the catalogue's transaction."""

import hashlib
import json
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from service.booking.models import BookingHall, CapacityGroup, HallWindow
from service.booking.seed_schemas import HallsSeed
from service.catalogue.seed_schemas import CatalogueSeed
from service.core.seed_files import SeedError, format_errors, read_yaml

HALLS_FILE = "halls.yaml"


def load_halls(seed_dir: Path, catalogue: CatalogueSeed) -> HallsSeed | None:
    """Validate halls.yaml against the catalogue; None when the seed has no halls.yaml."""
    path = seed_dir / HALLS_FILE
    if not path.is_file():
        return None
    raw = read_yaml(path)
    try:
        halls = HallsSeed.model_validate(raw)
    except ValidationError as exc:
        raise SeedError(format_errors(path, raw, exc)) from exc
    items = {item.code for _, item in catalogue.items()}
    departments = {f.department.code for f in catalogue.files}
    for hall in halls.halls:
        listed: dict[str, str] = {}
        for group in hall.groups:
            unknown = [c for c in group.items if c not in items] + [
                d for d in group.departments if d not in departments
            ]
            if unknown:
                raise SeedError(f"{path.name}: hall {hall.code} group {group.code}: not in the catalogue: {unknown}")
            for code in group.items:
                if code in listed:
                    raise SeedError(
                        f"{path.name}: hall {hall.code}: item {code} in groups {listed[code]} and {group.code}"
                    )
                listed[code] = group.code
    return halls


def import_halls(session: Session, halls: HallsSeed) -> list[str]:
    """Upsert halls by code, replacing windows and groups of changed halls; returns changed codes."""
    existing = {
        h.code: h
        for h in session.scalars(
            select(BookingHall).options(selectinload(BookingHall.windows), selectinload(BookingHall.groups))
        )
    }
    changed: list[str] = []
    for seed in halls.halls:
        payload = seed.model_dump(mode="json")
        digest = hashlib.sha256(
            json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        ).hexdigest()
        hall = existing.get(seed.code)
        if hall is not None and hall.seed_hash == digest:
            continue
        if hall is None:
            hall = BookingHall(code=seed.code)
            session.add(hall)
        hall.name, hall.address, hall.phone = seed.name, seed.address, seed.phone
        hall.slots, hall.seed_hash = list(seed.slots), digest
        hall.policy = seed.policy.model_dump(exclude_none=True) or None
        hall.windows.clear()
        hall.groups.clear()
        session.flush()  # delete the old rows before their successors hit the unique keys
        hall.windows.extend(
            HallWindow(code=w.code, name=w.name, slots=list(w.slots or seed.slots), position=i)
            for i, w in enumerate(seed.windows, start=1)
        )
        hall.groups.extend(
            CapacityGroup(
                code=g.code,
                name=g.name,
                window_code=g.window,
                capacity=g.capacity,
                slot_capacity=dict(g.slot_capacity),
                item_codes=list(g.items),
                department_codes=list(g.departments),
                position=i,
            )
            for i, g in enumerate(seed.groups, start=1)
        )
        changed.append(seed.code)
    return changed
