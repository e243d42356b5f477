"""Reminder delivery: the SMS backends, number checks, the channel choice and the fixed texts."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from trellis import notify
from trellis.core.errors import InvalidInput
from trellis.notify import sms
from trellis.notify.backends import WebhookBackend

PHONE = "+15555550123"
BODY = str(notify.CHECKIN_DUE.body)
FILE = "trellis.notify.backends.FileBackend"
WEBHOOK = "trellis.notify.backends.WebhookBackend"


@dataclass
class Gateway:
    """A stand-in SMS gateway on 127.0.0.1: records each request and answers `status`."""

    url: str = ""
    status: int = 200
    received: list[dict[str, object]] = field(default_factory=list)


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    record = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            record.received.append(
                {
                    "path": self.path,
                    "content_type": self.headers["Content-Type"],
                    "json": json.loads(self.rfile.read(length)),
                }
            )
            self.send_response(record.status)
            if 300 <= record.status < 400:
                self.send_header("Location", "/elsewhere")
            self.end_headers()

        def do_GET(self) -> None:  # where urllib would follow a redirect, without the message
            record.received.append({"path": self.path})
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass  # keep the test output quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    record.url = f"http://127.0.0.1:{server.server_port}/sms"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield record
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def refusing_port() -> Iterator[int]:
    """A port bound but not listening: connections to it are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def test_the_file_backend_appends_one_json_line_per_message(settings, tmp_path):
    settings.STATE_DIR = tmp_path
    settings.SMS_BACKEND = FILE

    assert sms.send_sms(PHONE, "first") is True
    assert sms.send_sms("+447700900123", "second") is True

    path = tmp_path / "sms" / "messages.jsonl"
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(line["to"], line["body"]) for line in lines] == [
        (PHONE, "first"),
        ("+447700900123", "second"),
    ]
    assert datetime.fromisoformat(lines[0]["at"]).tzinfo is not None
    assert path.stat().st_mode & 0o777 == 0o600  # phone numbers: the owner's eyes only


def test_tests_send_text_messages_to_the_locmem_outbox(sms_outbox):
    assert sms.send_sms(PHONE, "hello") is True

    assert sms_outbox == [sms.TextMessage(PHONE, "hello")]
    assert sms.outbox is sms_outbox


def test_the_webhook_backend_posts_the_number_and_text_as_json(settings, gateway):
    settings.SMS_BACKEND = WEBHOOK
    settings.SMS_WEBHOOK_URL = gateway.url

    assert sms.send_sms(PHONE, BODY) is True

    assert gateway.received == [
        {"path": "/sms", "content_type": "application/json", "json": {"to": PHONE, "body": BODY}}
    ]


def test_a_webhook_answering_500_gives_false_and_logs_neither_number_nor_text(
    settings, gateway, caplog
):
    settings.SMS_BACKEND = WEBHOOK
    settings.SMS_WEBHOOK_URL = gateway.url
    gateway.status = 500

    assert sms.send_sms(PHONE, BODY) is False

    assert len(gateway.received) == 1
    assert [r.getMessage() for r in caplog.records] == ["SMS not sent: WebhookBackend got HTTP 500"]
    assert PHONE[1:] not in caplog.text
    assert BODY not in caplog.text
    assert gateway.url not in caplog.text


def test_a_redirecting_webhook_is_not_taken_for_a_delivery(settings, gateway, caplog):
    settings.SMS_BACKEND = WEBHOOK
    settings.SMS_WEBHOOK_URL = gateway.url
    gateway.status = 302

    assert sms.send_sms(PHONE, BODY) is False

    assert [r["path"] for r in gateway.received] == ["/sms"]  # not followed to /elsewhere
    assert [r.getMessage() for r in caplog.records] == ["SMS not sent: WebhookBackend got HTTP 302"]


def test_an_unreachable_webhook_gives_false_and_logs_the_exception_class(
    settings, refusing_port, caplog
):
    settings.SMS_BACKEND = WEBHOOK
    settings.SMS_WEBHOOK_URL = f"http://127.0.0.1:{refusing_port}/sms"

    assert sms.send_sms(PHONE, BODY) is False
    assert [r.getMessage() for r in caplog.records] == ["SMS not sent: WebhookBackend got URLError"]
    assert PHONE[1:] not in caplog.text


def test_a_webhook_that_never_answers_times_out(caplog):
    with socket.socket() as silent:  # accepts connections (the backlog) but never replies
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        backend = WebhookBackend(url=f"http://127.0.0.1:{silent.getsockname()[1]}/", timeout=0.2)

        assert backend.send_messages([sms.TextMessage(PHONE, BODY)]) == 0

    assert [r.getMessage() for r in caplog.records] == [
        "SMS not sent: WebhookBackend got TimeoutError"
    ]


def test_the_webhook_backend_refuses_to_start_without_an_http_address(settings):
    for url in ("", "file:///etc/passwd", "ftp://gateway.example/"):
        settings.SMS_WEBHOOK_URL = url
        with pytest.raises(ImproperlyConfigured) as error:
            sms.get_backend(WEBHOOK)
        assert str(error.value) == "SMS_WEBHOOK_URL must be an http:// or https:// address"


