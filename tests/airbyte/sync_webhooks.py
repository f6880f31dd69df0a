"""Simulated syncs for the fake Airbyte: `POST /v1/jobs` starts a job; when it ends, its webhook is delivered."""

# How real Airbyte behaves (airbyte-platform), and so this module:
# - `POST /v1/jobs {connectionId, jobType: sync}` answers the created, unfinished job (publicapi
#   JobsController.publicCreateJob -> JobService.sync(returnAfterJobId = true); mappers/JobResponseMapper:
#   `startTime` from the creation second, `lastUpdatedAt` only once terminal).
# - `GET /v1/jobs/{jobId}` answers the same JobResponse (JobsController.getJob -> JobService
#   .getJobInfoWithoutLogs -> JobResponseMapper): times as Java's OffsetDateTime.toString() in UTC, `duration`
#   as Duration.toString() once the job is not pending, `bytesSynced` / `rowsSynced` from the last attempt's
#   committed stats. An unknown id is 404 (ConfigClientErrorHandler: ConfigNotFoundException ->
#   ResourceNotFoundProblem). The job is SUCCEEDED or FAILED before its webhook is sent
#   (JobsHandler.jobSuccessWithAttemptNumber: succeedAttempt, then jobNotifier.successJob; jobFailure: failJob,
#   then the notifier), so a receiver that asks on delivery sees the final status.
# - When the job ends, JobNotifier.createAndSend builds a SyncSummary: workspace, connection, source and
#   destination as {id, name, url} (WebUrlHelper URLs), `jobId`, success = the job SUCCEEDED, `startedAt` /
#   `finishedAt` from the job's created / updated seconds, the summed stats, and the first failure's external
#   message, type and origin. It sends it to the workspace's `success` or `failure` notification; a webhook
#   there is the legacy "SLACK" type (publicapi WorkspaceService.toNotificationItem), so
#   SlackNotificationClient.notifyJobSuccess / notifyJobFailure POST `Notification.toJsonNode()`: the legacy
#   `text` (resources/slack/*_slack_notification_template.txt), Slack `blocks` and the summary as `data`
#   (slack/Notification.kt; the exact JSON is in test/.../slack/NotificationTest.kt), with
#   `Content-Type: application/json` and no signature. A failed delivery is logged and never retried
#   (JobNotifier.sendNotification).

import json
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.airbyte.java_formats import instant, java_duration, offset_date_time, summary_duration, volume

DELIVERY_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Delivery:
    """One webhook POST: what was sent, where, and what the receiver answered."""

    url: str
    body: dict[str, Any]
    status: int | None
    error: str | None = None


@dataclass(frozen=True)
class SyncOutcome:
    """How a simulated sync ends; the stats are what JobNotifier sums over the attempts."""

    succeeded: bool = True
    records_emitted: int = 1200
    records_committed: int = 1200
    bytes_emitted: int = 3_500_000
    bytes_committed: int = 3_400_000
    error_message: str | None = None
    error_type: str | None = None  # FailureReason.FailureType as serialised, e.g. "system_error"
    error_origin: str | None = None  # FailureReason.FailureOrigin, e.g. "source"


FAILED = SyncOutcome(
    succeeded=False,
    records_committed=0,
    bytes_committed=0,
    error_message="Something went wrong in the connector. See the logs for more details.",
    error_type="system_error",
    error_origin="source",
)


