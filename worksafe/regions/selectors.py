from .models import Region


def region_list(*, parent: str | None = None):
    """Regions are public reference data: every signed-in user may read them."""
    queryset = Region.objects.all()
    if parent is None:
        return queryset.filter(parent__isnull=True)
    return queryset.filter(parent_id=parent)


def region_get(code: str) -> Region | None:
    return Region.objects.filter(pk=code).first()
