"""User-written rich text (memos, meeting agendas and notes): a small, safe HTML subset.

Services clean such text with `clean_rich_text` before they store it; pages
show it through the `rich_text` filter (dyads/templatetags/duet_text.py),
which cleans it again, so text stored before a rule changed is safe too.
Everything else a user writes (code names, titles, descriptions) is plain text
and reaches pages only through Django's autoescaping.

`scrub_strings` takes given words out of stored text and JSON, for erasure and
redaction (quoting records, and audit payloads through dyads.audit.scrub).
"""

import re
from collections.abc import Iterable
from typing import Any

import nh3
from django.utils.html import linebreaks

RICH_TEXT_TAGS = frozenset(
    {"p", "br", "b", "strong", "i", "em", "u", "s", "ul", "ol", "li", "blockquote", "code", "a"}
)
RICH_TEXT_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def clean_rich_text(html: str) -> str:
    """`html` with everything but RICH_TEXT_TAGS removed: no scripts, styles,
    event handlers or javascript: links. The contents of <script> and <style>
    go too; other unknown tags are dropped and their text kept."""
    return nh3.clean(
        html,
        tags=set(RICH_TEXT_TAGS),
        attributes={tag: set(names) for tag, names in RICH_TEXT_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
    )


_BLOCKS = re.compile(r"<(p|br|ul|ol|li|blockquote)\b", re.IGNORECASE)


def rich_text_html(text: str) -> str:
    """Stored rich text as a page shows it, cleaned. Text typed without HTML blocks (an
    agenda written line by line in a plain text box) keeps its paragraphs and line breaks."""
    if not _BLOCKS.search(text):
        text = linebreaks(text)
    return clean_rich_text(text)


def scrub_pattern(texts: Iterable[str]) -> re.Pattern | None:
    """One pattern matching any of `texts`, the longest first where they overlap (None
    for no text)."""
    wanted = sorted({text for text in texts if text}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, wanted))) if wanted else None


def scrub_strings(value: Any, pattern: re.Pattern | None, replacement: str) -> tuple[Any, int]:
    """`value` (a string, or JSON made of dicts, lists and strings) with every match of
    `pattern` (`scrub_pattern`) replaced, and how many were replaced."""
    if pattern is None:
        return value, 0
    if isinstance(value, str):
        return pattern.subn(lambda _: replacement, value)
    if isinstance(value, dict):
        pairs = {key: scrub_strings(item, pattern, replacement) for key, item in value.items()}
        return {key: item for key, (item, _) in pairs.items()}, sum(n for _, n in pairs.values())
    if isinstance(value, list):
        items = [scrub_strings(item, pattern, replacement) for item in value]
        return [item for item, _ in items], sum(n for _, n in items)
    return value, 0
