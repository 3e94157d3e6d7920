"""The read API conforms to schemas/openapi.yaml: Schemathesis generates valid and invalid
requests for every operation against a server holding the query seed data, and checks that
no answer is a server error and that every answer matches the documented status codes, content
types and schemas. The server also evaluates a RED rule and two SLOs over that data, so that
the rules endpoints answer with groups, rules, alerts and SLO figures."""

import pathlib
import subprocess
import time

import pytest
import requests

from alerting_helpers import eventually
from query_helpers import make_seed, push

ROOT = pathlib.Path(__file__).resolve().parents[2]
RULES = """
groups:
  - name: checkout
    interval: 1s
    rules:
      - alert: CheckoutErrors
        red: {service: checkout, measure: error_ratio, window: 1h, by: [operation], threshold: '> 1%'}
        annotations:
          summary: '{{ $labels.operation }} fails {{ $value | humanizePercentage }}'
      - slo:
          name: checkout-availability
          service: checkout
          objective: 99.9
          sli: {availability: {}}
      - slo:
          name: checkout-latency
          service: checkout
          objective: 99
          sli: {latency: {threshold: 1s}}
"""


@pytest.fixture(scope="module")
def seeded_with_rules(module_server_factory, tmp_path_factory):
    directory = tmp_path_factory.mktemp("openapi-rules")
    (directory / "checkout.yaml").write_text(RULES)
    (directory / "vigil.yaml").write_text("rule_files: [checkout.yaml]\n")
    server = module_server_factory.start(config_path=directory / "vigil.yaml")
    push(server, make_seed(time.time_ns()))
    return server


def test_every_operation_conforms_to_the_openapi_spec(seeded_with_rules):
    server = seeded_with_rules
    # The rule alerts exist before the generated requests start.
    eventually(lambda: requests.get(server.api_url + "/api/v1/alerts", timeout=10).json()["data"]["alerts"], 30,
               "rule alerts", server.log_text)
    run = subprocess.run(
        ["bash", str(ROOT / "Tests/api/schemathesis.sh"), server.api_url],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    report = (run.stdout + run.stderr)[-15_000:]
    assert run.returncode == 0, f"schemathesis failed:\n{report}\n--- server log ---\n{server.log_text()}"
