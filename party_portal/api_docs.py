"""The API's Swagger UI and Redoc pages, served from the drf-spectacular sidecar's static files.

Both keep the portal's Content-Security-Policy for scripts (no inline script: Swagger UI's start script is
fetched from the view itself, Redoc starts from its `<redoc>` element), but relax it for styles, images and
workers on these two pages only: both libraries inject their own `<style>` elements and data: images at run
time, and Redoc runs its search in a blob: worker. Nothing of the portal's own pages is relaxed."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

DOCS_POLICY = {
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:"],
    "worker-src": [SELF, "blob:"],
}


def _docs_policy(view_class):
    return method_decorator(csp_replace(DOCS_POLICY), name="get")(view_class)


@_docs_policy
class DocsSwaggerView(SpectacularSwaggerSplitView):
    pass


@_docs_policy
class DocsRedocView(SpectacularRedocView):
    template_name = "api_docs/redoc.html"
