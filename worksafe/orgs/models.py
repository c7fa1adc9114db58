from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    """Industry codes of the API (design.md "Codes")."""

    COAL_MINE = "coal_mine", _("Coal mines")
    METAL_NONMETAL_MINE = "metal_nonmetal_mine", _("Metal and non-metal mines")
    HAZARDOUS_CHEMICALS = "hazardous_chemicals", _("Hazardous chemicals")
    FIREWORKS = "fireworks", _("Fireworks")
    INDUSTRY_TRADE = "industry_trade", _("Industry and trade")
    CONSTRUCTION = "construction", _("Construction")
    ROAD_TRANSPORT = "road_transport", _("Road transport")
    WATERWAY_TRANSPORT = "waterway_transport", _("Waterway transport")
    FISHING_VESSEL = "fishing_vessel", _("Fishing vessels")
    FIRE_SAFETY = "fire_safety", _("Fire safety")
    SPECIAL_EQUIPMENT = "special_equipment", _("Special equipment")
    TOURISM = "tourism", _("Tourism")
    GAS = "gas", _("Gas")
    OTHER = "other", _("Other")


class Organization(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        COMMITTEE = "committee", _("Safety committee office")
        DEPARTMENT = "department", _("Department")
        ENTERPRISE = "enterprise", _("Enterprise")

    class Status(models.TextChoices):
        OPERATING = "operating", _("Operating")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent organization"), null=True, blank=True, on_delete=models.PROTECT
    )
    # Enterprises
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, null=True, blank=True, unique=True
    )
    uscc_override_reason = models.TextField(
        _("reason for accepting a code that fails the check"),
        blank=True,
        help_text=_("Early pilot codes can fail the checksum yet be real; only an admin may accept one."),
    )
    industry = models.CharField(_("industry"), max_length=32, choices=Industry.choices, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    safety_principal = models.CharField(_("principal person for safety"), max_length=100, blank=True)
    # A database default too: bulk loaders that list their columns need not name it.
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True, db_default="")
    staff_count = models.PositiveIntegerField(
        _("staff count"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPERATING)
    # Departments
    industries = models.JSONField(_("industries supervised"), default=list, blank=True)
    can_penalize = models.BooleanField(_("may penalize"), default=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [
            models.Index(fields=["region", "kind"], name="orgs_org_region_kind"),
            models.Index(fields=["kind", "industry", "region"], name="orgs_org_kind_industry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="enterprise") | (Q(uscc__isnull=False) & ~Q(industry="")),
                name="orgs_enterprise_has_uscc_industry",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_enterprise(self) -> bool:
        return self.kind == self.Kind.ENTERPRISE


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    OFFICE = "office", _("Safety committee office")
    INSPECTOR = "inspector", _("Inspector")
    ENTERPRISE_OFFICER = "enterprise_officer", _("Enterprise safety officer")
    EXPERT = "expert", _("Expert")
    LEADER = "leader", _("Leader")


# Which kinds of organization each role may belong to (design.md "Who uses it").
ROLE_ORG_KINDS = {
    Role.ADMIN: None,
    Role.EXPERT: None,
    Role.OFFICE: {Organization.Kind.COMMITTEE, Organization.Kind.GOVERNMENT},
    Role.LEADER: {Organization.Kind.COMMITTEE, Organization.Kind.GOVERNMENT},
    Role.INSPECTOR: {Organization.Kind.DEPARTMENT},
    Role.ENTERPRISE_OFFICER: {Organization.Kind.ENTERPRISE},
}


class WorkSafeUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    name = models.CharField(_("full name"), max_length=100, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # Set when someone else chose the password (a new account, a reset): the pages then ask
    # for a new one before anything else.
    must_change_password = models.BooleanField(_("must change password at next login"), default=False)

    objects = WorkSafeUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin") | Q(organization__isnull=False), name="orgs_user_has_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.username


class ApiToken(models.Model):
    """A bearer token: only its SHA-256 is stored, so a database leak leaks no usable token."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
