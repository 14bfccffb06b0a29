"""The scan API's OpenAPI document (``GET /v1/openapi.json``): what a caller may send to
``POST /v1/scan`` and what it gets back, the contract's records as JSON. Written by hand so it
says exactly what the handler does; the tests hold the service to it (schemathesis)."""

from __future__ import annotations

from typing import Any

from scanner.config.web import API_OPENAPI_PATH, API_SCAN_PATH
from scanner.detect.finding import Confidence

OPENAPI_VERSION = "3.0.3"

_TEXT: dict[str, Any] = {"type": "string"}
_MEMBER: dict[str, Any] = {"type": "string", "nullable": True, "description":
                           "Where inside the body (form:field, upload:roster.xlsx/Sheet1); null: the body itself."}
FINDING_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A likely My Number: never the number, only its masked form and keyed fingerprint.",
    "required": ["type", "path", "member", "line", "column", "rule", "confidence", "score", "masked",
                 "fingerprint", "reasons"],
    "additionalProperties": False,
    "properties": {
        "type": {"type": "string", "enum": ["finding"]},
        "path": _TEXT,
        "member": _MEMBER,
        "line": {"type": "integer", "minimum": 1},
        "column": {"type": "integer", "minimum": 1},
        "rule": _TEXT,
        "confidence": {"type": "string", "enum": [c.label for c in Confidence]},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "masked": _TEXT,
        "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$",
                        "description": "HMAC-SHA256 of the number under the configured key, lowercase hex"},
        "reasons": {"type": "array", "items": _TEXT},
    },
}
NOT_SCANNED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A part of the body that could not be read, and why (it makes the verdict block by default).",
    "required": ["type", "path", "member", "reason", "detail"],
    "additionalProperties": False,
    "properties": {"type": {"type": "string", "enum": ["not_scanned"]}, "path": _TEXT, "member": _MEMBER,
                   "reason": _TEXT, "detail": _TEXT},
}
ERROR_SCHEMA: dict[str, Any] = {"type": "object", "required": ["error"], "properties": {"error": _TEXT}}
_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


def openapi_document(token_required: bool, max_parameter_chars: int) -> dict[str, Any]:
    """The document, with bearer authentication on ``/v1/scan`` when a token is configured."""
    bounded = {"type": "string", "maxLength": max_parameter_chars}
    scan: dict[str, Any] = {
        "summary": "Scan a body for My Numbers",
        "description": "The raw body is read by its Content-Type (text, JSON, forms, multipart uploads, "
                       "documents by their content) after its Content-Encoding (gzip, deflate, br).",
        "operationId": "scan",
        "parameters": [
            {"name": "filename", "in": "query", "required": False, "schema": bounded,
             "description": "The body is this file (its name helps read it; records name it, numbers masked)."},
            {"name": "content_type", "in": "query", "required": False, "schema": bounded,
             "description": "Read the body as this media type instead of the Content-Type header's."},
        ],
        "requestBody": {"required": False, "content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            "text/plain": {"schema": {"type": "string"}},
            "application/json": {"schema": {}},
            "application/x-www-form-urlencoded": {"schema": {"type": "object",
                                                             "additionalProperties": {"type": "string"}}},
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "file": {"type": "string", "format": "binary"}}}},
        }},
        "responses": {
            "200": {"description": "The verdict and the records",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScanResult"}}}},
            "400": {"description": "A request this API cannot take", "content": _ERROR},
            "408": {"description": "The body did not arrive in time", "content": _ERROR},
        },
    }
    components: dict[str, Any] = {"schemas": {
        "ScanResult": {
            "type": "object", "required": ["verdict", "findings", "not_scanned"], "additionalProperties": False,
            "properties": {
                "verdict": {"type": "string", "enum": ["block", "allow"],
                            "description": "block: a finding at or above the configured confidence, or a part "
                                           "not read (unless on_oversize = allow)"},
                "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
                "not_scanned": {"type": "array", "items": {"$ref": "#/components/schemas/NotScanned"}},
            }},
        "Finding": FINDING_SCHEMA, "NotScanned": NOT_SCANNED_SCHEMA, "Error": ERROR_SCHEMA}}
    if token_required:
        scan["security"] = [{"bearer": []}]
        scan["responses"]["401"] = {"description": "No or a wrong bearer token", "content": _ERROR}
        components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": "mynumber-dlp scan API", "version": "1",
                 "description": "Finds Japanese Individual Numbers (My Numbers) in what a caller is about to "
                                "publish. Answers masked values and keyed fingerprints, never a number."},
        "paths": {
            API_SCAN_PATH: {"post": scan},
            API_OPENAPI_PATH: {"get": {"summary": "This document", "operationId": "openapi", "responses": {
                "200": {"description": "The OpenAPI document", "content": {"application/json": {"schema": {
                    "type": "object"}}}}}}},
        },
        "components": components,
    }
