"""Pagination that stays fast deep into long lists."""

from django.core.paginator import Paginator


class IdsFirstPaginator(Paginator):
    """Reads the page's primary keys first, then loads only those rows.

    A deep OFFSET then walks the narrow (order, id) index instead of fetching every skipped row from the
    table; the page's rows keep their select_related/prefetch_related. The object list must be an ordered
    queryset.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.prefetch_related(None).values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids], number, self)


def query_without_page(request) -> str:
    """The list's query string without its page number, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
