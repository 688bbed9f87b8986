"""The council's identity provider for the tests: the npm package oidc-provider, run by Node on loopback
(tests/auth/council_provider.mjs), with a signing key, a client and users made here. Nothing is mocked: the portal
talks to it over HTTP as it would to Microsoft Entra ID."""

from __future__ import annotations

import json
import queue
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import requests
from joserfc.jwk import RSAKey

HARNESS = Path(__file__).parent / "auth" / "council_provider.mjs"
CLIENT_ID = "family-conference-portal"
CLIENT_SECRET = "a-client-secret-only-the-tests-know-0123456789"
PASSWORD = "council-password"
PORTAL = "http://localhost"  # the Flask test client's address
# The provider's own loopback address: another host than the portal's 127.0.0.1, as a council's provider is, so a
# browser keeps their cookies apart (cookies ignore ports, and the portal's sign-out clears its host's cookies).
HOST = "127.0.0.2"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def person(email: str, name: str, oid: str | None = None, mfa: bool = True, **claims) -> dict:
    """A user of the council's provider: signs in there with the part of the e-mail before the @ and PASSWORD."""
    oid = oid or f"oid-{email}"
    return {"password": PASSWORD, "amr": ["pwd", "mfa"] if mfa else ["pwd"],
            "claims": {"email": email, "email_verified": True, "name": name, "oid": oid, **claims}}


class BackChannelReceiver:
    """Where the provider posts its back-channel logout tokens (the Flask test client has no address to post to):
    the tests hand each token on to the portal's endpoint."""

    def __init__(self):
        self.tokens: queue.Queue[str] = queue.Queue()
        tokens = self.tokens

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                tokens.put(parse_qs(body).get("logout_token", [""])[0])
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/back-channel-logout"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def next_token(self, timeout: float = 10) -> str:
        return self.tokens.get(timeout=timeout)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class CouncilProvider:
    """A running oidc-provider with the given users and the portal as its one client."""

    def __init__(self, directory: Path, users: dict, portal: str = PORTAL):
        self.port = free_port(HOST)
        self.issuer = f"http://{HOST}:{self.port}"
        self.portal = portal
        self.users = users
        self.back_channel = BackChannelReceiver()
        signing_key = RSAKey.generate_key(2048, parameters={"kid": "council-signing-key", "use": "sig", "alg": "RS256"})
        # Another key with the same id: a token it signs looks right until its signature is checked.
        other_key = RSAKey.generate_key(2048, parameters={"kid": "council-signing-key", "use": "sig", "alg": "RS256"})
        config = {
            "host": HOST,
            "port": self.port,
            "signing_key": signing_key.as_dict(private=True),
            "other_key": other_key.as_dict(private=True),
            "users": users,
            "client": {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [f"{portal}/sign-in/council/callback"],
                "post_logout_redirect_uris": [f"{portal}/signed-out"],
                "response_types": ["code"],
                "grant_types": ["authorization_code"],
                "token_endpoint_auth_method": "client_secret_basic",
                "backchannel_logout_uri": self.back_channel.url,
                "backchannel_logout_session_required": True,
            },
        }
        self.config_file = directory / "council-provider.json"
        self.config_file.write_text(json.dumps(config))
        self.process = subprocess.Popen(["node", str(HARNESS), str(self.config_file)], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        self.output: list[str] = []
        for line in self.process.stdout:  # its warnings (an in-memory store, for tests), then "listening"
            self.output.append(line)
            if line.startswith("listening"):
                break
        else:
            self.process.kill()
            raise RuntimeError("the council's provider did not start:\n" + "".join(self.output))
        self.config_file.unlink()  # the private keys need not stay on disk
        # Keep reading what it prints, so a full pipe never stops it.
        self.reader = threading.Thread(target=lambda: self.output.extend(self.process.stdout), daemon=True)
        self.reader.start()

    def settings(self, **overrides) -> dict:
        """The portal's settings for this provider."""
        return {"OIDC_ISSUER": self.issuer, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "OIDC_ALLOWED_EMAIL_DOMAINS": ("example.org",), **overrides}

    def next_id_token(self, other_key: bool = False, **claims) -> None:
        """The next ID token the provider issues is signed again with these claims changed (or with the other key)."""
        response = requests.post(f"{self.issuer}/__test/next-id-token", json={"claims": claims, "other_key": other_key}, timeout=5)
        response.raise_for_status()

    def follow(self, browser: requests.Session, response: requests.Response) -> tuple[str | None, requests.Response]:
        """Follow the provider's redirects until one leads back to the portal (returned) or a page is shown."""
        for _ in range(20):
            if response.status_code not in (301, 302, 303, 307, 308):
                return None, response
            target = urljoin(response.url, response.headers["Location"])
            if target.startswith(self.portal + "/"):
                return target, response
            response = browser.get(target, allow_redirects=False, timeout=10)
        raise AssertionError("too many redirects at the provider")

    def sign_in(self, browser: requests.Session, authorize_url: str, login: str, password: str = PASSWORD) -> str:
        """Play the person at the provider: open the authorisation URL, sign in on its page if asked, and return
        the portal URL the provider sends the browser back to (with the code and state)."""
        back, page = self.follow(browser, browser.get(authorize_url, allow_redirects=False, timeout=10))
        if back:
            return back  # still signed in at the provider: straight back
        assert "/interaction/" in page.url, page.text[:500]
        back, page = self.follow(browser, browser.post(page.url, data={"username": login, "password": password},
                                                       allow_redirects=False, timeout=10))
        assert back, page.text[:500]
        return back

    def sign_out(self, browser: requests.Session, logout_url: str) -> str | None:
        """Confirm "sign out" on the provider's page; return where it sends the browser back to (None: nowhere,
        the provider shows its own "signed out" page)."""
        back, page = self.follow(browser, browser.get(logout_url, allow_redirects=False, timeout=10))
        if back:
            return back
        form_action = urljoin(page.url, page.text.split('action="', 1)[1].split('"', 1)[0])
        xsrf = page.text.split('name="xsrf" value="', 1)[1].split('"', 1)[0]
        back, page = self.follow(browser, browser.post(form_action, data={"xsrf": xsrf, "logout": "yes"},
                                                       allow_redirects=False, timeout=10))
        assert back or "Signed out of the council" in page.text, page.text[:500]
        return back

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.reader.join(timeout=5)  # it stops at the end of what the provider printed
        self.process.stdout.close()
        self.back_channel.close()


def portal_path(url: str) -> str:
    """The path and query of a portal URL, for the Flask test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sign_in_with_council(client, provider: CouncilProvider, login: str, browser: requests.Session | None = None,
                         next_url: str = ""):
    """Click "Sign in with your council account", sign in at the provider, and return the portal's answer."""
    start = client.get("/sign-in/council" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start.status_code
    browser = browser if browser is not None else requests.Session()
    callback = provider.sign_in(browser, start.headers["Location"], login)
    return client.get(portal_path(callback))


def wait_for(predicate, timeout: float = 5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False
