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


class SubjectType(models.TextChoices):
    """What an event is about (never shown: the pages name the record itself). The values are
    stored in the chain: renaming one would split a record's history in two."""

    ACCIDENT = "accident"
    ASSESSMENT_PERIOD = "assessment_period"
    CHECKLIST = "checklist"
    ENFORCEMENT = "enforcement"
    HAZARD = "hazard"
    IMPORT_JOB = "import_job"
    INSPECTION = "inspection"
    INSPECTION_PLAN = "inspection_plan"
    MEETING = "meeting"
    OPINION = "opinion"
    ORGANIZATION = "organization"
    REGION = "region"
    RESUMPTION_CASE = "resumption_case"
    USER = "user"


def subject_type_of(subject: models.Model) -> str:
    """A record's subject type: its class's AUDIT_SUBJECT, else its model name; always one of
    SubjectType (ValueError otherwise, so a new subject is named there first)."""
    return SubjectType(getattr(subject, "AUDIT_SUBJECT", None) or subject._meta.model_name).value


# Keyword of canonical_payload -> key in the hashed JSON.
_KEYS = {
    "event_id": "id",
    "at": "at",
    "actor_id": "actor",
    "actor_label": "actor_label",
    "subject_type": "subject_type",
    "subject_id": "subject_id",
    "action": "action",
    "from_status": "from",
    "to_status": "to",
    "note": "note",
    "data": "data",
    "prev_hash": "prev",
}


def canonical_payload(
    *,
    event_id: int,
    at: datetime.datetime,
    actor_id: int | None,
    actor_label: str,
    subject_type: str,
    subject_id: str,
    action: str,
    from_status: str,
    to_status: str,
    note: str,
    data,
    prev_hash: str,
) -> str:
    """The exact text an event's hash covers: its fields as JSON with sorted keys and no spaces.
    The one definition, for Event.compute_hash and for bulk writers (see canonical_template)."""
    return _canonical_text(
        {
            "event_id": event_id,
            "at": canonical_time(at),
            "actor_id": actor_id,
            "actor_label": actor_label,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "action": action,
            "from_status": from_status,
            "to_status": to_status,
            "note": note,
            "data": data,
            "prev_hash": prev_hash,
        }
    )


def canonical_time(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def _canonical_text(fields: dict) -> str:
    payload = {_KEYS[name]: value for name, value in fields.items()}
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


_UNQUOTED = {"event_id", "actor_id", "data"}  # a number, null or JSON: no quotes around the slot


def canonical_template(**fixed) -> str:
    """canonical_payload with the fields given fixed and the others left as str.format slots of
    the same names, for writers of millions of events: filling a template costs a fraction of
    json.dumps. Fill `at` with canonical_time(), `data` with canonical JSON text, and the other
    text fields only with values that need no JSON escaping."""
    if "at" in fixed:
        fixed["at"] = canonical_time(fixed["at"])
    text = _canonical_text({name: fixed.get(name, _slot(name)) for name in _KEYS})
    text = text.replace("{", "{{").replace("}", "}}")
    for name in _KEYS.keys() - fixed.keys():
        slot = _slot(name)
        text = text.replace(f'"{slot}"' if name in _UNQUOTED else slot, "{" + name + "}")
    return text


def _slot(name: str) -> str:
    # A private-use character marks a slot: it occurs in no value, and JSON keeps it as it is.
    return f"\ue000{name}\ue000"


class AppendOnly(Exception):
    pass


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnly("Audit events cannot be deleted.")

    def for_subject(self, subject, subject_id=None) -> "EventQuerySet":
        """The events of a record: `subject` a model instance, or a SubjectType and an id."""
        if subject_id is None:
            subject, subject_id = subject_type_of(subject), subject.pk
        return (
            self.filter(subject_type=SubjectType(subject), subject_id=str(subject_id))
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
        canonical = canonical_payload(
            event_id=self.id,
            at=self.at,
            actor_id=self.actor_id,
            actor_label=self.actor_label,
            subject_type=self.subject_type,
            subject_id=self.subject_id,
            action=self.action,
            from_status=self.from_status,
            to_status=self.to_status,
            note=self.note,
            data=self.data,
            prev_hash=self.prev_hash,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


class ChainHead(models.Model):
    """One row: the newest event's id and hash. Locking it serialises appends, and comparing it
    with the last row detects a truncated tail."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_chainhead_singleton")]
