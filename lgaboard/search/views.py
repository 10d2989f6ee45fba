from django.views.generic import TemplateView

from .forms import SearchForm
from .selectors import full_text, search


class SearchView(TemplateView):
    """/search/?q=…: what the public may read, best first, with the words found highlighted."""

    template_name = "search/search.html"

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET or None)
        results = None
        if form.is_valid() and form.cleaned_data["q"]:
            results = search(form.cleaned_data["q"], form.filters(), self.request.GET.get("page", 1))
        return super().get_context_data(
            form=form,
            results=results,
            full_text=full_text(),
            query_without_page=_without_page(self.request.GET),
            nav_section="search",
            **kwargs,
        )


def _without_page(query) -> str:
    """The search's query string without its page, for the links to other pages."""
    query = query.copy()
    query.pop("page", None)
    return query.urlencode()
