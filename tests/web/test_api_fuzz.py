"""Schemathesis against the app's own OpenAPI schema, bounded: every operation gets generated
requests (valid and not), and none may answer 5xx or a body that does not match its schema.

The operations are walked here with Hypothesis directly (schemathesis's pytest plugin does not
run under pytest 9)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from remission.services.trials import Registry
from remission.web.app import create_app

EXAMPLES = 12  # per operation: a bounded run for `make test`


def test_no_server_error_and_bodies_match_their_schema(domain_registry: Registry) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(domain_registry))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)  # fmt: skip
        def check(case: schemathesis.Case) -> None:
            if case.path == "/api/v1/dose/simulate" and isinstance(case.body, dict):
                case.body["trials"] = 20  # a simulation of seconds, not minutes
            case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

        try:
            check()
        except Exception as exc:  # name the operation that failed
            pytest.fail(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")
