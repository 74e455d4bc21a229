"""WeChat's callback protocol through wechatpy: signatures, safe-mode crypto, XML in and out."""

import binascii
import logging
import struct
import time
from xml.parsers.expat import ExpatError

from wechatpy import create_reply, parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.messages import BaseMessage
from wechatpy.utils import check_signature

log = logging.getLogger(__name__)


class BadSignature(Exception):
    """The request was not signed with our token (→ 403)."""


class BadMessage(Exception):
    """The body is not a WeChat message we can read (→ 400)."""


# What broken XML, base64, padding or text encoding raise inside xmltodict and wechatpy.
_UNREADABLE = (ExpatError, KeyError, TypeError, ValueError, IndexError, binascii.Error, struct.error)


class CallbackProtocol:
    def __init__(self, *, token: str, app_id: str, encoding_aes_key: str):
        self._token = token
        self._crypto = WeChatCrypto(token, encoding_aes_key, app_id) if encoding_aes_key else None

    def verify(self, *, signature: str, timestamp: str, nonce: str) -> None:
        """sha1 of the sorted token, timestamp and nonce must equal `signature`."""
        if not (signature and timestamp and nonce):
            raise BadSignature
        try:
            check_signature(self._token, signature, timestamp, nonce)
        except InvalidSignatureException:
            raise BadSignature from None

    def read(self, body: bytes, *, timestamp: str, nonce: str, encrypt_type: str, msg_signature: str) -> BaseMessage:
        """The message in a verified POST body, decrypted first in safe mode (encrypt_type=aes)."""
        if encrypt_type == "aes":
            if self._crypto is None:
                log.error("safe-mode message received but WECHAT_ENCODING_AES_KEY is not set")
                raise BadMessage
            if not msg_signature:
                raise BadSignature
            try:
                xml = self._crypto.decrypt_message(body, msg_signature, timestamp, nonce)
            except (InvalidSignatureException, InvalidAppIdException):
                raise BadSignature from None
            except _UNREADABLE:
                raise BadMessage from None
        elif encrypt_type in ("", "raw"):
            xml = body
        else:
            raise BadMessage
        try:
            message = parse_message(xml)
            # Fields are converted when read: read the ones we rely on now.
            if message is None or not message.source or not message.target or message.time <= 0:
                raise BadMessage
            message.id  # noqa: B018
        except _UNREADABLE:
            raise BadMessage from None
        return message

    def reply(self, message: BaseMessage, text: str, *, encrypted: bool, nonce: str) -> str:
        """The passive text reply's XML, encrypted when the message came encrypted."""
        xml = create_reply(text, message, render=True)
        if encrypted and self._crypto is not None:
            return self._crypto.encrypt_message(xml, nonce, str(int(time.time())))
        return xml
