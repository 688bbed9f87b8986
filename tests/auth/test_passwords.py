"""Password hashes: argon2id with RFC 9106's low-memory parameters wherever the portal really runs."""

from __future__ import annotations

from argon2 import extract_parameters, profiles

from config import Config, DevelopmentConfig, ProductionConfig, TestConfig
from portal.auth.passwords import hash_password, needs_rehash, verify_password
from tests.conftest import make_app


def test_every_real_environment_hashes_with_rfc_9106s_low_memory_profile():
    assert Config.PASSWORD_HASH_PROFILE == DevelopmentConfig.PASSWORD_HASH_PROFILE == "RFC_9106_LOW_MEMORY"
    assert ProductionConfig.PASSWORD_HASH_PROFILE == "RFC_9106_LOW_MEMORY"
    app = make_app({"PASSWORD_HASH_PROFILE": "RFC_9106_LOW_MEMORY"})
    with app.app_context():
        made = hash_password("a long enough test password")
        assert made.startswith("$argon2id$")
        parameters = extract_parameters(made)
        strong = profiles.RFC_9106_LOW_MEMORY
        assert (parameters.memory_cost, parameters.time_cost, parameters.parallelism) == (
            strong.memory_cost, strong.time_cost, strong.parallelism)
        assert verify_password(made, "a long enough test password")
        assert not verify_password(made, "another password")
        assert not verify_password(None, "a long enough test password")
        assert not needs_rehash(made)


def test_the_suites_cheaper_hashes_are_still_argon2id_and_are_rehashed_by_a_real_deployment(app):
    assert TestConfig.PASSWORD_HASH_PROFILE == "CHEAPEST"
    with app.app_context():
        cheap = hash_password("a long enough test password")
        assert cheap.startswith("$argon2id$") and verify_password(cheap, "a long enough test password")
    strong_app = make_app({"PASSWORD_HASH_PROFILE": "RFC_9106_LOW_MEMORY"})
    with strong_app.app_context():
        assert needs_rehash(cheap)
