"""The access matrix and the cross-user crawl, unchanged, with every staff member signed in through the council's
identity provider (a real oidc-provider on loopback) instead of a portal password: a session that came from the
provider reaches exactly what a password session reaches. Family members sign in with their passwords, as they
always do (they have no council account)."""

from __future__ import annotations

import inspect

import pytest

import tests.test_access_matrix as matrix
import tests.test_crawl as crawl
from portal.roles import STAFF_ROLES
from tests.conftest import DEMO_PASSWORD, sign_in
from tests.council_provider import sign_in_with_council

MATRIX_TESTS = sorted(name for name, value in vars(matrix).items() if name.startswith("test_") and callable(value))


@pytest.fixture()
def staff_through_council(council_provider, demo, monkeypatch):
    """The matrix's and the crawl's `sign_in`, signing staff in at the council's provider."""
    staff = {login for login, account in demo.items() if account["role"] in STAFF_ROLES}

    def sign_in_as_the_council_would(client, login: str, password: str = DEMO_PASSWORD, next_url: str = ""):
        if login in staff:
            return sign_in_with_council(client, council_provider, login.split("@")[0], next_url=next_url)
        return sign_in(client, login, password, next_url)

    monkeypatch.setattr(matrix, "sign_in", sign_in_as_the_council_would)
    monkeypatch.setattr(crawl, "sign_in", sign_in_as_the_council_would)
    return sign_in_as_the_council_would


@pytest.mark.parametrize("name", MATRIX_TESTS)
def test_the_access_matrix_with_staff_signed_in_through_the_council(name, council_app, demo, make_user, staff_through_council):
    clients = {}
    for role, login in matrix.ACCOUNTS.items():  # as the matrix's own `clients` fixture builds them
        client = council_app.test_client()
        assert staff_through_council(client, login).status_code == 303, role
        clients[role] = client
    available = {"app": council_app, "demo": demo, "make_user": make_user, "clients": clients}
    test = getattr(matrix, name)
    test(**{parameter: available[parameter] for parameter in inspect.signature(test).parameters})


def test_the_cross_user_crawl_with_staff_signed_in_through_the_council(council_app, demo, staff_through_council):
    crawl.test_no_account_reaches_another_accounts_pages(council_app, demo)
