"""Command line: python -m service.cli {migrate,seed,export-nlu,export-review,outbox}."""

import argparse
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
    from service.catalogue.nlu_export import export_nlu as write_files
    from service.catalogue.nlu_export import write_if_changed
    from service.core.seed_files import SeedError

    settings = get_settings()
    try:
        catalogue = load_seed(args.seed_dir)
        bundles = load_bundles(args.seed_dir, catalogue, load_halls(args.seed_dir, catalogue))
    except SeedError as exc:
        print(f"seed rejected, nothing written:\n{exc}", file=sys.stderr)
        return 1
    changed = write_files(
        seed=catalogue, userdict_path=settings.JIEBA_DICT_PATH, lookup_path=settings.NLU_LOOKUP_PATH
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
    others = [tests_nlu / name for name in ("holdout.yml", "holdout_real.yml", "dev_real_style.yml")]
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
