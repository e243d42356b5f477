"""Where text messages go: a file in development, a list in tests, a webhook in production.

A real gateway is wired through `WebhookBackend`: it, or a small relay in front of it, takes
`{"to": …, "body": …}` as JSON over HTTPS. No provider SDK is needed.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from trellis.notify import sms

logger = logging.getLogger(__name__)


class BaseBackend:
    """The shape of Django's e-mail backends: `send_messages` returns how many were sent."""

    def __init__(self, **options: Any) -> None:
        pass

    def send_messages(self, messages: Sequence[sms.TextMessage]) -> int:
        raise NotImplementedError


class FileBackend(BaseBackend):
    """Append one JSON line per message to `.trellis/sms/messages.jsonl`, for development."""

    def __init__(self, *, folder: Path | None = None, **options: Any) -> None:
        self.folder = Path(folder or settings.STATE_DIR / "sms")

    def send_messages(self, messages: Sequence[sms.TextMessage]) -> int:
        at = timezone.now().isoformat()
        lines = "".join(
            json.dumps({"to": m.to, "body": m.body, "at": at}, ensure_ascii=False) + "\n"
            for m in messages
        )
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        # The file holds phone numbers: readable by its owner only, as the generated secrets are.
        fd = os.open(self.folder / "messages.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as file:
            file.write(lines)
        return len(messages)


class LocmemBackend(BaseBackend):
    """Keep messages in `trellis.notify.sms.outbox`, for tests."""

    def send_messages(self, messages: Sequence[sms.TextMessage]) -> int:
        sms.outbox.extend(messages)
        return len(messages)


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    # urllib would turn a redirected POST into a GET without the message, then report success.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class WebhookBackend(BaseBackend):
    """POST `{"to": …, "body": …}` to `settings.SMS_WEBHOOK_URL`; a 2xx answer means sent.

    A failure is logged with this backend's name and the HTTP status or exception class only,
    never the number, the text or the URL (which may carry the gateway's token).
    """

    def __init__(self, *, url: str | None = None, timeout: float = 10, **options: Any) -> None:
        self.url = settings.SMS_WEBHOOK_URL if url is None else url
        if not self.url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SMS_WEBHOOK_URL must be an http:// or https:// address")
        self.timeout = timeout
        self.opener = urllib.request.build_opener(_RefuseRedirects)

    def send_messages(self, messages: Sequence[sms.TextMessage]) -> int:
        return sum(self._post(m) for m in messages)

    def _post(self, message: sms.TextMessage) -> bool:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=json.dumps({"to": message.to, "body": message.body}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with self.opener.open(request, timeout=self.timeout):
                return True  # urllib raises HTTPError for every status outside 2xx
        except urllib.error.HTTPError as exc:
            exc.close()
            self._log_failure(f"HTTP {exc.code}")
        except (OSError, http.client.HTTPException) as exc:  # refused, unreachable, timed out
            self._log_failure(type(exc).__name__)
        return False

    def _log_failure(self, what: str) -> None:
        logger.warning("SMS not sent: %s got %s", type(self).__name__, what)
