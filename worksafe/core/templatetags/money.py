from django import template

from worksafe.core import money

register = template.Library()


@register.filter
def yuan(value) -> str:
    return money.yuan(value)
