"""The read API conforms to schemas/openapi.yaml: Schemathesis generates valid and invalid
requests for every operation against a server holding the query seed data, and checks that
no answer is a server error and that every answer matches the documented status codes, content
types and schemas."""

import pathlib
import subprocess

from query_helpers import seeded  # noqa: F401  (the fixture)

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_every_operation_conforms_to_the_openapi_spec(seeded):  # noqa: F811
    server, _ = seeded
    run = subprocess.run(
        ["bash", str(ROOT / "Tests/api/schemathesis.sh"), server.api_url],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    report = (run.stdout + run.stderr)[-15_000:]
    assert run.returncode == 0, f"schemathesis failed:\n{report}\n--- server log ---\n{server.log_text()}"
