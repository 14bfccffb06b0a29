"""``mynumber-dlp serve``: the daemon, one file per job.

- ``server.py``       lifecycle only: start, signals, reload, drain, stop
- ``runtime.py``      what a (re)load produces: config + engine, and the policy per source
- ``file_watch.py``   file sources: watchdog observers, new directories, the reconcile walk
- ``file_scans.py``   batches of quiet paths scanned in the worker pool
- ``file_actions.py`` one scanned file: metrics, policy, quarantine, alert, state
- ``message_gate.py`` one queue's messages: scan, alert, forward / mask / divert, settle
- ``queue_gates.py``  a thread per queue gate: connect, reconnect with backoff, lag
- ``metrics.py``      Prometheus metrics and /metrics, /healthz, /readyz
- ``logs.py``         log lines (plain or JSON), never content
- ``defaults.py``     every default of the service layer that is not a config field
"""
