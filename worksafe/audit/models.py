"""Append-only, hash-chained event log.

Each event's hash covers its own content and the previous event's hash, so altering or
deleting any row behind the application's back breaks the chain from that row on. Ids are
assigned under the chain-head lock and are gapless, so a deleted row shows as a gap.
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class AppendOnly(Exception):
    pass


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnly("Audit events cannot be deleted.")

    def for_subject(self, subject_type: str, subject_id) -> "EventQuerySet":
        return (
            self.filter(subject_type=subject_type, subject_id=str(subject_id))
            .select_related("actor")
            .order_by("id")
        )


class Event(models.Model):
    id = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    subject_type = models.CharField(_("subject type"), max_length=40)
    subject_id = models.CharField(_("subject id"), max_length=40)
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from"), max_length=40, blank=True)
    to_status = models.CharField(_("to"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "id"], name="audit_event_subject")]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"#{self.id} {self.subject_type}:{self.subject_id} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Audit events cannot be deleted.")

    @property
    def actor_display(self) -> str:
        """Who acted, as people know them: the user's full name, else the login the chain keeps."""
        return self.actor.display_name if self.actor else self.actor_label

    def compute_hash(self) -> str:
        payload = {
            "id": self.id,
            "at": self.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "action": self.action,
            "from": self.from_status,
            "to": self.to_status,
            "note": self.note,
            "data": self.data,
            "prev": self.prev_hash,
        }
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class ChainHead(models.Model):
    """One row: the newest event's id and hash. Locking it serialises appends, and comparing it
    with the last row detects a truncated tail."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_chainhead_singleton")]
