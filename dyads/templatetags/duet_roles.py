"""`{% load duet_roles %}` then `{% if role|may:"view_analysis" %}`: links only to pages
the member's role opens, by the same rule the pages enforce."""

from django import template

from dyads.permissions import Action, role_allows

register = template.Library()


@register.filter
def may(role: str | None, action: str) -> bool:
    """Whether a member of this role may do `action` (an Action's value)."""
    return bool(role) and role_allows(role, Action(action))
