"""A web process starts without the heavy libraries: each is imported where it is used.

gunicorn's master loads the WSGI application and every view before it forks; whatever
that imports is paid for in every worker, and its pages get copied as the workers run.
numpy, lxml, the document formats' readers and writers and the rest are needed only by
the requests (or jobs) that compute, parse or write with them.

The check runs in a fresh interpreter: this test process has imported them all already.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "numpy",
    "lxml",
    "docx",
    "openpyxl",
    "xlsxwriter",
    "pypdf",
    "odf",
    "striprtf",
    "mutagen",
    "webvtt",
    "srt",
    "diff_match_patch",
    "cryptography",
    "markdown_it",
    "PIL",
    "qrcode",
    "cairosvg",
)

# The WSGI application as gunicorn preloads it, then every URL pattern's view.
START_UP = """
import json, sys
from config.wsgi import application
from django.urls import get_resolver, URLPattern

def views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            yield pattern.callback
        else:
            yield from views(pattern.url_patterns)

count = sum(1 for _ in views(get_resolver().url_patterns))
print(json.dumps({"views": count, "modules": sorted(sys.modules)}))
"""


def test_loading_every_view_imports_no_heavy_library():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    finished = subprocess.run(
        [sys.executable, "-c", START_UP],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(finished.stdout.strip().splitlines()[-1])
    assert loaded["views"] > 100
    imported = {module.split(".")[0] for module in loaded["modules"]}
    assert sorted(imported & set(HEAVY)) == []
