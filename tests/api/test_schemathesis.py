"""A property-based run of schemathesis against the served OpenAPI schema, through the WSGI application with
a token: no server error, and every response (status, content type, body, headers) as the schema says.

schemathesis's own pytest plugin does not run under pytest 9 (it sets `Function._nodeid`), so the cases are
drawn with each operation's Hypothesis strategy inside one test, which holds the test database's data."""

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from evaluations.models import Submission
from indicators.models import IndicatorDefinition, Target
from organizations.models import RoleKind
from party_portal.wsgi import application
from reports.services import report_run_execute, report_run_start
from tests.api.conftest import token_header
from tests.factories import UserFactory, give_role
from tests.indicators.conftest import rated_2024  # noqa: F401  (a fixture: members rated for 2024)

# Cases per operation and generation mode: the whole run stays well under a minute.
MAX_EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)


@pytest.fixture
def wsgi_requests_keep_the_test_transaction():
    # Django's test client does this too: the request signals would close the connection that holds the
    # test's transaction (and its data) after each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _known_ids(tree, people, root_user):
    """Path parameters of existing objects, so that cases reach the objects and not only 404s; one report run
    is computed in-process, so its workbook's download is checked too."""
    run = report_run_start(actor=root_user, year=2024, enqueue=False)
    report_run_execute(run.pk)
    holder = UserFactory(username="schema_holder")
    role = give_role(holder, tree["G1"], RoleKind.GRASSROOTS_CADRE)
    return {
        "organization_id": tree["G1"].pk,
        "member_id": people["A"].pk,
        "submission_id": Submission.objects.order_by("pk").first().pk,
        "run_id": run.pk,
        "seat_id": people["A"].committee_seats.get().pk,
        "status_period_id": people["E"].status_periods.get().pk,
        "user_id": holder.pk,
        "role_id": role.pk,
        "target_id": Target.objects.order_by("pk").first().pk,
        "definition_id": IndicatorDefinition.objects.order_by("pk").first().pk,
    }


def _run(operation, headers, mode, path_parameters=None):
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @HYPOTHESIS
    @given(case=strategy)
    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()


def test_api_conforms_to_its_schema(
    tree,
    rated_2024,  # noqa: F811
    root_user,
    settings,
    tmp_path,
    wsgi_requests_keep_the_test_transaction,
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    known = _known_ids(tree, rated_2024, root_user)
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    headers = token_header(root_user)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]

    for operation in operations:
        names = re.findall(r"{(\w+)}", operation.path)
        runs = [(mode, None) for mode in GenerationMode]
        if names:
            runs.append((GenerationMode.POSITIVE, {name: known[name] for name in names}))
        for mode, path_parameters in runs:
            try:
                _run(operation, headers, mode, path_parameters)
            except Exception as error:
                failures.append(
                    f"{operation.label} [{mode}{' known ids' if path_parameters else ''}]: {str(error)[:3000]}"
                )

    assert len(operations) >= 20
    assert failures == []
