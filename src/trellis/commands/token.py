"""`trellis token create USERNAME [--name LABEL]`: a personal API token, printed once."""

from __future__ import annotations

import argparse

from trellis.commands import _django
from trellis.core.errors import InvalidInput


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("token", help="personal API tokens")
    parser.add_argument("action", choices=["create"])
    parser.add_argument("username")
    parser.add_argument("--name", default="created with trellis token create")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    _django.setup()
    from trellis.accounts import actions
    from trellis.accounts.models import User

    user = User.objects.filter(username=args.username, is_active=True).first()
    if user is None:
        raise InvalidInput("USERNAME", "the username of an active account")
    print(actions.create_token(user, args.name[:80]))
    return 0
