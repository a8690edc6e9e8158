"""The kinds of Excel file the portal imports, registered by the apps that own their records.

Each app with kinds to import has an `imports` module (or package) that `party_portal.apps` imports once the
apps are loaded (autodiscovery, as for the admin). A kind is a subclass of `Kind` decorated with `@register`:
its slug names it in the URLs, the template's file name and `ImportJob.kind`. docs/imports.md tells how to add one.
"""

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from organizations import policy

UNKNOWN_KIND = _("“%(value)s” is not a kind of file the portal imports.")
SLUG_MAX_LENGTH = 32

_kinds = {}


class Kind:
    """One kind of file: what the pages show of it, what its upload asks, and the importer that reads it."""

    # The kind's name in the URLs and in the template's file name: descriptive Vietnamese, ASCII, dashes.
    slug = ""
    label = ""
    # The paragraph above the template link on the import page.
    help_text = ""
    # The importer class: check(sheet, progress) -> Report and write(report, progress) -> Report (docs/imports.md).
    importer = None
    # The policy action the upload, the confirmation and the job need (organizations.policy).
    action = policy.IMPORT
    # A form asking what the file is for (a TCCSĐ, a year), built as scope_form(data, actor=user); its scope()
    # gives {"organization": …, "year": …, other JSON values}. None: the upload asks nothing but the file.
    scope_form = None
    # The template is built for the scope (pre-filled rows): the scope form is asked before the download too.
    template_needs_scope = False
    template_title = ""
    template_notes = ()
    # The download button's label when the template needs a scope (the default one otherwise).
    template_button = ""
    # The labels of the counts the importer puts in report.written, by name.
    written_labels = {}
    # Place on the import page: lower comes first.
    order = 100

    @property
    def inline_rows(self):
        """Up to this many rows a small file is checked and imported inside the request."""
        return self.importer.inline_rows

    def check_scope(self, *, actor, organization=None, year=None, **params):
        """Refuse an upload whose scope the actor may not import into (raise ValidationError or PermissionDenied)."""

    def template(self, *, actor, organization=None, year=None, **params):
        """The template workbook as bytes, and its file name."""
        from .workbook import template_workbook

        content = template_workbook(self.importer.resource, title=self.template_title, notes=self.template_notes)
        return content, f"mau-nhap-{self.slug}.xlsx"


def register(kind_class):
    """Class decorator: make a kind of file importable. Two kinds may not share a slug."""
    kind = kind_class()
    if not kind.slug or len(kind.slug) > SLUG_MAX_LENGTH or kind.importer is None:
        raise ImproperlyConfigured(f"{kind_class.__name__} needs a slug (≤ {SLUG_MAX_LENGTH}) and an importer.")
    registered = _kinds.get(kind.slug)
    if registered is not None and type(registered).__qualname__ != kind_class.__qualname__:
        raise ImproperlyConfigured(f"The import slug {kind.slug} is taken by {type(registered).__name__}.")
    _kinds[kind.slug] = kind
    return kind_class


def autodiscover():
    """Import every installed app's `imports` module, which registers its kinds."""
    autodiscover_modules("imports")


def kinds():
    """Every registered kind, in page order."""
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.slug))


def slugs():
    return [kind.slug for kind in kinds()]


def get(slug):
    """The kind registered under `slug`; KeyError for any other."""
    return _kinds[slug]


def validate_slug(value):
    """Model validator of ImportJob.kind: the slug of a registered kind."""
    if value not in _kinds:
        raise ValidationError(UNKNOWN_KIND, params={"value": value}, code="unknown_kind")
