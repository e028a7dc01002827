"""The demo study, for the tests of the theme views that ask for it ("tests on the demo study")."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from dyads.models import Study


@pytest.fixture(scope="module")
def demo_seeded(django_db_setup, django_db_blocker):
    """seed_demo, run once for the module that asks for it and rolled back after it."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_study(demo_seeded, db) -> Study:
    return Study.objects.get(slug="demo")


@pytest.fixture
def demo_owner(demo_seeded, db):
    return get_user_model().objects.get(username="owner")
