"""Seeding the database from service/seed/: the catalogue, the booking halls and the life-event
bundles in one transaction.

Above the domains: it is the one place that knows every importer and the caches they feed.
"""

from pathlib import Path

from sqlalchemy.orm import Session

from service.booking.importer import import_halls, load_halls
from service.bundles.importer import import_bundles, load_bundles
from service.bundles.search import invalidate_bundle_index
from service.catalogue.importer import ImportReport, import_seed, load_seed
from service.catalogue.search import invalidate_search_index
from service.catalogue.service import invalidate_notices


def seed_database(*, seed_dir: Path, session: Session) -> ImportReport:
    """Validate everything (catalogue, halls.yaml, bundles.yaml), then upsert in one transaction;
    drops the search indexes and the cached notices so they are rebuilt from the new catalogue."""
    catalogue = load_seed(seed_dir)
    halls = load_halls(seed_dir, catalogue)
    bundles = load_bundles(seed_dir, catalogue, halls)
    with session.begin():
        report = import_seed(session, catalogue)
        if halls is not None:
            report.booking_halls_changed = import_halls(session, halls)
        if bundles is not None:
            session.flush()  # new items get their ids before steps refer to them
            report.bundles_changed = import_bundles(session, bundles)
    invalidate_search_index()
    invalidate_bundle_index()
    invalidate_notices()
    return report
