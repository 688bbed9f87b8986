"""GOV.UK Notify's real client, pointed at a local stub server; and neutral message words."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest

from portal.notify import GovukNotifyNotifier
from tests.conftest import csrf_token_from, make_app, sign_in

SERVICE_ID, SECRET = str(uuid.uuid4()), str(uuid.uuid4())
API_KEY = f"portal_test-{SERVICE_ID}-{SECRET}"


class NotifyStub(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        NotifyStub.received.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization", "")})
        payload = json.dumps({"id": str(uuid.uuid4()), "reference": None, "content": {}, "template": {}}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def notify_stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), NotifyStub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def clear_stub():
    NotifyStub.received.clear()


def test_the_real_client_sends_email_and_sms_with_a_signed_token(notify_stub):
    notifier = GovukNotifyNotifier(API_KEY, notify_stub, "email-template", "sms-template")
    notifier.send_email("someone@example.org", "Subject words", "Body words")
    notifier.send_sms("+447700900123", "Text words")
    email, sms = NotifyStub.received
    assert email["path"] == "/v2/notifications/email"
    assert email["body"] == {"email_address": "someone@example.org", "template_id": "email-template",
                             "personalisation": {"subject": "Subject words", "body": "Body words"}}
    assert sms["path"] == "/v2/notifications/sms"
    assert sms["body"]["phone_number"] == "+447700900123" and sms["body"]["personalisation"] == {"body": "Text words"}
    claims = jwt.decode(email["auth"].removeprefix("Bearer "), SECRET, algorithms=["HS256"])
    assert claims["iss"] == SERVICE_ID


def test_an_invitation_goes_through_notify_in_the_persons_words(database_uri, demo, notify_stub):
    app = make_app({
        "SQLALCHEMY_DATABASE_URI": database_uri, "NOTIFY_BACKEND": "govuk", "NOTIFY_API_KEY": API_KEY,
        "NOTIFY_BASE_URL": notify_stub, "NOTIFY_EMAIL_TEMPLATE_ID": "email-template", "NOTIFY_SMS_TEMPLATE_ID": "sms-template",
    })
    client = app.test_client()
    sign_in(client, "sally.sparrow@example.org")
    token = csrf_token_from(client, "/cases/FC-7KQ3-M9XD/invite")
    response = client.post("/cases/FC-7KQ3-M9XD/invite", data={
        "csrf_token": token, "name": "Nadia Notified", "role": "carer", "lives_with_child": "no", "mobile": "07700 900 321", "language": "not-known",
    })
    assert response.status_code == 303
    (sent,) = NotifyStub.received
    assert sent["path"] == "/v2/notifications/sms" and sent["body"]["phone_number"] == "+447700900321"
    words = sent["body"]["personalisation"]["body"].lower()
    assert "/invitation/" in words
    for forbidden in ("nadia", "appleby", "child", "protection", "conference", "fc-7kq3"):
        assert forbidden not in words
