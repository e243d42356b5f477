"""`trellis run [--port N]`: migrate, load demo data into an empty database, serve."""

from __future__ import annotations

import argparse

from trellis.commands import _django


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("run", help="migrate, load demo data if empty, and serve")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--no-demo", action="store_true", help="do not load demo data")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    _django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from trellis.people import demo

    if not args.no_demo and demo.database_is_empty():
        print(demo.load().summary())
    if not settings.REDIS_URL:  # with Redis, run the consumer as its own process (README)
        _django.start_task_consumer()
    print(f"Trellis is at http://{args.host}:{args.port}/  (demo logins: see README.md)")
    # Static files are served by the app itself here; a production proxy serves `collectstatic` output.
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, insecure_serving=True)
    return 0
