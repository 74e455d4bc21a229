"""Load, validate and upsert service/seed/bundles.yaml; run by service.seeding in the catalogue's transaction.

Every step is checked against the catalogue (item codes, situations, material names) and the
one-window hall against halls.yaml before anything is written, so a bundle never names an item
or a window that does not exist.
"""

import hashlib
import json
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from service.booking.seed_schemas import HallsSeed
from service.bundles.models import Bundle, BundleStep
from service.bundles.seed_schemas import BundleSeed, BundlesSeed
from service.catalogue.models import Item
from service.catalogue.seed_schemas import CatalogueSeed, ItemSeed
from service.core.seed_files import SeedError, format_errors, read_yaml

BUNDLES_FILE = "bundles.yaml"


def load_bundles(seed_dir: Path, catalogue: CatalogueSeed, halls: HallsSeed | None) -> BundlesSeed | None:
    """Validate bundles.yaml against the catalogue and the halls; None when the seed has none."""
    path = seed_dir / BUNDLES_FILE
    if not path.is_file():
        return None
    raw = read_yaml(path)
    try:
        bundles = BundlesSeed.model_validate(raw)
    except ValidationError as exc:
        raise SeedError(format_errors(path, raw, exc)) from exc
    items = {item.code: item for _, item in catalogue.items()}
    windows = {(h.code, w.code) for h in (halls.halls if halls else []) for w in h.windows}
    for bundle in bundles.bundles:
        problems = _problems(bundle, items, windows)
        if problems:
            raise SeedError(
                "\n  - ".join([f"{path.name}: bundle {bundle.code} ({bundle.name}):", *problems])
            )
    return bundles


def _problems(bundle: BundleSeed, items: dict[str, ItemSeed], windows: set[tuple[str, str]]) -> list[str]:
    problems = []
    for no, step in enumerate(bundle.steps, start=1):
        if step.item is None:
            continue
        item = items.get(step.item)
        if item is None:
            problems.append(
                f"step {no}: item {step.item} is not in the catalogue "
                "(a step the catalogue lacks is written as `outside`)"
            )
        elif step.situation and step.situation not in {s.id for s in item.situations}:
            problems.append(f"step {no}: item {step.item} has no situation {step.situation}")
    for situation in bundle.situations:
        for code, key in situation.steps.items():
            if code in items and key not in {s.id for s in items[code].situations}:
                problems.append(f"situation {situation.id}: item {code} has no situation {key}")
    names = {m.name for step in bundle.steps if step.item in items for m in items[step.item].materials}
    for merged, forms in bundle.same_materials.items():
        unknown = [form for form in forms if form not in names]
        if unknown:
            problems.append(f"same_materials {merged}: no item of the bundle has the materials {unknown}")
    if bundle.window and (bundle.window.hall, bundle.window.window) not in windows:
        problems.append(f"window {bundle.window.hall}/{bundle.window.window} is not in halls.yaml")
    return problems


def _digest(bundle: BundleSeed, position: int) -> str:
    payload = {"position": position, **bundle.model_dump(mode="json")}
    return hashlib.sha256(
        json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    ).hexdigest()


def import_bundles(session: Session, bundles: BundlesSeed) -> list[str]:
    """Upsert bundles by code, replacing the steps of changed ones and dropping bundles the seed
    no longer has (nothing refers to a bundle); returns the codes created, changed or dropped."""
    existing = {b.code: b for b in session.scalars(select(Bundle).options(selectinload(Bundle.steps)))}
    item_ids = {code: item_id for code, item_id in session.execute(select(Item.code, Item.id))}
    changed: list[str] = []
    for position, seed in enumerate(bundles.bundles, start=1):
        digest = _digest(seed, position)
        bundle = existing.pop(seed.code, None)
        if bundle is not None and bundle.seed_hash == digest:
            continue
        if bundle is None:
            bundle = Bundle(code=seed.code)
            session.add(bundle)
        bundle.name = seed.name
        bundle.summary = seed.summary
        bundle.aliases = list(seed.aliases)
        bundle.keywords = list(seed.keywords)
        bundle.hall_code = seed.window.hall if seed.window else None
        bundle.window_code = seed.window.window if seed.window else None
        bundle.window_note = seed.window.note if seed.window else None
        bundle.same_materials = {name: list(forms) for name, forms in seed.same_materials.items()}
        bundle.situations = [s.model_dump(mode="json") for s in seed.situations]
        bundle.position = position
        bundle.seed_hash = digest
        bundle.steps.clear()
        session.flush()  # delete the old steps before their successors hit the unique key
        bundle.steps.extend(
            BundleStep(
                position=no,
                key=step.key,
                item_id=item_ids[step.item] if step.item else None,
                situation_key=step.situation,
                outside=step.outside.model_dump(mode="json") if step.outside else None,
                after=list(step.after),
                when=step.when,
                note=step.note,
            )
            for no, step in enumerate(seed.steps, start=1)
        )
        changed.append(seed.code)
    for stale in existing.values():
        session.delete(stale)
        changed.append(stale.code)
    return changed
