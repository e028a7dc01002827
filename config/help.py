"""The user guide and the other documents in docs/ served inside Duet, so that each page
can link to the section that explains it. The Markdown is the repository's own,
rendered with markdown-it; headings get ids, and links between documents and to the
screenshots are made to work from the web page."""

import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import Http404

DOCS = Path(settings.BASE_DIR) / "docs"
GUIDE = DOCS / "user-guide"
SCREENSHOTS = DOCS / "screenshots"
_NAME = re.compile(r"[a-z][a-z-]*")
# agreement.md#the-page, ../api.md, user-guide/coding.md: another document of docs/.
_DOCUMENT_LINK = re.compile(r'href="(?:\.\./|user-guide/)?([a-z][a-z-]*)\.md(#[^"]*)?"')
_SCREENSHOT = re.compile(r'src="(?:\.\./)?screenshots/([\w.-]+\.png)"')


@cache
def _markdown():
    """The renderer, made when the help is first read (markdown-it stays out of start-up)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin

    return (
        MarkdownIt("commonmark", {"html": False}).enable("table").use(anchors_plugin, max_level=3)
    )


def _path(topic: str) -> Path | None:
    if not _NAME.fullmatch(topic):
        return None
    for folder in (GUIDE, DOCS):
        path = folder / f"{topic}.md"
        if path.is_file():
            return path
    return None


def guide_topics() -> list[tuple[str, str]]:
    """(topic, title) of every user-guide page, by file name."""
    return [(path.stem, _title(path)) for path in sorted(GUIDE.glob("*.md"))]


def _title(path: Path) -> str:
    return path.read_text(encoding="utf-8").lstrip().splitlines()[0].lstrip("# ").strip()


@cache
def document_html(topic: str) -> tuple[str, str]:
    """(title, HTML) of the document `topic`: a user-guide page or a file of docs/."""
    path = _path(topic)
    if path is None:
        raise Http404("No such page in the documentation.")
    html = _markdown().render(path.read_text(encoding="utf-8"))
    html = _DOCUMENT_LINK.sub(lambda link: f'href="/help/{link[1]}/{link[2] or ""}"', html)
    return _title(path), _SCREENSHOT.sub(r'src="/help/screenshots/\1"', html)


def screenshot_path(name: str) -> Path:
    path = SCREENSHOTS / name
    if not re.fullmatch(r"[\w-]+\.png", name) or not path.is_file():
        raise Http404("No such screenshot.")
    return path
