import gc
import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("duet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def share_loaded_objects_with_the_pool(**_) -> None:
    """Keep the garbage collector away from what the worker loaded before it forks its
    pool: otherwise each process soon writes to, and so copies, every shared page."""
    gc.freeze()
