"""Seeding the database from service/seed/: the catalogue, the booking halls and the life-event
bundles in one transaction.

Above the domains: it is the one place that knows every importer and the caches they feed. Those
caches (search indexes, notices) live in each service process; an import bumps the catalogue's
generation in the database with its data, and every process drops its caches when it sees a newer
one (`drop_stale_caches`), so a re-seed by the CLI or by another worker reaches them all.
"""

import threading
import time
from pathlib import Path

from sqlalchemy.orm import Session

from service.booking.importer import import_halls, load_halls
from service.bundles.importer import import_bundles, load_bundles
from service.bundles.search import invalidate_bundle_index
from service.catalogue.importer import ImportReport, import_seed, load_seed
from service.catalogue.search import invalidate_search_index
from service.catalogue.service import invalidate_notices
from service.core import generations

def seed_database(*, seed_dir: Path, session: Session) -> ImportReport:
    """Validate everything (catalogue, halls.yaml, bundles.yaml), then upsert in one transaction with a
    new catalogue generation; drops this process's search indexes and cached notices at once (other
    processes when they see the generation) so they are rebuilt from the new catalogue."""
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
        generations.bump(session, generations.CATALOGUE)
    _drop_catalogue_caches()
    return report


def _drop_catalogue_caches() -> None:
    invalidate_search_index()
    invalidate_bundle_index()
    invalidate_notices()


class _SeenGenerations:
    """Per database: the catalogue generation this process's caches are known to be built from
    (or newer), and when it last looked."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: dict[str, int] = {}
        self._checked_at: dict[str, float] = {}

    def due(self, url: str, every_s: float) -> bool:
        with self._lock:
            if time.monotonic() - self._checked_at.get(url, float("-inf")) < every_s:
                return False
            self._checked_at[url] = time.monotonic()
            return True

    def changed(self, url: str, generation: int) -> bool:
        with self._lock:
            changed = self._generation.get(url) != generation
            self._generation[url] = generation
            return changed


_seen = _SeenGenerations()


def drop_stale_caches(session: Session, *, every_s: float) -> None:
    """Drops the catalogue caches when the catalogue has been imported (by any process) since this
    one last looked (and the first time it looks); looks at most every `every_s` seconds.

    The generation is read before the caches it vouches for are used, so a cache built meanwhile
    from newer data is at worst dropped once more than needed, never kept when stale."""
    url = str(session.get_bind().url)
    if _seen.due(url, every_s) and _seen.changed(url, generations.current(session, generations.CATALOGUE)):
        _drop_catalogue_caches()
