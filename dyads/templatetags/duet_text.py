"""`{% load duet_text %}` then `{{ memo.text|rich_text }}` for user-written rich text."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from dyads.text import rich_text_html

register = template.Library()


@register.filter
def rich_text(value: str | None) -> SafeString:
    """The value cleaned to Duet's safe HTML subset; the only filter that marks user text safe."""
    return mark_safe(rich_text_html(value or ""))
