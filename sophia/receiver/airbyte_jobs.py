"""Asks Airbyte about a webhook's job before anything runs: the webhook is unsigned, so its word is not enough."""

# Airbyte signs nothing it sends (WebhookNotificationConfig holds only `enabled` and `url`), so the secret URL
# is the only guard on the webhook; whoever learns it could name any job. Before a trigger the receiver reads
# the job back through the public API, `GET /v1/jobs/{jobId}` (publicapi JobsController.getJob ->
# JobResponseMapper; the SDK's models.JobResponse: jobId, status, jobType, connectionId, startTime, ...):
# - the job is marked SUCCEEDED before its webhook is sent (JobsHandler.jobSuccessWithAttemptNumber calls
#   succeedAttempt, then jobNotifier.successJob), so a genuine success webhook always finds `succeeded`;
# - an unknown job id is 404 (ConfigClientErrorHandler: ConfigNotFoundException -> ResourceNotFoundProblem).
# A 404 or a job that does not match the webhook is refused for good. Anything else (no answer, a timeout, a
# 5xx, a 401 because our own credentials are wrong) leaves the job owed: the receiver answers 503.

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

import httpx
from airbyte_api import AirbyteAPI, api, errors, models

from stack.airbyte.sdk_security import sdk_security

JOB_ENDPOINT = "GET /v1/jobs/{jobId}"


class JobNotConfirmed(Exception):
    """Airbyte does not know the job, or not as the webhook describes it: refuse, never retry."""


class AirbyteUnavailable(Exception):
    """Airbyte could not be asked, or gave no usable answer: answer 503, the job stays owed."""


class JobConfirmer(Protocol):
    """Confirms that a job is a sync of that connection which succeeded, or raises one of the errors above."""

    def confirm(self, connection_id: UUID, job_id: int) -> None:
        """Blocking (an HTTP round trip), so the receiver calls it from a worker thread."""
        ...

    def close(self) -> None:
        """Releases the HTTP client; called once at shutdown."""
        ...


@dataclass(frozen=True)
class AirbyteAccess:
    """Where the Airbyte API is and how the receiver signs in: a bearer token, or a client id and secret."""

    url: str
    credentials: Mapping[str, str]
    timeout_s: float = 10.0

    def security(self) -> models.Security | None:
        """The SDK's Security for these credentials (serve.py admits only the two shapes it knows)."""
        return sdk_security(self.url, self.credentials)


class AirbyteJobs:
    """Confirms jobs through the official SDK, one short request each and no retry: Airbyte waits on us."""

    def __init__(self, access: AirbyteAccess) -> None:
        self._http = httpx.Client(timeout=access.timeout_s)
        # No debug logger on purpose: the SDK's logs request headers, the bearer token included.
        self._sdk = AirbyteAPI(
            security=access.security(),
            server_url=access.url,
            timeout_ms=round(access.timeout_s * 1000),
            client=self._http,
            async_client=httpx.AsyncClient(),  # unused, but else the SDK builds one with a finalizer
        )

    def confirm(self, connection_id: UUID, job_id: int) -> None:
        """Raises JobNotConfirmed or AirbyteUnavailable unless the job is that connection's succeeded sync."""
        try:
            job = self._sdk.jobs.get_job(request=api.GetJobRequest(job_id=job_id)).job_response
        except errors.ResponseValidationError:
            raise AirbyteUnavailable(f"{JOB_ENDPOINT}: an answer that is not a JobResponse") from None
        except errors.AirbyteAPIError as error:
            if error.status_code == 404:
                raise JobNotConfirmed(f"Airbyte knows no job {job_id}") from None
            raise AirbyteUnavailable(f"{JOB_ENDPOINT}: HTTP {error.status_code}") from None
        except (httpx.HTTPError, errors.NoResponseError) as error:
            raise AirbyteUnavailable(f"{JOB_ENDPOINT}: {type(error).__name__}") from None
        except Exception as error:
            # The SDK's client-credentials hook refuses a failed token exchange with a bare Exception
            # ("Unexpected status code 401 from token endpoint", _hooks/clientcredentials.py); its text
            # carries no secret. Anything else is named by its type only.
            known = str(error).startswith("Unexpected status code")
            raise AirbyteUnavailable(f"{JOB_ENDPOINT}: {error if known else type(error).__name__}") from None
        if job is None:
            raise AirbyteUnavailable(f"{JOB_ENDPOINT}: an empty answer")
        problems = job_mismatch(job, connection_id)
        if problems:
            raise JobNotConfirmed(f"Airbyte's job {job_id} {'; '.join(problems)}")

    def close(self) -> None:
        """Closes the HTTP client."""
        self._http.close()


def job_mismatch(job: models.JobResponse, connection_id: UUID) -> list[str]:
    """How the job Airbyte reports differs from a succeeded sync of `connection_id`; empty when it does not."""
    problems = []
    if job.connection_id.lower() != str(connection_id):
        problems.append("belongs to another connection")
    if job.job_type != models.JobTypeEnum.SYNC:
        problems.append(f"is a {job.job_type.value}, not a sync")
    if job.status != models.JobStatusEnum.SUCCEEDED:
        problems.append(f"is {job.status.value}, not succeeded")
    return problems
