"""What every broker adapter offers the gate."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(slots=True)
class Message:
    """One message as the gate sees it."""

    id: str
    """Broker's id (stream entry id, delivery tag, offset ...): names the message in alerts and state."""
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    """Headers / properties / other fields, kept on forward."""
    deliveries: int = 1
    """How many times the broker has delivered it (1 = first time)."""
    routing: dict[str, Any] = field(default_factory=dict)
    """Where it came from (stream, topic, subject ...), shown in alerts."""
    handle: Any = field(default=None, repr=False)
    """The adapter's own handle on the message (for acknowledging it); never shown."""


class BrokerSource(Protocol):
    """A gate's input plus its outputs on the same broker."""

    name: str

    def receive(self, max_messages: int, timeout: float) -> list[Message]: ...

    def forward(self, msg: Message, body: bytes | None = None, headers: dict[str, str] | None = None) -> None:
        """To the output, headers kept; ``body`` replaces the payload and ``headers`` are
        added (masked forwarding)."""

    def divert(self, msg: Message, headers: dict[str, str]) -> None:
        """To the quarantine destination, with the gate's headers added."""

    def dead_letter(self, msg: Message, reason: str) -> None:
        """To the dead-letter destination after too many deliveries."""

    def ack(self, msg: Message) -> None:
        """Done: only after forward/divert and the alert are durable."""

    def release(self, msg: Message) -> None:
        """Optional: hand a message that failed back for prompt redelivery (NAK, requeue, seek)."""

    def lag(self) -> int | None:
        """Messages in the input not yet delivered to the group, or None where the broker
        does not say (MQTT)."""

    def close(self) -> None: ...
