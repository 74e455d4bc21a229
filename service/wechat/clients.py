"""Client of WeChat's API through wechatpy's client (Rasa's is service.core.rasa).

wechatpy is synchronous (requests): each send runs in a worker thread. The access token is the one
every service process shares (service/wechat/tokens.py). Failures come back as
values (-1 / the errcode), logged by kind only: never a message, an OpenID, a URL or an
exception's text (requests puts the URL, with the secret or the token, into its exceptions).
"""

import asyncio
import logging

import requests
from sqlalchemy.orm import Session, sessionmaker
from wechatpy import WeChatClient
from wechatpy.constants import WeChatErrorCode
from wechatpy.exceptions import WeChatClientException

from service.wechat.tokens import DatabaseTokenStorage, TokenUnavailable

log = logging.getLogger(__name__)

# wechatpy's errcodes for "this access token is not (or no longer) valid". Its auto_retry refreshes
# and retries for as long as WeChat answers one of them (a token fetch each time); here it is once.
_TOKEN_INVALID = frozenset(code.value for code in (
    WeChatErrorCode.INVALID_CREDENTIAL, WeChatErrorCode.INVALID_ACCESS_TOKEN, WeChatErrorCode.EXPIRED_ACCESS_TOKEN,
))
# What a wechatpy call raises: WeChat's errcode (None for an HTTP error status), no connection or
# no answer in time, an answer that is not JSON or has no access_token.
_FAILURES = (WeChatClientException, requests.RequestException, ValueError, KeyError, TokenUnavailable)
# urllib3 logs request URLs (DEBUG; WARNING on retries and bad headers); wechatpy and requests do not.
_URL_LOGGERS = ("urllib3.connectionpool", "urllib3.connection", "urllib3.poolmanager", "urllib3.util.retry")


class _HideApiUrls(logging.Filter):
    """WeChat's API URLs carry the app secret or the access token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "/cgi-bin/" not in record.getMessage()


def _hide_api_urls_from_urllib3_log() -> None:
    for name in _URL_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _HideApiUrls) for f in logger.filters):
            logger.addFilter(_HideApiUrls())


def _kind(failure: Exception) -> str:
    errcode = getattr(failure, "errcode", None)
    return f"errcode {errcode}" if errcode is not None else type(failure).__name__


class _TimeoutSession(requests.Session):
    """wechatpy fetches the token without a timeout: every request gets one."""

    def __init__(self, timeout_s: float) -> None:
        super().__init__()
        self._timeout_s = timeout_s

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        kwargs["timeout"] = kwargs.get("timeout") or self._timeout_s
        return super().request(method, url, **kwargs)


class _WeChatClient(WeChatClient):
    """wechatpy's client with every request, the token's too, at `base_url` (WeChat's or a fake), and
    the token from the storage all processes share."""

    session: DatabaseTokenStorage

    def __init__(self, *, base_url: str, app_id: str, app_secret: str, timeout_s: float,
                 tokens: DatabaseTokenStorage) -> None:
        super().__init__(app_id, app_secret, session=tokens, timeout=timeout_s, auto_retry=False)
        self.API_BASE_URL = f"{base_url.rstrip('/')}/cgi-bin/"
        self._http = _TimeoutSession(timeout_s)

    @property
    def access_token(self) -> str:
        # wechatpy's own trusts a token it did not fetch itself until it is refused.
        return self.session.token(self.access_token_key, fetch=self.fetch_access_token)

    def fetch_access_token(self) -> dict:
        # wechatpy's own asks https://api.weixin.qq.com whatever API_BASE_URL says.
        return self._fetch_access_token(
            url=f"{self.API_BASE_URL}token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )

    def close(self) -> None:
        self._http.close()


class WeChatApiClient:
    """The customer-service message API. The access token lives in the service's database (one for
    all processes) and is fetched again 60 s before it expires or once when WeChat rejects it."""

    def __init__(self, *, base_url: str, app_id: str, app_secret: str, sessions: sessionmaker[Session],
                 timeout_s: float = 10.0):
        _hide_api_urls_from_urllib3_log()
        # A token fetch takes at most timeout_s: a lease a little longer than that is never cut short.
        tokens = DatabaseTokenStorage(sessions, lease_s=timeout_s + 5)
        self._wechat = _WeChatClient(base_url=base_url, app_id=app_id, app_secret=app_secret, timeout_s=timeout_s,
                                     tokens=tokens)
        self._timeout_s = timeout_s  # each request's (requests) and the whole send's (asyncio)

    @property
    def configured(self) -> bool:
        return bool(self._wechat.appid and self._wechat.secret)

    async def send_text(self, *, openid: str, content: str) -> int:
        """One customer-service text message: WeChat's errcode, 0 when accepted, -1 when WeChat
        could not be reached or gave no token. A rejected token is refreshed and tried once more."""
        try:
            errcode = await asyncio.wait_for(asyncio.to_thread(self._send_text, openid, content), self._timeout_s)
        except TimeoutError:
            log.error("WeChat API did not answer within %s s", self._timeout_s)
            return -1
        if errcode > 0:
            log.error("WeChat customer-service message refused: errcode %s", errcode)
        return errcode

    def _send_text(self, openid: str, content: str) -> int:
        rejected: str | None = None
        errcode = -1
        for _attempt in range(2):
            try:
                token = self._access_token(rejected=rejected)
            except _FAILURES as failure:
                log.error("WeChat access token refused or unavailable: %s", _kind(failure))
                return -1
            try:
                answer = self._wechat.message.send_text(openid, content)
            except _FAILURES as failure:
                errcode = getattr(failure, "errcode", None) or -1
                if errcode == -1:
                    log.error("WeChat customer-service API unavailable: %s", _kind(failure))
                if errcode not in _TOKEN_INVALID:
                    return errcode
                rejected = token
                continue
            if not isinstance(answer, dict):  # wechatpy hands back what is not JSON as it came
                log.error("WeChat customer-service API answered without JSON")
                return -1
            return 0
        return errcode

    def _access_token(self, *, rejected: str | None) -> str:
        """The shared token; a new one when WeChat rejected it, unless another send (of any process)
        already replaced it."""
        return self._wechat.session.token(self._wechat.access_token_key, fetch=self._wechat.fetch_access_token,
                                          rejected=rejected)

    async def aclose(self) -> None:
        self._wechat.close()
