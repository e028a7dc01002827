import gc
import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_init
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("duet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def share_loaded_objects_with_the_pool(**_) -> None:
    """Keep the garbage collector away from what the worker loaded before it forks its
    pool: otherwise each process soon writes to, and so copies, every shared page."""
    gc.freeze()


@task_prerun.connect
@task_postrun.connect
def replace_unusable_database_connections(sender, **_) -> None:
    """What Django does around a request: drop a connection that failed or is too old.

    Not for a task run eagerly, inside the caller's request and transaction.
    """
    if not getattr(sender.request, "is_eager", False):
        close_old_connections()
