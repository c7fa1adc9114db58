"""Meetings of committees and governments, the first link of the command chain (domain.md 9):
a meeting relays the higher level's spirit and deploys work down the levels."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Meeting(models.Model):
    class Form(models.TextChoices):
        PLENARY = "plenary", _("Plenary meeting")
        VIDEO_CONFERENCE = "video_conference", _("Video conference")
        SPECIAL = "special", _("Special meeting")
        WORK_MEETING = "work_meeting", _("Work meeting")
        OTHER = "other", _("Other")

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    organizer = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organizer"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    form = models.CharField(_("form"), max_length=20, choices=Form.choices, default=Form.OTHER)
    chair = models.CharField(_("chair"), max_length=100, blank=True)
    people = models.JSONField(_("officials present"), default=list, blank=True)  # names
    industries = models.JSONField(_("industries"), default=list, blank=True)  # Industry codes
    campaigns = models.JSONField(_("campaigns"), default=list, blank=True)  # names, for now
    summary = models.TextField(pgettext_lazy("meeting", "summary"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    relays = models.ForeignKey(
        "self",
        verbose_name=_("relays the meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="relayed_by",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["region", "held_on"], name="meetings_region_held")]

    def __str__(self) -> str:
        return self.title


class Directive(models.Model):
    """One concrete instruction of a meeting, with the sectors it deploys; tasks are made from it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="directives")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(_("directive"))
    industries = models.JSONField(_("industries"), default=list, blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="meetings_directive_position")
        ]


class BranchVenue(models.Model):
    """A lower region's branch venue of a video conference, and who joined there."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="venues")
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    attendees = models.TextField(_("who joined"), blank=True)

    class Meta:
        ordering = ["meeting", "region"]
        constraints = [models.UniqueConstraint(fields=["meeting", "region"], name="meetings_venue_region")]