class SyncRuns:
    """The jobs of one fake Airbyte and the webhooks they delivered."""

    def __init__(self, lookup: Callable[[str, str], dict[str, Any]], lock: threading.RLock, web_url: str):
        self._lookup = lookup  # (collection, id) -> stored object, read under `lock`
        self._lock = lock
        self._web_url = web_url
        self._next_job_id = 1
        self._outcomes: dict[str, list[SyncOutcome]] = {}
        self._runs: dict[int, threading.Thread] = {}
        self.deliveries: dict[int, list[Delivery]] = {}
        self._jobs: dict[int, dict[str, Any]] = {}
        self.run_time_s = 0.05
        self.verify: bool | ssl.SSLContext = True

    def end_next(self, connection_id: str, outcome: SyncOutcome) -> None:
        """The next sync of that connection ends this way (by default it succeeds)."""
        with self._lock:
            self._outcomes.setdefault(connection_id, []).append(outcome)

    def trust(self, ca_file: Path) -> None:
        """Deliver to https URLs whose certificate this CA signed, as an Airbyte deployment would be set up to."""
        self.verify = ssl.create_default_context(cafile=ca_file)

    def start(self, connection: dict[str, Any]) -> dict[str, Any]:
        """Creates a running sync job for a stored connection and returns its JobResponse."""
        job_id, self._next_job_id = self._next_job_id, self._next_job_id + 1
        created = int(time.time())
        queued = self._outcomes.get(connection["connectionId"], [])
        outcome = queued.pop(0) if queued else SyncOutcome()
        self._jobs[job_id] = {
            "jobId": job_id,
            "status": "running",
            "jobType": "sync",
            "startTime": offset_date_time(created),
            "connectionId": connection["connectionId"],
            "duration": java_duration(0),
        }
        response = dict(self._jobs[job_id])
        run = threading.Thread(target=self._run, args=(job_id, connection, created, outcome), daemon=True)
        self._runs[job_id] = run
        run.start()
        return response

    def job(self, job_id: int) -> dict[str, Any] | None:
        """The job's JobResponse as `GET /v1/jobs/{jobId}` answers it, or None for an id never issued."""
        with self._lock:
            job = self._jobs.get(job_id)
            return None if job is None else dict(job)

    def finished_job(self, connection_id: str, outcome: SyncOutcome = SyncOutcome()) -> int:
        """A sync job that has already ended, as one run before the test would have; its id."""
        with self._lock:
            job_id, self._next_job_id = self._next_job_id, self._next_job_id + 1
            created = int(time.time()) - 60
            self._jobs[job_id] = {
                "jobId": job_id,
                "jobType": "sync",
                "startTime": offset_date_time(created),
                "connectionId": connection_id,
            }
            self._finish(job_id, created, created + 60, outcome)
        return job_id

    def _finish(self, job_id: int, created: int, finished: int, outcome: SyncOutcome) -> None:
        """The job's terminal state, under the lock: what the API reports from then on."""
        self._jobs[job_id] |= {
            "status": "succeeded" if outcome.succeeded else "failed",
            "lastUpdatedAt": offset_date_time(finished),
            "duration": java_duration(finished - created),
            "bytesSynced": outcome.bytes_committed,
            "rowsSynced": outcome.records_committed,
        }

    def wait(self, job_id: int, timeout_s: float = 5.0) -> list[Delivery]:
        """The job's deliveries once it has ended (none when no webhook is enabled for its outcome)."""
        self._runs[job_id].join(timeout_s)
        return self.deliveries.get(job_id, [])

    def redeliver(self, job_id: int) -> Delivery:
        """Sends a job's last webhook once more, as a retried notification activity would."""
        last = self.wait(job_id)[-1]
        return self._post(job_id, last.url, last.body)

    def _run(self, job_id: int, connection: dict[str, Any], created: int, outcome: SyncOutcome) -> None:
        time.sleep(self.run_time_s)
        finished = max(created + 1, int(time.time()))
        with self._lock:
            self._finish(job_id, created, finished, outcome)
            workspace = self._lookup("workspaces", connection["workspaceId"])
            source = self._lookup("sources", connection["sourceId"])
            destination = self._lookup("destinations", connection["destinationId"])
            event = "success" if outcome.succeeded else "failure"
            webhook = dict(workspace["notifications"].get(event, {}).get("webhook") or {})
        if not webhook.get("enabled") or not webhook.get("url"):
            return
        body = webhook_body(
            self._web_url, workspace, connection, source, destination, job_id, created, finished, outcome
        )
        self._post(job_id, webhook["url"], body)

    def _post(self, job_id: int, url: str, body: dict[str, Any]) -> Delivery:
        try:
            with httpx.Client(verify=self.verify, timeout=DELIVERY_TIMEOUT_S) as client:
                response = client.post(
                    url, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
                )
            delivery = Delivery(url, body, response.status_code)
        except httpx.HTTPError as error:
            delivery = Delivery(url, body, None, type(error).__name__)
        with self._lock:
            self.deliveries.setdefault(job_id, []).append(delivery)
        return delivery


