"""The one error a config file gives."""


class ConfigError(ValueError):
    """The config file is unreadable or invalid. The message is one line:
    ``FILE: key.path[0].sub: message (did you mean 'x'?)``."""
