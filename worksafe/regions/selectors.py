from .models import Region, in_subtree


def region_list(*, parent: str | None = None):
    """Regions are public reference data: every signed-in user may read them."""
    queryset = Region.objects.all()
    if parent is None:
        return queryset.filter(parent__isnull=True)
    return queryset.filter(parent_id=parent)


def region_get(code: str) -> Region | None:
    return Region.objects.filter(pk=code).first()


def region_subtree(code: str | None = None):
    """A region and every region below it (all regions when `code` is None), in code order."""
    queryset = Region.objects.order_by("code")
    return queryset.filter(in_subtree("code", code)) if code else queryset
