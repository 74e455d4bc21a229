"""Seeding the database from service/seed/: the catalogue and the booking halls in one transaction.

Above the domains: it is the one place that knows both importers and the caches they feed.
"""

from pathlib import Path

from sqlalchemy.orm import Session

from service.booking.importer import import_halls, load_halls
from service.catalogue.importer import ImportReport, import_seed, load_seed
from service.catalogue.search import invalidate_search_index
from service.catalogue.service import invalidate_notices


def seed_database(*, seed_dir: Path, session: Session) -> ImportReport:
    """Validate everything (catalogue and halls.yaml), then upsert in one transaction; drops the
    search index and the cached notices so they are rebuilt from the new catalogue."""
    catalogue = load_seed(seed_dir)
    halls = load_halls(seed_dir, catalogue)
    with session.begin():
        report = import_seed(session, catalogue)
        if halls is not None:
            report.booking_halls_changed = import_halls(session, halls)
    invalidate_search_index()
    invalidate_notices()
    return report
