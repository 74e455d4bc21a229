"""Command line: python -m service.cli {migrate,seed,export-nlu,export-review,import-guides,catalogue-versions,
rollback-catalogue,outbox}."""

import argparse
import getpass
import logging
import sys
from pathlib import Path

from service.core.settings import REPO_ROOT, get_settings


def migrate(_args: argparse.Namespace) -> int:
    from service.migrate import upgrade_database

    upgrade_database()
    print("database at head")
    return 0


def seed(args: argparse.Namespace) -> int:
    from service.core.db import get_session_factory
    from service.core.seed_files import SeedError
    from service.seeding import seed_database

    try:
        with get_session_factory()() as session:
            report = seed_database(seed_dir=args.seed_dir, session=session)
    except SeedError as exc:
        print(f"seed rejected, nothing written:\n{exc}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def export_nlu(args: argparse.Namespace) -> int:
    from service.booking.importer import load_halls
    from service.bundles.importer import load_bundles
    from service.bundles.nlu_export import render_life_event_lookup
    from service.catalogue.importer import load_seed
    from service.catalogue.nlu_export import NO_TERMS, imported_terms, write_if_changed
    from service.catalogue.nlu_export import export_nlu as write_files
    from service.core.db import get_session_factory
    from service.core.seed_files import SeedError

    settings = get_settings()
    try:
        catalogue = load_seed(args.seed_dir)
        bundles = load_bundles(args.seed_dir, catalogue, load_halls(args.seed_dir, catalogue))
    except SeedError as exc:
        print(f"seed rejected, nothing written:\n{exc}", file=sys.stderr)
        return 1
    imported = NO_TERMS
    if args.with_imported:
        with get_session_factory()() as session:
            imported = imported_terms(session)
        print(f"imported items from the database: {len(imported[0])}")
    changed = write_files(
        seed=catalogue, userdict_path=settings.JIEBA_DICT_PATH, lookup_path=settings.NLU_LOOKUP_PATH,
        imported=imported,
    )
    paths = [settings.JIEBA_DICT_PATH, settings.NLU_LOOKUP_PATH]
    if bundles is not None:
        # Beside the items' lookup: data/nlu/lookups/life_event.yml.
        life_events = settings.NLU_LOOKUP_PATH.with_name("life_event.yml")
        paths.append(life_events)
        if write_if_changed(life_events, render_life_event_lookup(bundles, catalogue)):
            changed.append(life_events)
    for path in paths:
        print(f"{path}: {'written' if path in changed else 'up to date'}")
    return 0


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return "unknown"


def import_guides(args: argparse.Namespace) -> int:
    """Read a provincial export, print the validation report, publish it as a version (or only plan it)."""
    from service.catalogue.guide_import import IGNORED_FIELDS, ExportFileError
    from service.catalogue.publishing import import_export
    from service.core import templates as t
    from service.core.db import get_session_factory

    with get_session_factory()() as session:
        try:
            reading, publication = import_export(
                session, args.path, created_by=args.by or _operator(), dry_run=args.dry_run
            )
        except ExportFileError as exc:
            print(exc, file=sys.stderr)
            return 1
        rejected = reading.rejected
        print(t.IMPORT_REPORT_READ.format(
            source=reading.source, sha256=reading.sha256[:12], rows=reading.rows,
            items=reading.rows - len(rejected), rejected=len(rejected), fields=len(reading.problems) - len(rejected),
        ))
        print(t.IMPORT_REPORT_PROBLEMS if reading.problems else t.IMPORT_REPORT_NO_PROBLEMS)
        for problem in reading.problems:
            print("  " + problem.text())
        print(t.IMPORT_REPORT_IGNORED.format(fields=t.LIST_SEPARATOR.join(
            t.IMPORT_REPORT_IGNORED_FIELD.format(name=name, why=why) for name, why in IGNORED_FIELDS.items()
        )))
        counts = reading.unpublished_counts()
        print(t.IMPORT_REPORT_UNPUBLISHED.format(counts=t.LIST_SEPARATOR.join(
            t.IMPORT_REPORT_UNPUBLISHED_COUNT.format(fact=t.UNPUBLISHED_LABELS[fact.value], count=count)
            for fact, count in sorted(counts.items())
        )))
        if _print_changes(session, publication, dry_run=args.dry_run):
            _print_published(publication.version)
    return 0


def _print_changes(session, publication, *, dry_run: bool) -> bool:
    """What a publication adds, changes and removes; True when it was published as a new version."""
    from service.catalogue.publishing import current_version
    from service.core import templates as t

    if dry_run:
        print(t.IMPORT_REPORT_DRY_RUN)
    print(publication.changes.summary())
    for line in publication.changes.samples():
        print(line)
    if dry_run:
        return False
    if publication.version is None:
        print(t.IMPORT_REPORT_NOTHING.format(version=current_version(session)))
        return False
    return True


def _print_published(version) -> None:
    from service.core import templates as t

    # Undoing a publication is publishing the version before it again.
    print(t.IMPORT_REPORT_VERSION.format(
        version=version.id, by=version.created_by, when=f"{version.created_at:%Y-%m-%d %H:%M} UTC",
        previous=version.id - 1,
    ))
    print(t.IMPORT_REPORT_NEXT)


def catalogue_versions(_args: argparse.Namespace) -> int:
    from service.catalogue.publishing import versions
    from service.core import templates as t
    from service.core.db import get_session_factory

    with get_session_factory()() as session:
        found = versions(session)
    if not found:
        print(t.VERSIONS_NONE)
        return 0
    print(t.VERSIONS_HEADER)
    for v in found:
        print(t.VERSIONS_LINE.format(
            mark="*" if v is found[-1] else " ", id=v.id, when=f"{v.created_at:%Y-%m-%d %H:%M:%S}",
            by=v.created_by, items=v.items, added=v.added, changed=v.changed, removed=v.removed,
            rejected=v.rejected, source=v.source,
        ))
    print(t.VERSIONS_CURRENT)
    return 0


def rollback_catalogue(args: argparse.Namespace) -> int:
    from service.catalogue.publishing import rollback
    from service.core import templates as t
    from service.core.db import get_session_factory
    from service.core.errors import NotFoundError

    with get_session_factory()() as session:
        try:
            publication = rollback(session, args.version, created_by=args.by or _operator(), dry_run=args.dry_run)
        except NotFoundError as exc:
            print(exc, file=sys.stderr)
            return 1
        if _print_changes(session, publication, dry_run=args.dry_run):
            print(t.ROLLBACK_DONE.format(restores=args.version, version=publication.version.id))
            _print_published(publication.version)
    return 0


def export_review(args: argparse.Namespace) -> int:
    """The review's labels as NLU data and a held-back set; the alias proposal as a diff, applied with --approve."""
    from service.catalogue.nlu_export import write_if_changed
    from service.core.db import get_session_factory
    from service.review import aliases, export

    with get_session_factory()() as session:
        examples = export.labelled_examples(session)
    if not examples:
        print("no reviewed messages yet: label some on the review page (/review) first; nothing written")
        return 0
    tests_nlu = REPO_ROOT / "tests" / "nlu"
    others = [tests_nlu / name for name in ("holdout.yml", "holdout_real.yml", "dev_real_style.yml", "dev_short.yml",
                                             "dev_short_out_of_scope.yml")]
    trained = export.training_texts(REPO_ROOT / "data" / "nlu", leaving_out=args.out_dir)
    train, held = export.split(examples, elsewhere_held_out=export.held_out_texts(others), trained_elsewhere=trained)
    outputs = {
        args.out_dir / "reviewed.yml": export.render_training(train),
        args.holdout: export.render_holdout(held),
        args.proposals / "catalogue_gaps.yml": export.render_gaps(examples),
    }
    change = aliases.alias_change(args.seed_dir / "catalogue", aliases.proposed(examples))
    outputs[args.proposals / "aliases.diff"] = change.diff()
    for path, content in outputs.items():
        print(f"{path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path}: "
              f"{'written' if write_if_changed(path, content) else 'up to date'}")
    print(f"{len(train)} message(s) to train on, {len(held)} held back, "
          f"{sum(e.kind == 'missing' for e in examples)} catalogue gap(s)")
    for reason in change.skipped:
        print(f"alias not proposed: {reason}")
    added = sum(len(new) for new in change.added.values())
    if not added:
        print("no new aliases to add")
    elif args.approve:
        aliases.apply(change)
        print(f"{added} alias(es) added to {len(change.files)} seed file(s); run `make db nlu-data` to use them")
    else:
        print(f"{added} alias(es) proposed: read {args.proposals / 'aliases.diff'}, then run again with --approve")
    return 0


def outbox(args: argparse.Namespace) -> int:
    """Counts per status, the parked messages, and replaying them (one id, or --all)."""
    from service.core.db import get_session_factory
    from service.core.errors import ConflictError, NotFoundError
    from service.outbox import store

    with get_session_factory()() as session:
        if args.action == "replay":
            ids = [m.id for m in store.parked(session, limit=100_000)] if args.all else args.ids
            try:
                for message_id in ids:
                    store.replay(session, message_id)
            except (NotFoundError, ConflictError) as refused:
                print(refused, file=sys.stderr)
                return 1
            session.commit()
            print(f"{len(ids)} message(s) back in the queue")
            return 0
        print("  ".join(f"{status}: {count}" for status, count in store.counts(session).items()))
        for message in store.parked(session):
            print(f"{message.id:>8}  {message.status.value:<13} {message.destination}/{message.kind:<13} "
                  f"order {message.ticket_number or '-':<22} tries {message.attempts}  {message.last_error or ''}")
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="python -m service.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="alembic upgrade head").set_defaults(run=migrate)
    for name, run, help_text in (
        ("seed", seed, "validate service/seed/ and upsert it into the database"),
        ("export-nlu", export_nlu, "write bot/jieba/userdict.txt and data/nlu/lookups/{service_item,life_event}.yml"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--seed-dir", type=Path, default=get_settings().SEED_DIR)
        command.set_defaults(run=run)
        if name == "export-nlu":
            command.add_argument(
                "--with-imported", action="store_true",
                help="also the imported items of the database (for a scratch export: set JIEBA_DICT_PATH and "
                "NLU_LOOKUP_PATH; the committed files hold the hand-kept catalogue only)",
            )
    guides = commands.add_parser(
        "import-guides", help="import a provincial catalogue export (JSON lines, plain or .xz) as a catalogue version"
    )
    guides.add_argument("path", type=Path, help="e.g. service/seed/reference/guangdong_service_guides.jsonl.xz")
    guides.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    guides.add_argument("--by", help="who publishes (default: the login name)")
    guides.set_defaults(run=import_guides)
    commands.add_parser(
        "catalogue-versions", help="list the versions of the imported catalogue"
    ).set_defaults(run=catalogue_versions)
    back = commands.add_parser(
        "rollback-catalogue", help="publish an earlier version of the imported catalogue again (0: nothing imported)"
    )
    back.add_argument("version", type=int)
    back.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    back.add_argument("--by", help="who publishes (default: the login name)")
    back.set_defaults(run=rollback_catalogue)
    review = commands.add_parser("export-review", help="write the review's labels as NLU data (data/nlu/review/), "
                                 "a held-back set (tests/nlu/review_holdout.yml) and the alias proposal")
    review.add_argument("--seed-dir", type=Path, default=get_settings().SEED_DIR)
    review.add_argument("--out-dir", type=Path, default=REPO_ROOT / "data" / "nlu" / "review")
    review.add_argument("--holdout", type=Path, default=REPO_ROOT / "tests" / "nlu" / "review_holdout.yml")
    review.add_argument("--proposals", type=Path, default=REPO_ROOT / "var" / "review",
                        help="where the alias diff and the catalogue gaps go")
    review.add_argument("--approve", action="store_true", help="add the proposed aliases to the seed files")
    review.set_defaults(run=export_review)
    queue = commands.add_parser("outbox", help="list parked outbox messages, or replay them")
    queue.add_argument("action", choices=["list", "replay"], nargs="?", default="list")
    queue.add_argument("ids", type=int, nargs="*", help="the messages to replay")
    queue.add_argument("--all", action="store_true", help="replay every parked message")
    queue.set_defaults(run=outbox)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
