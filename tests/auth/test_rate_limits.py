"""Brute force: the attempt after the limit gets 429, per account and per address."""

from __future__ import annotations

from tests.conftest import csrf_token_from, make_app


def limited_app(database_uri, per_account="3 per minute", per_ip="1000 per minute"):
    return make_app({
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SIGN_IN_LIMIT_PER_ACCOUNT": per_account,
        "SIGN_IN_LIMIT_PER_IP": per_ip,
    })


def attempt(client, login, password="wrong password, wrong", ip="203.0.113.5"):
    token = csrf_token_from(client, "/sign-in")
    return client.post("/sign-in", data={"csrf_token": token, "login": login, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def test_the_attempt_after_the_account_limit_gets_429(database_uri, make_user):
    app = limited_app(database_uri)
    _, login, password = make_user()
    client = app.test_client()
    codes = [attempt(client, login, ip=f"203.0.113.{n}").status_code for n in range(4)]
    assert codes == [400, 400, 400, 429]
    # Even the right password waits: the account is locked for the window, whatever the address.
    response = attempt(client, login.upper(), password, ip="198.51.100.7")
    assert response.status_code == 429
    assert "Too many tries" in response.get_data(as_text=True)
    # Another account is not affected.
    _, other_login, other_password = make_user()
    assert attempt(client, other_login, other_password).status_code == 303


def test_the_attempt_after_the_address_limit_gets_429(database_uri, make_user):
    app = limited_app(database_uri, per_account="1000 per minute", per_ip="5 per minute")
    client = app.test_client()
    codes = [attempt(client, f"guess{n}@example.org", ip="192.0.2.9").status_code for n in range(6)]
    assert codes == [400] * 5 + [429]


def test_successful_sign_ins_do_not_count(database_uri, make_user):
    app = limited_app(database_uri, per_account="2 per minute")
    _, login, password = make_user()
    for _ in range(4):
        client = app.test_client()
        assert attempt(client, login, password).status_code == 303
