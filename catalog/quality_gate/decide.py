"""The decision procedure's handler: records an operator's release or skip of a held batch's failing rows.

Its procedure body is the gate handler's source followed by this file's, without the import below, so it runs in
Snowflake with the standard library only, as the gate does (catalog/quality_gate/procedures.py, decide_procedure).
"""

from typing import Any

from catalog.quality_gate.handler import INSERTED, Decision, Session, _rows


def decide_held_batch(
    session: Session,
    plan: dict[str, Any],
    source: str,
    stream: str,
    batch_id: str,
    decision: str,
    reason: str,
) -> str:
    """Records an operator's release or skip of the failing rows of the batch a stream holds, with who and why."""
    if decision not in [choice.value for choice in Decision]:
        allowed = ", ".join(repr(choice.value) for choice in Decision)
        raise ValueError(f"decision {decision!r} is not allowed; allowed: {allowed}")
    if not reason or not reason.strip():
        raise ValueError("reason is required: say why the batch may be released or skipped")
    source, stream = source.upper(), stream.upper()
    recorded = _rows(session, plan["decide_held_batch"], [decision, reason.strip(), source, stream, batch_id])
    if recorded[0][INSERTED]:
        return f"{decision} recorded for batch {batch_id} of {source}.{stream}; the next gate run applies it"
    held = _rows(session, plan["held_batch"], [source, stream])
    if held and held[0]["BATCH_ID"] != batch_id:
        raise ValueError(
            f"batch {batch_id} is not the one {source}.{stream} holds now ({held[0]['BATCH_ID']}): a later run "
            f"checked more rows; look at its failing rows in {plan['held_batches']} and decide on it"
        )
    raise ValueError(
        f"{source}.{stream} has no held batch {batch_id} awaiting a decision (it may not be held, or a decision "
        f"is already pending); see {plan['held_batches']}"
    )
