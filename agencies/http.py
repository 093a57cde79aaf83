"""An adapter for a real agency system that takes submissions as JSON over HTTPS."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import asdict

from .base import (
    AgencyAdapter,
    AgencyTimeout,
    PermanentError,
    Receipt,
    SubmissionRequest,
    TransientError,
)


class HttpAgency(AgencyAdapter):
    """POSTs the submission to the agency's endpoint with an `Idempotency-Key` header."""

    def __init__(self, agency: str, url: str, timeout_s: float = 10.0) -> None:
        super().__init__(agency)
        self.url = url
        self.timeout_s = timeout_s

    def submit(self, request: SubmissionRequest) -> Receipt:
        """Send the submission; 5xx and timeouts are transient, other 4xx permanent."""
        body = json.dumps(asdict(request)).encode()
        http_request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Idempotency-Key": request.idempotency_key,
            },
        )
        try:
            with urllib.request.urlopen(http_request, timeout=self.timeout_s) as response:
                answer = json.loads(response.read() or b"{}")
        except TimeoutError as error:
            raise AgencyTimeout(f"{self.agency} did not answer in time") from error
        except urllib.error.HTTPError as error:
            if error.code >= 500 or error.code == 429:
                raise TransientError(f"{self.agency} answered {error.code}") from error
            raise PermanentError(f"{self.agency} refused the submission ({error.code})") from error
        except (urllib.error.URLError, ConnectionError, json.JSONDecodeError) as error:
            raise TransientError(f"{self.agency} could not be reached") from error
        status = answer.get("status", "done")
        if status not in ("done", "waiting") or not answer.get("reference"):
            raise PermanentError(f"{self.agency} gave an answer Kontaktpunkt cannot read")
        return Receipt(
            status=status,
            reference=str(answer["reference"]),
            outputs=dict(answer.get("outputs") or {}),
            message=str(answer.get("message") or ""),
        )
