"""HAR 1.2 as a JSON Schema (the required fields and types of the spec, W3C Web Performance WG draft
"HTTP Archive (HAR) format" / Jan Odvarko's HAR 1.2 spec), to check an export really is one."""
from __future__ import annotations

import jsonschema

_PAIRS = {"type": "array", "items": {"type": "object", "required": ["name", "value"],
                                     "properties": {"name": {"type": "string"}, "value": {"type": "string"}}}}
_COOKIES = {"type": "array", "items": {"type": "object", "required": ["name", "value"]}}

HAR_1_2 = {
    "type": "object", "required": ["log"],
    "properties": {"log": {
        "type": "object", "required": ["version", "creator", "entries"],
        "properties": {
            "version": {"const": "1.2"},
            "creator": {"type": "object", "required": ["name", "version"],
                        "properties": {"name": {"type": "string"}, "version": {"type": "string"}}},
            "pages": {"type": "array"},
            "entries": {"type": "array", "items": {
                "type": "object",
                "required": ["startedDateTime", "time", "request", "response", "cache", "timings"],
                "properties": {
                    "startedDateTime": {"type": "string", "format": "date-time",
                                        "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$"},
                    "time": {"type": "number", "minimum": 0},
                    "request": {
                        "type": "object",
                        "required": ["method", "url", "httpVersion", "cookies", "headers", "queryString",
                                     "headersSize", "bodySize"],
                        "properties": {
                            "method": {"type": "string"}, "url": {"type": "string"},
                            "httpVersion": {"type": "string"}, "cookies": _COOKIES, "headers": _PAIRS,
                            "queryString": _PAIRS, "headersSize": {"type": "integer"},
                            "bodySize": {"type": "integer"},
                            "postData": {"type": "object", "required": ["mimeType"],
                                         "properties": {"mimeType": {"type": "string"},
                                                        "text": {"type": "string"}}}}},
                    "response": {
                        "type": "object",
                        "required": ["status", "statusText", "httpVersion", "cookies", "headers", "content",
                                     "redirectURL", "headersSize", "bodySize"],
                        "properties": {
                            "status": {"type": "integer"}, "statusText": {"type": "string"},
                            "httpVersion": {"type": "string"}, "cookies": _COOKIES, "headers": _PAIRS,
                            "content": {"type": "object", "required": ["size", "mimeType"],
                                        "properties": {"size": {"type": "integer"},
                                                       "mimeType": {"type": "string"},
                                                       "text": {"type": "string"}}},
                            "redirectURL": {"type": "string"}, "headersSize": {"type": "integer"},
                            "bodySize": {"type": "integer"}}},
                    "cache": {"type": "object"},
                    "timings": {"type": "object", "required": ["send", "wait", "receive"],
                                "properties": {k: {"type": "number", "minimum": -1}
                                               for k in ("blocked", "dns", "connect", "send", "wait",
                                                         "receive", "ssl")}}}}}}}},
}


def validate_har(document: dict) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``document`` is a HAR 1.2 log."""
    jsonschema.validate(document, HAR_1_2, format_checker=jsonschema.FormatChecker())
