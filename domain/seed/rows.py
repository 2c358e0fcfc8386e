"""Session rows built directly, with the derived columns filled in consistently.

Commands are the only way a running studio changes; these builders exist for
test set-up and bulk generation, where a session must simply *be* in a state
(validated last month, a late cancel that kept its credit). They keep the
invariants the commands keep: `start_local` is the wall clock in the
studio's zone, `end_at` follows the duration, a one-to-one session's slot is
its own id.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from domain.model import SessionStatus, SessionType, TrainingSession


def session_row(
    studio_id: uuid.UUID,
    zone: ZoneInfo,
    trainer_id: uuid.UUID,
    client_id: uuid.UUID,
    start: datetime,
    *,
    minutes: int = 60,
    status: str = SessionStatus.VALIDATED.value,
    session_type: str = SessionType.STANDARD.value,
    price: Decimal | str = "80.00",
    location_id: uuid.UUID | None = None,
    substitute_for_id: uuid.UUID | None = None,
    holds_credit: bool | None = None,
    late_cancel: bool = False,
    package_id: uuid.UUID | None = None,
    slot_id: uuid.UUID | None = None,
    session_id: uuid.UUID | None = None,
) -> TrainingSession:
    """A TrainingSession (not added): aware `start`, derived end and local start."""
    if start.tzinfo is None:
        raise ValueError("start must be time-zone aware")
    session_id = session_id or uuid.uuid4()
    if holds_credit is None:
        holds_credit = status not in (SessionStatus.CANCELLED.value,) or late_cancel
        holds_credit = holds_credit and status != SessionStatus.DISPUTED.value
    return TrainingSession(
        id=session_id,
        studio_id=studio_id,
        trainer_id=trainer_id,
        client_id=client_id,
        location_id=location_id,
        slot_id=slot_id or session_id,
        start_at=start,
        end_at=start + timedelta(minutes=minutes),
        start_local=start.astimezone(zone).replace(tzinfo=None),
        duration_minutes=minutes,
        session_type=session_type,
        status=status,
        substitute_for_id=substitute_for_id,
        price=Decimal(price),
        package_id=package_id,
        holds_credit=holds_credit,
        late_cancel=late_cancel,
        validated_at=start + timedelta(hours=2) if status == SessionStatus.VALIDATED.value else None,
    )


def add_session(
    db: Session, studio_id: uuid.UUID, zone: ZoneInfo, *args: object, **kwargs: object
) -> TrainingSession:
    """Build a session row and add it to `db` (see `session_row`)."""
    row = session_row(studio_id, zone, *args, **kwargs)  # type: ignore[arg-type]
    db.add(row)
    return row
