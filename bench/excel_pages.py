"""Every Excel the portal produces, downloaded from a seeded demo database, printed to PDF by LibreOffice: the
number of A4 pages of each, and a PNG of its first page.

    make seed                                   # the demo province (SIZE=province)
    DEBUG=1 .venv/bin/python bench/excel_pages.py [--out docs/screenshots/excel] [--year 2024] [--skip-members]

Needs `soffice` and `pdftoppm` (apt-get install libreoffice-calc poppler-utils). Downloads go through the
views with Django's test client,
as the demo users: the province's dashboard view, a drill-down list, the member list, the approval queue, the
rating progress, the import templates
and the report workbook (built in-process, as the Celery job does).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "party_portal.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-excel-"))

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from evaluations.models import RatingYear, YearState  # noqa: E402
from indicators import measures  # noqa: E402
from indicators.definitions import active_definitions  # noqa: E402
from organizations import scoping  # noqa: E402
from organizations.models import Role  # noqa: E402
from reports import services  # noqa: E402
from reports.models import ReportRun  # noqa: E402


def _client(username):
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _role_org(username):
    return Role.objects.filter(user__username=username).values_list("organization_id", flat=True).first()


def _open_year():
    """The latest rating year (a closed year's template is refused: nothing can be entered any more)."""
    return RatingYear.objects.filter(state=YearState.OPEN).order_by("-year").values_list("year", flat=True).first()


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return b"".join(response.streaming_content) if response.streaming else response.content


def _pages(pdf):
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def _to_pdf(path, out):
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=1800,
    )
    return out / f"{path.stem}.pdf"


def _first_page_png(pdf, out):
    """The first printed page as a PNG (poppler's pdftoppm)."""
    target = out / pdf.stem
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(target)], check=True
    )


def _drilldowns(client, query):
    """The drill-down download of every active definition's numerator, and of the missing rows of those whose
    denominator lists them."""
    url = reverse("indicators:drilldown_export")
    downloads = {}
    for definition in active_definitions():
        code = definition.code
        downloads[f"drilldown-{code}-numerator"] = (client, f"{url}?{query}&chi-tieu={code}&nhom=numerator")
        denominator = measures.MEASURES.get(definition.denominator)
        if denominator is not None and denominator.missing_rows is not None:
            downloads[f"drilldown-{code}-missing"] = (client, f"{url}?{query}&chi-tieu={code}&nhom=missing")
    return downloads


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="docs/screenshots/excel")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--skip-members", action="store_true")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    downloaded = Path(tempfile.mkdtemp(prefix="bench-excel-files-"))
    steering = _client("bchi_dao")
    province = scoping.scope_paths(get_user_model().objects.get(username="bchi_dao"), scoping.today())
    assert province
    query = f"nam={args.year}"
    downloads = {
        "dashboard": (steering, f"{reverse('indicators:export')}?{query}"),
        **_drilldowns(steering, query),
        "members-grassroots": (_client("cb_coso"), reverse("members:list_export")),
        "approval-queue": (_client("bantochuc"), f"{reverse('evaluations:queue_export')}?{query}&trang_thai=tat-ca"),
        "progress": (steering, f"{reverse('indicators:progress_export')}?{query}"),
        "template-organizations": (steering, reverse("imports:template", args=["to-chuc"])),
        "template-members": (steering, reverse("imports:template", args=["dang-vien"])),
        "template-ratings": (
            _client("cb_coso"),
            f"{reverse('imports:template', args=['xep-loai'])}?to_chuc={_role_org('cb_coso')}&nam={_open_year()}",
        ),
    }
    if not args.skip_members:
        downloads["members-province"] = (steering, reverse("members:list_export"))
    files = {}
    for name, (client, url) in downloads.items():
        path = downloaded / f"{name}.xlsx"
        path.write_bytes(_get(client, url))
        files[name] = path
    admin = get_user_model().objects.get(username="admin")
    run = services.report_run_start(actor=admin, year=args.year, enqueue=False)
    services.report_run_execute(run.pk)
    run = ReportRun.objects.get(pk=run.pk)
    path = downloaded / f"report-{args.year}.xlsx"
    path.write_bytes(run.workbook.read())
    files["report"] = path
    print(f"{'workbook':32} {'size':>10} {'A4 pages':>9} {'seconds':>8}")
    with tempfile.TemporaryDirectory() as scratch:
        for name, path in files.items():
            started = time.monotonic()
            pdf = _to_pdf(path, Path(scratch))
            pages = _pages(pdf)
            _first_page_png(pdf, out)
            print(f"{name:32} {path.stat().st_size:>10,} {pages:>9} {time.monotonic() - started:>8.1f}")
    for path in files.values():
        path.unlink()


if __name__ == "__main__":
    main()
