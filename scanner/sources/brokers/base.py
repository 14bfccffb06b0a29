"""What every broker adapter offers the gate, and the part they all share.

``BrokerSource`` implements, once, how a gate's decisions reach the broker: ``settle``
publishes a whole batch (to the output, quarantine or dead-letter destination), waits
for the broker to confirm every publish, and only then acknowledges the input messages;
``forward`` / ``divert`` / ``dead_letter`` are the same for one message. An adapter
supplies only the broker's primitives: ``receive``, ``_begin_batch`` / ``_publish`` /
``_confirm`` (what a batch of publishes is and how its confirmation is awaited),
``ack``, ``close``, and where the broker can, ``release`` and ``lag``."""

from __future__ import annotations

import hashlib
import hmac
import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar, final, runtime_checkable

from scanner.sources.brokers.headers import dead_letter_headers

FORWARDED = "forwarded"
"""Settlement action: to the output as it came."""
MASKED = "masked"
"""Settlement action: to the output with ``body`` (its numbers masked) as the payload."""
DIVERTED = "diverted"
"""Settlement action: to the quarantine destination, with the gate's headers."""
DEAD_LETTERED = "dead_lettered"
"""Settlement action: to the dead-letter destination after too many deliveries."""
KEYED_ID_CHARS = 32
"""Hex characters of the keyed HMAC that names a message without an id (128 bits)."""


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


@runtime_checkable
class Settlement(Protocol):
    """What the gate decided for one message (the gate's ``Outcome`` is one)."""

    @property
    def msg(self) -> Message: ...

    @property
    def action(self) -> str:
        """``forwarded``, ``masked``, ``diverted`` or ``dead_lettered``."""
        ...

    @property
    def body(self) -> bytes | None:
        """The masked body (``masked``); None keeps the message's own."""
        ...

    @property
    def headers(self) -> dict[str, str]:
        """Headers the gate adds (divert reasons, masked count)."""
        ...

    @property
    def reason(self) -> str:
        """Why it is dead-lettered."""
        ...


def keyed_id(key: bytes, name: str, body: bytes) -> str:
    """Names a message that carries no id: stable across redeliveries and restarts (the gate
    records alerts and failures by id) when ``key`` is the fingerprint key, and not reversible
    (a plain hash of a payload that is just a number could be)."""
    return hmac.new(key, name.encode() + b"\0" + body, hashlib.sha256).hexdigest()[:KEYED_ID_CHARS]


BatchT = TypeVar("BatchT")
_Route = tuple[str, Message, bytes, dict[str, str]]
"""One publish: destination, the input message, payload, the gate's headers."""