@pytest.mark.parametrize(
    "phone",
    [
        "",
        "15555550123",  # no +
        "+1555555",  # 7 digits
        "+1234567890123456",  # 16 digits
        "+05555550123",  # no country code starts with 0
        "+1 555 555 0123",
        "+1555555012３",  # a full-width digit
        "+15555550123\n",
    ],
)
def test_a_number_that_is_not_e164_is_refused_naming_the_phone_field(phone, sms_outbox):
    with pytest.raises(InvalidInput) as error:
        sms.send_sms(phone, "hello")

    assert error.value.field == "phone"
    assert str(error.value) == "phone must be an E.164 number: + and 8-15 digits, the first not 0"
    assert sms_outbox == []


def test_e164_numbers_of_8_to_15_digits_are_accepted():
    for phone in ("+12345678", "+447700900123", "+123456789012345"):
        assert sms.check_phone(phone) == phone


def test_deliver_sends_by_the_chosen_channel(mailoutbox, sms_outbox):
    subject, body = str(notify.CHECKIN_DUE.subject), str(notify.CHECKIN_DUE.body)

    assert notify.deliver(
        email="pat@example.org", phone=PHONE, channel="email", subject=subject, body=body
    )
    assert notify.deliver(email=None, phone=PHONE, channel="sms", subject=subject, body=body)

    [message] = mailoutbox
    assert (message.to, message.subject, message.body) == (["pat@example.org"], subject, body)
    assert sms_outbox == [sms.TextMessage(PHONE, body)]


def test_deliver_refuses_an_unknown_channel_or_a_missing_address(mailoutbox, sms_outbox):
    cases = [
        (
            {"email": "pat@example.org", "phone": PHONE, "channel": "fax"},
            "channel must be email or sms",
        ),
        ({"email": None, "phone": PHONE, "channel": "email"}, "email must be an e-mail address"),
        (
            {"email": "pat@example.org", "phone": None, "channel": "sms"},
            "phone must be an E.164 number: + and 8-15 digits, the first not 0",
        ),
    ]
    for addresses, message in cases:
        with pytest.raises(InvalidInput, match=f"^{re.escape(message)}$"):
            notify.deliver(**addresses, subject="Trellis", body=BODY)

    assert (mailoutbox, sms_outbox) == ([], [])


def test_a_failed_email_gives_false_and_logs_no_address(settings, refusing_port, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", refusing_port

    sent = notify.deliver(
        email="pat@example.org", phone=None, channel="email", subject="Trellis", body=BODY
    )

    assert sent is False
    assert [r.getMessage() for r in caplog.records] == ["E-mail not sent: ConnectionRefusedError"]
    assert "pat@example.org" not in caplog.text


def test_safe_body_refuses_digits_and_long_texts_but_allows_the_site_address(settings):
    allowed = "a fixed text of at most 320 characters, with no digits outside the site address"
    for text in ("Your PHQ-9 score is 14", "Your appointment is on 3 May", "x" * 321):
        with pytest.raises(ValueError, match=f"^body must be {allowed}$"):
            notify.safe_body(text)

    link = f"Check in at {settings.SITE_URL}/me/check-in/"
    assert notify.safe_body(link) == link
    assert notify.safe_body("x" * 320) == "x" * 320


def _forbidden_words() -> list[str]:
    """Every persona's name and every instrument's id, name and abbreviation."""
    from trellis.knowledge.instruments import catalog

    words = ["Pat", "Quinn", "Dana", "Eli", "Sam", "Nia", "Fran", "Ada", "Rae", "Example"]
    for instrument in catalog().values():
        words += [instrument.id, instrument.name, instrument.name.split(" (")[0]]
        words += re.findall(r"\(([^)]+)\)", instrument.name)
    return words


def _reveals(text: str) -> list[str]:
    found = [w for w in _forbidden_words() if re.search(rf"\b{re.escape(w)}\b", text, re.I)]
    return found + re.findall(r"\d+", text)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_fixed_reminder_texts_name_no_one_no_instrument_and_no_number(language):
    with translation.override(language):
        texts = [str(t) for notice in notify.NOTICES for t in (notice.subject, notice.body)]

    assert {text: _reveals(text) for text in texts} == {text: [] for text in texts}
    assert [notify.safe_body(text) for text in texts] == texts


def test_the_check_in_reminder_email_sent_today_names_no_one_and_no_number(
    settings, pat, mailoutbox
):
    from trellis.recovery import reminders
    from trellis.recovery.models import Reminder

    pat.user.email = "pat@example.org"
    pat.user.save(update_fields=["email"])
    Reminder.objects.create(person=pat.person, enabled=True, at="00:00", time_zone="UTC")

    assert reminders.send_due(datetime(2026, 11, 26, 9, 0, tzinfo=UTC)) == 1

    [message] = mailoutbox
    for text in (message.subject, message.body):
        assert _reveals(text.replace(settings.SITE_URL, "")) == []
        assert notify.safe_body(text) == text
