"""The ``declaration_url`` a hand-off answers with: a signed link to the declaration's form, built
without a request context so the Flask view and the lean hand-off path (``api_lean``) share it."""
from __future__ import annotations

import hmac
import json

from itsdangerous import Signer, TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode, want_bytes
from itsdangerous.signer import HMACAlgorithm
from itsdangerous.url_safe import URLSafeSerializerMixin

from common.journal import current as current_trace


class _KeyedSigner(TimestampSigner):
    """itsdangerous derives the signing key from the secret at every signature (one more HMAC); a
    link serializer's secret never changes, so its signer derives it once. With its default digest
    (SHA-1) it also keys one HMAC object once and signs with a copy of it (the same HMAC-SHA1:
    keying costs about as much as signing a link)."""

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        if secret_key is not None:
            return super().derive_key(secret_key)
        key = self.__dict__.get("_derived")
        if key is None:
            key = self._derived = super().derive_key()
        return key

    def get_signature(self, value: str | bytes) -> bytes:
        keyed = self.__dict__.get("_keyed")
        if keyed is None:
            sha1 = (self.digest_method is Signer.default_digest_method and type(self.algorithm) is HMACAlgorithm
                    and self.algorithm.digest_method is Signer.default_digest_method)
            keyed = self._keyed = hmac.new(self.derive_key(), digestmod="sha1") if sha1 else False
        if keyed is False:  # another digest or algorithm: itsdangerous' own way
            return super().get_signature(value)
        mac = keyed.copy()
        mac.update(want_bytes(value))
        return base64_encode(mac.digest())


_COMPACT_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # as itsdangerous' compact JSON sets them


class _LinkSerializer(URLSafeTimedSerializer):
    """Declaration links as ``URLSafeTimedSerializer`` signs them, never compressed: the payload is a
    few dozen bytes zlib cannot shorten, and trying costs more than all the rest of the signature.
    The session's plain ``URLSafeTimedSerializer`` reads them alike (no "." prefix: not compressed;
    the same key, derived once by one signer kept for the serializer's salt)."""

    default_signer = _KeyedSigner  # what ``__init__`` takes when given no signer (a ``signer`` attribute it overwrites)

    def dump_payload(self, obj) -> bytes:
        if self.serializer is not URLSafeTimedSerializer.default_serializer or self.serializer_kwargs:
            return base64_encode(super(URLSafeSerializerMixin, self).dump_payload(obj))
        # its default serializer's ``dumps`` with the encoder built once (``json.dumps`` given options builds one a call)
        return base64_encode(_COMPACT_JSON.encode(obj).encode())

    def make_signer(self, salt=None):
        if salt is not None:
            return super().make_signer(salt)
        signer = self.__dict__.get("_signer")
        if signer is None:
            signer = self._signer = super().make_signer(None)
        return signer


def _token_serializer(app) -> URLSafeTimedSerializer:
    """The app's declaration-link serializer, built once per secret (building one costs more than signing)."""
    secret, serializer = app.extensions.get("declaration_tokens", (None, None))
    if secret != app.secret_key:
        serializer = _LinkSerializer(app.secret_key, salt="declaration")
        app.extensions["declaration_tokens"] = (app.secret_key, serializer)
    return serializer


def declaration_token(app, declaration_id: int) -> str:
    """The signed part of a ``declaration_url``: the declaration and the trace the link is handed out
    in, so the browser a DMS redirects there joins that trace on whichever process or worker serves
    it (no shared memory needed)."""
    ctx = current_trace()
    value = [declaration_id, ctx.trace_id] if ctx is not None else declaration_id
    return _token_serializer(app).dumps(value)


_TOKEN = "TOKEN"  # stands for the token while the link's path is built once


def declaration_url(app, declaration_id: int) -> str:
    """The absolute link of a declaration for the DMS: ``PUBLIC_URL`` (never the request's host) and
    the ``session.entry`` route around a fresh token. The route's path is built once per app and
    base URL (from the URL map: no request needed); a token (URL-safe base64 and dots) needs no quoting."""
    base = app.config["PUBLIC_URL"]
    cached = app.extensions.get("declaration_link")
    if cached is None or cached[0] != base:
        path = app.url_map.bind("localhost").build("session.entry", {"token": _TOKEN})
        head, _, tail = path.partition(_TOKEN)
        cached = app.extensions["declaration_link"] = (base, base.rstrip("/") + head, tail)
    return cached[1] + declaration_token(app, declaration_id) + cached[2]
