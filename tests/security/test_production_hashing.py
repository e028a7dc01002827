"""Production hashes passwords with Argon2 (tests swap in a fast hasher)."""

from django.conf import settings
from django.contrib.auth.hashers import get_hasher


def test_argon2_is_the_configured_hasher_outside_the_tests():
    from config import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.PASSWORD_HASHERS != project_settings.PASSWORD_HASHERS  # the test fixture


def test_an_argon2_hash_verifies(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    hasher = get_hasher()
    encoded = hasher.encode("correct-horse-battery", hasher.salt())
    assert encoded.startswith("argon2$argon2id$")
    assert hasher.verify("correct-horse-battery", encoded)
