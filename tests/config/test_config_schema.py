"""Config files are checked against one schema: typos, wrong types and unset variables are
one-line errors naming the file and the key path; sizes, durations and ${VAR} are read as
people write them; every default is written once, in the schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from scanner.config import (
    ConfigError,
    ConfigFile,
    ScanConfig,
    ServeConfig,
    apply_overrides,
    default_serve_config,
    effective_config,
    load_scan_config,
    load_serve_config,
)
from scanner.detect.finding import Confidence

MiB = 1 << 20


def write(tmp_path: Path, text: str | bytes, name: str = "serve.toml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as err:
        load_serve_config(path)
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message[len(f"{path}: "):]


@pytest.mark.parametrize(
    "text,expected",
    [
        ('[serve]\nquarantine_dirr = "/q"\n', "serve.quarantine_dirr: unknown key (did you mean 'quarantine_dir'?)"),
        ("[limitz]\nmax_file_size = 1\n", "limitz: unknown key (did you mean 'limits'?)"),
        ('[serve]\n[[serve.watch]]\npth = "/x"\n', "serve.watch[0].pth: unknown key (did you mean 'path'?)"),
        ('[policy]\nquarantine_min_confidance = "high"\n',
         "policy.quarantine_min_confidance: unknown key (did you mean 'quarantine_min_confidence'?)"),
        ('[serve]\n[[serve.watch]]\npath = "/x"\n[serve.watch.policy]\nquarantin = false\n',
         "serve.watch[0].policy.quarantin: unknown key (did you mean 'quarantine'?)"),
    ],
)
def test_a_misspelt_key_is_rejected_with_its_path_and_the_key_meant(tmp_path, text, expected):
    assert error_of(write(tmp_path, text)) == expected


def test_a_misspelt_quarantine_dir_no_longer_turns_quarantine_off_silently(tmp_path):
    with pytest.raises(ConfigError, match="did you mean 'quarantine_dir'"):
        load_serve_config(write(tmp_path, '[serve]\nquarantine_dirr = "/srv/q"\n'))


def test_the_scan_command_rejects_typos_too(tmp_path):
    with pytest.raises(ConfigError, match=r"scan\.exlude: unknown key \(did you mean 'exclude'\?\)"):
        load_scan_config(write(tmp_path, '[scan]\nexlude = ["*.iso"]\n'))


def test_a_string_for_a_bool_is_an_error_not_true(tmp_path):
    message = error_of(write(tmp_path, '[serve]\nalerts_to_stdout = "no"\n'))
    assert message == "serve.alerts_to_stdout: 'alerts_to_stdout' must be bool (true or false), got string 'no'"


@pytest.mark.parametrize(
    "text,expected",
    [
        ('[scan]\njobs = "4"\n', "scan.jobs: 'jobs' must be int, got string '4'"),
        ("[scan]\njobs = -1\n", "scan.jobs: must be >= 0, got -1"),
        ("[limits]\nmax_files = 1.5\n", "limits.max_files: 'max_files' must be int, got number 1.5"),
        ('rules_dirs = "/etc/rules"\n', "rules_dirs: 'rules_dirs' must be an array, got string '/etc/rules'"),
        ("scan = 3\n", "scan: 'scan' must be a table, got number 3"),
        ('[scan]\nmin_confidence = "hihg"\n', "scan.min_confidence: must be low, medium or high, not 'hihg'"),
        ('[serve]\nmetrics_address = "localhost"\n', "serve.metrics_address: must be host:port, not 'localhost'"),
        ('[policy]\non_unscanned = "drop"\n', "policy.on_unscanned: must be one of alert, quarantine, ignore, not 'drop'"),
        ('[serve]\n[[serve.queue]]\ntype = "redis"\nurl = "redis://h"\noutput = "o"\nquarantine = "q"\n',
         "serve.queue[0].input: required key is missing"),
        ("[limits]\nmax_scan_time = 0\n", "limits.max_scan_time: must be > 0.0, got 0.0"),
    ],
)
def test_a_wrong_type_or_value_is_one_line_naming_the_key(tmp_path, text, expected):
    assert error_of(write(tmp_path, text)) == expected


def test_invalid_toml_and_a_missing_file_are_one_line_too(tmp_path):
    assert error_of(write(tmp_path, "not toml [")).startswith("invalid TOML: ")
    with pytest.raises(ConfigError, match="cannot read"):
        load_serve_config(tmp_path / "absent.toml")


def test_fingerprint_key_expands_environment_variables(tmp_path, monkeypatch):
    monkeypatch.setenv("MY_KEY", "s3cret")
    assert load_scan_config(write(tmp_path, 'fingerprint_key = "${MY_KEY}"\n')).fingerprint_key == "s3cret"


def test_every_string_expands_variables_and_dollar_dollar_is_a_literal(tmp_path, monkeypatch):
    monkeypatch.setenv("SHARE", "/srv/share")
    cfg = load_serve_config(write(tmp_path, '[serve]\nwebhook_url = "https://h/$${X}"\n[[serve.watch]]\npath = "${SHARE}/hr"\n'))
    assert cfg.watches[0].path == Path("/srv/share/hr") and cfg.webhook_url == "https://h/${X}"


def test_an_unset_variable_is_an_error_naming_the_variable_and_the_key(tmp_path, monkeypatch):
    monkeypatch.delenv("MYNUMBER_DLP_BROKER_URL", raising=False)
    text = ('[serve]\n[[serve.queue]]\ntype = "redis"\nurl = "${MYNUMBER_DLP_BROKER_URL}"\n'
            'input = "i"\noutput = "o"\nquarantine = "q"\n')
    assert error_of(write(tmp_path, text)) == "serve.queue[0].url: environment variable MYNUMBER_DLP_BROKER_URL is not set"


def test_a_bom_at_the_start_of_the_file_is_accepted(tmp_path):
    cfg = load_serve_config(write(tmp_path, b"\xef\xbb\xbf[scan]\njobs = 2\n"))
    assert cfg.scan.jobs == 2


def test_sizes_and_durations_are_read_as_people_write_them(tmp_path):
    text = ('[limits]\nmax_file_size = "256MiB"\nmax_scan_size = "1.5 GiB"\nmax_memory = "500MB"\nmax_scan_time = "2m"\n'
            '[serve]\ndebounce_quiet = "500ms"\nreconcile_interval = "1h30m"\ndrain_timeout = 45\n'
            '[[serve.watch]]\npath = "/x"\npoll = "30s"\n')
    cfg = load_serve_config(write(tmp_path, text))
    limits = cfg.scan.limits
    assert (limits.max_file_size, limits.max_scan_size, limits.max_memory) == (256 * MiB, 1536 * MiB, 500_000_000)
    assert limits.max_scan_time == 120.0
    assert (cfg.debounce_quiet, cfg.reconcile_interval, cfg.drain_timeout, cfg.watches[0].poll) == (0.5, 5400.0, 45.0, 30.0)


def test_plain_numbers_are_still_bytes_and_seconds(tmp_path):
    cfg = load_scan_config(write(tmp_path, "[limits]\nmax_file_size = 268435456\nmax_scan_time = 120\n"))
    assert (cfg.limits.max_file_size, cfg.limits.max_scan_time) == (256 * MiB, 120.0)


@pytest.mark.parametrize("value", ['"256 parsecs"', '"MiB"', '"-5MiB"', "true"])
def test_a_size_that_is_not_one_is_rejected(tmp_path, value):
    assert error_of(write(tmp_path, f"[limits]\nmax_file_size = {value}\n")).startswith("limits.max_file_size: ")


def test_a_watch_policy_sets_only_what_differs_from_the_global_one(tmp_path):
    text = ('[policy]\nalert_min_confidence = "high"\n[serve]\n[[serve.watch]]\npath = "/hr"\n'
            '[serve.watch.policy]\nquarantine = false\n[[serve.watch]]\npath = "/share"\n')
    hr, share = load_serve_config(write(tmp_path, text)).watches
    assert hr.policy.alert_min_confidence is Confidence.HIGH and hr.policy.quarantine is False
    assert share.policy is None and (hr.name, share.name) == ("watch0", "watch1")


def test_policy_on_unscanned_defaults_to_alert_and_takes_the_three_actions(tmp_path):
    assert load_serve_config(write(tmp_path, "")).policy.on_unscanned == "alert"
    for action in ("alert", "quarantine", "ignore"):
        assert load_serve_config(write(tmp_path, f'[policy]\non_unscanned = "{action}"\n')).policy.on_unscanned == action


def test_an_empty_file_gives_the_schema_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    cfg = load_serve_config(write(tmp_path, ""))
    assert cfg.state_dir == tmp_path / "data" / "mynumber-dlp" / "state"
    assert cfg.alert_log == cfg.state_dir / "alerts.jsonl" and cfg.quarantine_dir is None
    assert cfg.alerts_to_stdout is True and cfg.debounce_quiet == 1.0 and cfg.queue_size == 100_000
    assert cfg.scan == ScanConfig(source=str(tmp_path / "serve.toml"))
    assert load_serve_config(write(tmp_path, '[serve]\nalert_log = ""\n')).alert_log is None


def _models(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    seen.add(model)
    for info in model.model_fields.values():
        for tp in (info.annotation, *getattr(info.annotation, "__args__", ())):
            inner = getattr(tp, "__args__", (tp,))[0] if getattr(tp, "__origin__", None) is tuple else tp
            if isinstance(inner, type) and issubclass(inner, BaseModel) and inner not in seen:
                _models(inner, seen)
    return seen


def test_every_key_of_the_schema_and_the_config_objects_has_a_description():
    models = _models(ConfigFile, set()) | _models(ServeConfig, set())
    undocumented = [f"{m.__name__}.{n}" for m in models for n, f in m.model_fields.items() if not f.description]
    assert undocumented == []
    assert len(models) >= 9  # file, [scan], [limits], [policy], [serve], watch, queue, ScanConfig, ServeConfig


def test_effective_config_masks_the_key_and_url_passwords(tmp_path, monkeypatch):
    monkeypatch.setenv("BROKER", "amqp://dlp:hunter2@mq:5672/%2F")
    text = ('fingerprint_key = "topsecret"\n[serve]\nwebhook_url = "https://u:pw@hooks/x?token=abc"\n'
            '[[serve.queue]]\ntype = "rabbitmq"\nurl = "${BROKER}"\ninput = "i"\noutput = "o"\nquarantine = "q"\n')
    shown = effective_config(load_serve_config(write(tmp_path, text)))
    text_shown = repr(shown)
    assert "topsecret" not in text_shown and "hunter2" not in text_shown and "pw@" not in text_shown and "abc" not in text_shown
    assert shown["serve"]["queue"][0]["url"] == "amqp://dlp:********@mq:5672/%2F"
    assert shown["fingerprint_key"] == "********" and shown["limits"]["max_file_size"] == 256 * MiB
    assert shown["policy"]["alert_min_confidence"] == "medium" and shown["serve"]["queue"][0]["dead_letter"] == "i.dead"


def test_the_fingerprint_key_is_not_in_the_repr_of_a_config(tmp_path):
    assert "topsecret" not in repr(load_serve_config(write(tmp_path, 'fingerprint_key = "topsecret"\n')))


def test_command_line_overrides_move_the_alert_log_with_the_state_dir(tmp_path):
    cfg = apply_overrides(default_serve_config(), {"state_dir": str(tmp_path / "s"), "poll": 2.0})
    assert cfg.alert_log == tmp_path / "s" / "alerts.jsonl" and cfg.watches[0].poll == 2.0
    with pytest.raises(ConfigError, match="host:port"):
        apply_overrides(cfg, {"metrics_address": "nowhere"})


def test_the_readme_example_with_every_key_loads_and_shows_the_schema_defaults(tmp_path, monkeypatch):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Configuration"):]
    example = section[section.index("```toml\n") + 8:section.index("```\n")]
    monkeypatch.setenv("MYNUMBER_DLP_KEY", "k")
    cfg = load_serve_config(write(tmp_path, example))
    default = load_serve_config(write(tmp_path, "", "empty.toml"))
    assert cfg.policy == default.policy and cfg.scan.limits == default.scan.limits
    assert (cfg.debounce_quiet, cfg.reconcile_interval, cfg.drain_timeout) == (1.0, 3600.0, 30.0)
    assert cfg.watches[0].policy.quarantine is False and cfg.watches[0].name == "watch0"


@pytest.mark.parametrize(("address", "refused"), [
    ("127.0.0.1:8080", False), ("localhost:8080", False), ("[::1]:8080", False),
    ("0.0.0.0:8080", True), ("10.0.0.5:8080", True), ("dlp.example.jp:8080", True),
])
def test_the_scan_api_needs_a_token_unless_it_listens_on_loopback(tmp_path, address, refused):
    path = write(tmp_path, f'[serve.api]\naddress = "{address}"\n')
    if refused:
        assert "token is required" in error_of(path)
    else:
        assert load_serve_config(path).api.address == address


def test_the_scan_api_tls_cert_and_key_go_together_and_the_token_is_masked(tmp_path, monkeypatch):
    assert "go together" in error_of(write(tmp_path, '[serve.api]\ntls_cert = "/etc/dlp/api.pem"\n'))
    monkeypatch.setenv("MYNUMBER_DLP_API_TOKEN", "hunter2")
    text = '[serve.api]\naddress = "0.0.0.0:8443"\ntoken = "${MYNUMBER_DLP_API_TOKEN}"\n'
    cfg = load_serve_config(write(tmp_path, text))
    assert cfg.api.token == "hunter2" and "hunter2" not in repr(cfg)
    assert effective_config(cfg)["serve"]["api"]["token"] == "********"
