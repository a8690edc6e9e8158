"""Playwright driving the system Chromium against pytest-django's live server (never a downloaded browser)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from indicators.tasks import refresh_snapshots_task
from party_portal.celery import app
from reports import services as report_services
from tests import workers

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "pw"  # tests.factories.UserFactory's


@pytest.fixture(scope="module")
def browser():
    """One Chromium per module. Playwright's sync API runs an event loop in this thread, so Django's ORM calls
    made by the test itself (arrange and assert) need DJANGO_ALLOW_ASYNC_UNSAFE while it is up; module scope
    keeps that loop from outliving the browser tests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


# Run before any page script (through the DevTools protocol, so the page's policy does not block it): every
# Content-Security-Policy violation the page reports is written to the console, where the test collects it.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline")
    + " at " + event.documentURI + (event.sample ? " (" + event.sample + ")" : ""));
});
"""


@pytest.fixture
def csp_violations():
    """What the pages of the test reported: Chromium's own console errors about the Content-Security-Policy and
    the securitypolicyviolation events. A test asserts the list is empty after its last page."""
    return []


@pytest.fixture
def shots(tmp_path):
    """Where a test writes its screenshots: PORTAL_SCREENSHOTS (docs/screenshots/ when refreshing them), else the
    test's temporary folder."""
    folder = Path(os.environ.get("PORTAL_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def eager_jobs(monkeypatch, settings, tmp_path):
    """Report jobs run inside the request that asks for them: the live server is this process, so no worker is
    needed; a compliance report's yearly trend is computed on the request's own connection (no thread pool over the
    test database)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    monkeypatch.setattr(report_services, "TREND_THREADS", 1)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def page(browser, live_server, csp_violations):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", accept_downloads=True)
    context.set_default_timeout(15_000)
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()

    def on_console(message):
        text = message.text
        if text.startswith("CSP violation") or "Content Security Policy" in text:
            csp_violations.append(text)

    page.on("console", on_console)
    yield page
    context.close()


def log_in(page, username):
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)


def open_user_menu(page):
    """The name at the top right opens the user menu (profile, password, help, language, log out)."""
    menu = page.locator("details.usermenu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    return menu


def log_out(page):
    open_user_menu(page).get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/dang-nhap/**")


@pytest.fixture
def snapshot_worker(monkeypatch):
    """A real Celery worker process for the dashboard's "update the figures" button: it reads the test database
    (DATABASE_URL) and listens on a queue of this test's own, where refresh_snapshots_task is routed meanwhile,
    so no other worker on the machine takes the job (and this one takes no other)."""
    queue = workers.new_queue("test-browser")
    monkeypatch.setattr(refresh_snapshots_task, "queue", queue, raising=False)
    monkeypatch.setattr(refresh_snapshots_task, "_exec_options", None)  # Celery caches the routing options
    process = workers.start_worker(queue)
    yield process
    workers.stop_worker(process)
