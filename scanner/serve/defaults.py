"""Every default of the service layer that is not a config field (those are in ``scanner/config/``)."""

WEBHOOK_SPOOL = "webhook-spool"
"""Directory under state_dir where undelivered webhook alerts wait."""
BATCH_PATHS = 64
"""Ready paths scanned together (one round of the worker pool)."""
IDLE_WAIT = 0.2
"""Seconds the main loop sleeps when nothing is ready."""
MESSAGE_STATE_MAX_AGE = 30 * 24 * 3600.0
"""Seconds a gate remembers that a message was alerted or failed (pruned at each reconcile)."""
LAG_INTERVAL = 5.0
"""Seconds between consumer-lag readings of a queue gate."""
GATE_STEP_TIMEOUT = 1.0
"""Seconds a gate waits for messages before it looks at the stop and reload flags again."""
GATE_BATCH = 64
"""Messages a gate takes from its broker at a time."""
RECONNECT_BACKOFF_FIRST = 1.0
"""Seconds before a gate reconnects after its broker went away ..."""
RECONNECT_BACKOFF_MAX = 60.0
"""... doubling up to this."""
ALIVE_MIN_SECONDS = 60.0
"""/healthz fails when the main loop has not turned for this long (or twice max_scan_time, if longer)."""
OBSERVER_JOIN_TIMEOUT = 5.0
"""Seconds to wait for each watchdog observer at shutdown."""