def webhook_body(
    web_url: str,
    workspace: dict[str, Any],
    connection: dict[str, Any],
    source: dict[str, Any],
    destination: dict[str, Any],
    job_id: int,
    started: int,
    finished: int,
    outcome: SyncOutcome,
) -> dict[str, Any]:
    """The JSON SlackNotificationClient posts for a finished sync: `text`, `blocks` and `data`."""
    workspace_url = f"{web_url}/workspaces/{workspace['workspaceId']}"
    links = {
        "workspace": {"id": workspace["workspaceId"], "name": workspace["name"], "url": workspace_url},
        "connection": {
            "id": connection["connectionId"],
            "name": connection["name"],
            "url": f"{workspace_url}/connections/{connection['connectionId']}",
        },
        "source": {
            "id": source["sourceId"],
            "name": source["name"],
            "url": f"{workspace_url}/source/{source['sourceId']}",
        },
        "destination": {
            "id": destination["destinationId"],
            "name": destination["name"],
            "url": f"{workspace_url}/destination/{destination['destinationId']}",
        },
    }
    duration = summary_duration(finished - started)
    data = {
        **links,
        "jobId": job_id,
        "startedAt": instant(started),
        "finishedAt": instant(finished),
        "bytesEmitted": outcome.bytes_emitted,
        "bytesCommitted": outcome.bytes_committed,
        "recordsEmitted": outcome.records_emitted,
        "recordsFilteredOut": 0,
        "bytesFilteredOut": 0,
        "recordsCommitted": outcome.records_committed,
        "errorMessage": outcome.error_message,
        "errorType": outcome.error_type,
        "errorOrigin": outcome.error_origin,
        "bytesEmittedFormatted": volume(outcome.bytes_emitted),
        "bytesCommittedFormatted": volume(outcome.bytes_committed),
        "success": outcome.succeeded,
        "durationInSeconds": finished - started,
        "durationFormatted": duration,
    }
    return {
        "text": _legacy_text(links, job_id, outcome),
        "blocks": _blocks(links, duration, outcome),
        "data": data,
    }


def _legacy_text(links: dict[str, Any], job_id: int, outcome: SyncOutcome) -> str:
    """The template text; Java's String.format prints a null error message as "null" on success."""
    names = f"{links['connection']['name']} from {links['source']['name']} to {links['destination']['name']}"
    verdict, cause = (
        ("succeeded", "This was for") if outcome.succeeded else ("just failed...", "This happened with")
    )
    message = "null" if outcome.error_message is None else outcome.error_message
    return (
        f"Your connection {names} {verdict}\n{cause} {message}\n\n"
        f"You can access its logs here: {links['connection']['url']}\n\nJob ID: {job_id}"
    )


def _blocks(links: dict[str, Any], duration: str, outcome: SyncOutcome) -> list[dict[str, Any]]:
    """SlackNotificationClient.buildJobCompletedNotification's sections."""
    title = "Sync completed" if outcome.succeeded else "Sync failure occurred"
    fields = [
        "*Source:*",
        _link(links["source"]),
        "*Destination:*",
        _link(links["destination"]),
        "*Duration:*",
        duration,
    ]
    blocks = [
        _section(f"{title}: {_link(links['connection'])}"),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": text} for text in fields]},
    ]
    if not outcome.succeeded and outcome.error_message is not None:
        failure = f"*Failure reason:*\n\n```\n[{outcome.error_type}] {outcome.error_message}\n```\n"
        blocks.append(_section(failure))
    summary = (
        f"*Sync Summary:*\n{outcome.records_emitted} record(s) extracted / "
        f"{outcome.records_committed} record(s) loaded\n"
        f"{volume(outcome.bytes_emitted)} extracted / {volume(outcome.bytes_committed)} loaded\n"
    )
    return [*blocks, _section(summary)]


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _link(item: dict[str, Any]) -> str:
    """Notification.createLink: `<url|name>` with Slack's escapes, `&` written as `$amp;` as Airbyte does."""
    name = item["name"].replace("&", "$amp;").replace(">", "&gt;").replace("<", "&lt;")
    return f"<{item['url']}|{name}>"
