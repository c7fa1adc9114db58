"""Password rules beyond Django's own: a password mixes letters and digits."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class LettersAndDigitsValidator:
    """Requires at least one letter and at least one digit."""

    message = _("Your password must contain at least one letter and at least one digit.")

    def validate(self, password: str, user=None) -> None:
        if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
            raise ValidationError(self.message, code="password_letters_and_digits")

    def get_help_text(self) -> str:
        return str(self.message)
