"""Import tests run their Celery tasks in-process, whatever broker the environment names,
and commit-time callbacks (the enqueue) run when the service's transaction would commit."""

import pytest

from config.celery import app
from tests.interviews import samples


@pytest.fixture(autouse=True)
def eager_tasks(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """`with on_commit(): ...` runs the enqueue (and so the eager task) at the block's end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def pseudonyms(cast):
    """The samples' replacement list on the cast study."""
    return samples.add_replacements(cast.study, cast.owner)
