"""The product's URLs plus ``bench/plain-contacts/``: what a team builds by default, to compare pages with.

Issue 15: "A plain Django ``ListView`` over the same contacts took 2–8× the trivial page: the product's pages
should not be slower than what a team builds by default." Only ``bench/settings.py`` serves this.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import ListView
from jinja2 import Environment

from threshold.lado.models import Contact

# The trivial template a team starts with: a table of the page's rows.
PLAIN_TEMPLATE = Environment(autoescape=True).from_string(
    """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Contacts</title></head><body><main><h1>Contacts</h1>
<table><thead><tr><th>Reference</th><th>Adult</th><th>Received</th></tr></thead><tbody>
{% for contact in object_list %}<tr><td>{{ contact.reference }}</td><td>{{ contact.subject.full_name }}</td>
<td>{{ contact.received_at.strftime("%d %B %Y") }}</td></tr>{% endfor %}</tbody></table>
<p>Page {{ page_obj.number }} of {{ paginator.num_pages }}</p></main></body></html>"""
)


class PlainContacts(LoginRequiredMixin, ListView):
    """Fifty contacts a page, newest first, with no access rules, audit or presenters: the baseline."""

    # access-lint: allow the bench's baseline list, never served by the product
    queryset = Contact._default_manager.select_related("subject").order_by("-received_at", "-pk")
    paginate_by = 50

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        """The page from the trivial template."""
        return HttpResponse(PLAIN_TEMPLATE.render(context))


urlpatterns = [
    path("bench/plain-contacts/", PlainContacts.as_view(), name="bench_plain_contacts"),
    path("", include("threshold.urls")),
]
