"""Start Django for verbs that use the database, creating or upgrading its schema first."""

from __future__ import annotations

import os


def setup(*, migrate: bool = True) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trellis.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)


def start_task_consumer() -> object:
    """Run the background-task consumer in this process, in threads (the embedded default).

    Huey installs signal handlers when it starts; the server's own handlers are put back so
    Ctrl+C still stops the server (the consumer's threads are daemons and stop with it).
    """
    import signal

    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    autodiscover_modules("tasks")  # every app's periodic tasks, as run_huey does

    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    consumer = HUEY.create_consumer(workers=1, worker_type="thread", periodic=True)
    consumer.start()
    for signum, handler in saved.items():
        signal.signal(signum, handler)
    return consumer
