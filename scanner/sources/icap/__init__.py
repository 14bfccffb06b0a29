"""ICAP (RFC 3507): web proxies hand each request to this service before it leaves."""
