"""What a (re)load of the daemon produces: the config and the engine built from it.

Threads read the server's current ``Runtime`` and keep using the one they took for the
work in hand; a reload swaps in a new one whole, or keeps the old one when anything fails.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanner.actions.policy import Policy
from scanner.config import ConfigError, ServeConfig, apply_overrides, check_alert_destinations, load_serve_config
from scanner.detect.engine import Engine
from scanner.privacy.fingerprint import Fingerprinter
from scanner.privacy.known_numbers import load_list
from scanner.rules.loader import RuleError, load_ruleset
from scanner.sources.protected import ProtectedPaths, check_layout
from scanner.sources.smb.credentials import SmbCredentials, find_credentials
from scanner.triage.setup import TriageFiles, build_suppressor
from scanner.triage.suppressor import Suppressor

log = logging.getLogger("mynumber_dlp")


class ReloadError(Exception):
    """A reload failed; the running config and rules stay."""


@dataclass(frozen=True, slots=True)
class Runtime:
    """One loaded config with its engine."""

    config: ServeConfig
    engine: Engine
    protected: ProtectedPaths
    """What this daemon never scans: its state and quarantine directories and alert log."""
    suppressor: Suppressor
    """The findings files, gates and web services do not report (baseline, allowlist, samples)."""
    smb: SmbCredentials | None = None
    """Who logs on to the shares of ``smb://`` watches; None when no watch is a share."""

    @property
    def ruleset(self) -> str:
        """The ruleset version, and what the suppressor hides (the state rescans a file when either
        changes: a finding allowlisted yesterday may not be today)."""
        digest = self.suppressor.digest
        return f"{self.engine.ruleset.version}+{digest}" if digest else self.engine.ruleset.version

    def policy_for(self, source: str) -> Policy:
        """The watch's own policy, else the global one."""
        watch = next((w for w in self.config.watches if w.name == source), None)
        return watch.policy if watch is not None and watch.policy is not None else self.config.policy

    def accepts(self, path: str) -> bool:
        """Whether a path may be scanned (not one of the daemon's own files)."""
        return self.protected.accepts(path)


def protected_paths(cfg: ServeConfig) -> ProtectedPaths:
    """What a daemon with this config never scans."""
    return ProtectedPaths.of(cfg.state_dir, cfg.quarantine_dir, cfg.alert_log)


def build_runtime(cfg: ServeConfig, key: str) -> Runtime:
    """The engine for ``cfg``'s rules and known numbers, and its suppressor; raises
    RuleError/OSError/TriageError on bad ones. Expired allowlist entries are logged."""
    ruleset = load_ruleset(list(cfg.scan.rules_dirs))
    known = load_list(cfg.scan.known_numbers) if cfg.scan.known_numbers else frozenset()
    scan = cfg.scan
    suppressor, warnings = build_suppressor(TriageFiles(scan.allowlist, scan.baseline, scan.allow_samples), key)
    for warning in warnings:
        log.warning("%s", warning)
    # audit jobs may name smb:// paths: whoever enqueues them decides
    smb = find_credentials(cfg.smb_credentials) if cfg.audits or any(w.share for w in cfg.watches) else None
    return Runtime(cfg, Engine(ruleset, Fingerprinter(key), known), protected_paths(cfg), suppressor, smb)


def reload_runtime(current: Runtime, config_path: Path | None, overrides: dict[str, Any], key: str) -> Runtime:
    """Config file (if any) and rules read again, command-line overrides applied again, layout
    checked; ``ReloadError`` says why when anything is wrong."""
    try:
        cfg = load_serve_config(config_path) if config_path else current.config
        cfg = apply_overrides(cfg, overrides)
        check_alert_destinations(cfg)
        check_layout(cfg.state_dir, cfg.quarantine_dir, cfg.alert_log, [w.local for w in cfg.watches if w.local])
        return build_runtime(cfg, key)
    except (ConfigError, RuleError, OSError, ValueError) as exc:
        raise ReloadError(str(exc)) from None
