"""`{% load duet_people %}` then `{{ username|name_in:names }}`: a username shown as the
person's name, from a `display_names` mapping the view passes."""

from django import template

register = template.Library()


@register.filter
def name_in(username: str, names: dict[str, str]) -> str:
    return names.get(username, username)