class BrokerSource(ABC, Generic[BatchT]):
    """A gate's input plus its outputs on the same broker. ``BatchT`` is what the adapter
    gathers a batch of publishes in (a transaction, the pending confirmations ...)."""

    default_name: ClassVar[str] = "broker"
    """``name`` when none is given."""

    def __init__(self, url: str, input: str, output: str, quarantine: str, dead_letter: str,
                 group: str = "mynumber-dlp", consumer: str = "dlp-1", name: str | None = None,
                 id_key: bytes | None = None) -> None:
        """Read ``input`` as member ``consumer`` of ``group``; publish to ``output``,
        ``quarantine`` and ``dead_letter`` on the same broker at ``url``. ``id_key`` keys the
        HMAC that names a message without an id (adapters whose messages may lack one: MQTT,
        RabbitMQ): the fingerprint key, so names agree across restarts."""
        self.name = self.default_name if name is None else name
        self.input, self.output, self.quarantine, self.dead = input, output, quarantine, dead_letter
        self.group, self.consumer = group, consumer
        self._id_key = id_key or os.urandom(32)  # without the key, names hold only for this process
        self._open(url)

    # -- what each adapter implements --

    @abstractmethod
    def _open(self, url: str) -> None:
        """Connect, create what is missing (streams, queues, topics, the group) and subscribe."""

    @abstractmethod
    def receive(self, max_messages: int, timeout: float) -> list[Message]:
        """Up to ``max_messages``, waiting at most ``timeout`` seconds for the first."""

    @abstractmethod
    def _begin_batch(self) -> BatchT:
        """A new, empty batch of publishes."""

    @abstractmethod
    def _publish(self, batch: BatchT, destination: str, msg: Message, body: bytes, headers: dict[str, str]) -> None:
        """Add a publish of ``body`` to ``destination`` to ``batch``, with ``msg``'s own headers
        (as the broker keeps them) plus ``headers``, the gate's, which win."""

    @abstractmethod
    def _confirm(self, batch: BatchT) -> None:
        """Return once the broker has stored every publish of ``batch``; raise if any was not."""

    @abstractmethod
    def ack(self, msg: Message) -> None:
        """Done: only after its publish and its alert are durable."""

    def _ack_all(self, msgs: list[Message]) -> None:
        """Acknowledge a settled batch (an adapter may do it in one go)."""
        for msg in msgs:
            self.ack(msg)

    def release(self, msg: Message) -> None:
        """Hand a message that failed back for prompt redelivery (NAK, requeue). By default
        nothing: the broker redelivers it after its own timeout (or after a reconnect)."""

    def lag(self) -> int | None:
        """Messages in the input not yet delivered to the group, or None where the broker
        does not say (MQTT)."""
        return None

    @abstractmethod
    def close(self) -> None:
        """Disconnect; what is not acknowledged is redelivered."""

    # -- the same for every broker --

    @final
    def settle(self, settlements: Sequence[Settlement]) -> None:
        """Publish a batch's messages to their destinations, wait until the broker confirmed
        all of them, then acknowledge all. If any publish fails, this raises and nothing is
        acknowledged: the batch is redelivered (what did arrive comes twice, nothing is lost)."""
        if not settlements:
            return
        self._deliver([self._route(s) for s in settlements])
        self._ack_all([s.msg for s in settlements])

    @final
    def forward(self, msg: Message, body: bytes | None = None, headers: dict[str, str] | None = None) -> None:
        """To the output, headers kept; ``body`` replaces the payload and ``headers`` are
        added (masked forwarding). Not acknowledged."""
        self._deliver([(self.output, msg, msg.body if body is None else body, headers or {})])

    @final
    def reply(self, msg: Message, destination: str, bodies: Sequence[bytes]) -> None:
        """Publish ``bodies`` (what handling ``msg`` produced: an audit job's results) to
        ``destination``, wait for the broker's confirmation, then acknowledge ``msg``. A crash in
        between redelivers ``msg``: its results may come twice (readers drop the second), never none."""
        self._deliver([(destination, msg, body, {}) for body in bodies])
        self._ack_all([msg])

    @final
    def divert(self, msg: Message, headers: dict[str, str]) -> None:
        """To the quarantine destination, with the gate's headers added. Not acknowledged."""
        self._deliver([(self.quarantine, msg, msg.body, headers)])

    @final
    def dead_letter(self, msg: Message, reason: str) -> None:
        """To the dead-letter destination after too many deliveries, then acknowledged."""
        self._deliver([(self.dead, msg, msg.body, dead_letter_headers(reason, msg.deliveries))])
        self._ack_all([msg])

    def _route(self, s: Settlement) -> _Route:
        if s.action == DEAD_LETTERED:
            return self.dead, s.msg, s.msg.body, dead_letter_headers(s.reason, s.msg.deliveries)
        if s.action == DIVERTED:
            return self.quarantine, s.msg, s.msg.body, s.headers
        if s.action in (FORWARDED, MASKED):
            return self.output, s.msg, s.msg.body if s.body is None else s.body, s.headers
        raise ValueError(f"unknown settlement action {s.action!r}")  # before anything is published

    def _deliver(self, routes: list[_Route]) -> None:
        """One batch: every publish in flight together, one wait for the broker's confirmation."""
        batch = self._begin_batch()
        for destination, msg, body, headers in routes:
            self._publish(batch, destination, msg, body, headers)
        self._confirm(batch)

    @staticmethod
    def _merged(msg: Message, headers: dict[str, str]) -> dict[str, str]:
        """``msg``'s headers plus the gate's (for brokers whose headers are plain text)."""
        return {**msg.headers, **headers}

    def _keyed_id(self, name: str, body: bytes) -> str:
        """``keyed_id`` with this source's key."""
        return keyed_id(self._id_key, name, body)
