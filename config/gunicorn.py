"""gunicorn's settings for Duet's web process: `gunicorn -c config/gunicorn.py
config.wsgi:application`, as the image, docker-compose and the benchmarks run it.
Options given on the command line take precedence."""

import gc
import os

bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_tmp_dir = "/dev/shm"
timeout = 60
accesslog = "-"

# Django is loaded once, in the master, before the workers are forked: they share its
# pages (copy on write) instead of each importing every module again.
preload_app = True
# A worker is replaced after this many requests, so that what one request leaves
# behind (a large export's buffers, a grown heap) does not stay for the process's life.
max_requests = 5000
max_requests_jitter = 500


def pre_fork(server, worker):
    """Keep the loaded objects out of the collector's reach in the master: a collection
    in a worker would write to their pages and so copy them into every worker."""
    gc.freeze()
