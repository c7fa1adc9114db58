"""Import jobs a user may see: their own; an administrator sees all."""

from django.db.models import QuerySet

from worksafe.orgs.models import Role, User

from .models import ImportJob


def import_job_list(*, visible_to: User) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.select_related("user")
    if not visible_to.is_authenticated or not visible_to.is_active:
        return jobs.none()
    if visible_to.role == Role.ADMIN:
        return jobs
    return jobs.filter(user=visible_to)


def import_job_get(*, visible_to: User, job_id: int) -> ImportJob | None:
    if not isinstance(job_id, int) or not 0 < job_id < 2**63:
        return None  # no row can match; a huge number would fail in the database driver
    return import_job_list(visible_to=visible_to).filter(pk=job_id).first()
