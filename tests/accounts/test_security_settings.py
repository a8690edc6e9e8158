"""Production settings: no start with DEBUG off and no SECRET_KEY; `check --deploy` clean with only DEBUG=0,
SECRET_KEY and ALLOWED_HOSTS; the Content-Security-Policy header and templates with nothing inline."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def run_manage(*args, **env):
    """manage.py in a fresh process with the production settings module and only the given variables."""
    keep = {name: os.environ[name] for name in ("PATH", "HOME", "DATABASE_URL") if name in os.environ}
    environment = {**keep, "DJANGO_SETTINGS_MODULE": "party_portal.settings", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_debug_off_without_secret_key_refuses_to_start():
    result = run_manage("check", DEBUG="0")

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_debug_unset_counts_as_off():
    result = run_manage("check")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_on_starts_without_a_key():
    result = run_manage("check", DEBUG="1")

    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_with_only_debug_key_and_hosts():
    result = run_manage(
        "check", "--deploy", DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="portal.example.vn"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNINGS" not in result.stderr


def test_behind_a_proxy_that_terminates_tls_the_redirect_can_be_left_to_it():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, "
        "s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="0",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
    )

    assert result.stdout.strip().splitlines()[-1] == "False ('HTTP_X_FORWARDED_PROTO', 'https') True 31536000"


def test_pages_carry_the_content_security_policy(client, db):
    policy = client.get("/dang-nhap/")["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_api_docs_relax_styles_but_not_scripts(client, db):
    for url in ("/api/docs/", "/api/redoc/"):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'", url
        assert directives["style-src"] == "'self' 'unsafe-inline'", url


def test_swagger_page_loads_its_start_script_from_the_view():
    from django.test import Client

    page = Client().get("/api/docs/").content.decode()
    script = Client().get("/api/docs/?script=")

    assert re.search(r"<script>\s*\S", page) is None
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_no_template_holds_an_inline_script_handler_or_style():
    offences = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\son[a-z]+\s*=", r"\sstyle\s*=", r"<style"):
            offences += [f"{path.relative_to(TEMPLATES)}: {match}" for match in re.findall(pattern, text)]

    assert offences == []
