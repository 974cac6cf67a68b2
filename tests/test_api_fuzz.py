"""A fuzz run of the API from its own OpenAPI schema: no input makes it fail with a 500, and
every answer has the status, content type and shape the schema declares."""

import os
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)
from web_fixtures import build_corpus

from onrecord.web import WebSettings, create_app

_DB = Path(tempfile.mkdtemp(prefix="onrecord-fuzz-")) / "fuzz.db"
build_corpus(_DB)
app = create_app(WebSettings(db=str(_DB), token="fuzz-token", max_body_bytes=20_000))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=int(os.environ.get("ONRECORD_FUZZ_EXAMPLES", "30")), deadline=None,
          suppress_health_check=list(HealthCheck))
def test_api_fuzz_no_server_errors(case):
    case.call_and_validate(checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                                   response_schema_conformance])
