"""The WeChat channel: the callback protocol, the connector and its two clients (Rasa's, shared
with the rest of the app, and the WeChat API's, its own), built from settings."""

from dataclasses import dataclass

from service.core.db import get_session_factory
from service.core.rasa import RasaClient
from service.core.settings import Settings
from service.wechat.callback import CallbackProtocol
from service.wechat.clients import WeChatApiClient
from service.wechat.service import WeChatConnector


@dataclass
class WeChatChannel:
    protocol: CallbackProtocol
    connector: WeChatConnector
    api: WeChatApiClient

    async def aclose(self) -> None:
        """Closes the WeChat API's client; the Rasa client belongs to whoever passed it."""
        await self.api.aclose()


def build_channel(settings: Settings, *, rasa: RasaClient, api: WeChatApiClient | None = None,
                  database_url: str | None = None) -> WeChatChannel:
    """The channel from settings around the app's Rasa client; tests pass fake clients and their database."""
    sessions = get_session_factory(database_url)
    # The outbox worker gives up on a send after WECHAT_SEND_TIMEOUT_S: the request must end then too,
    # or WeChat may still take it while the worker already counts it as failed (and sends it again).
    api = api or WeChatApiClient(
        base_url=settings.WECHAT_API_BASE, app_id=settings.WECHAT_APP_ID, app_secret=settings.WECHAT_APP_SECRET,
        sessions=sessions, timeout_s=settings.WECHAT_SEND_TIMEOUT_S,
    )
    return WeChatChannel(
        protocol=CallbackProtocol(
            token=settings.WECHAT_TOKEN, app_id=settings.WECHAT_APP_ID,
            encoding_aes_key=settings.WECHAT_ENCODING_AES_KEY,
        ),
        connector=WeChatConnector(
            sessions=sessions, rasa=rasa, api=api,
            passive_reply_s=settings.WECHAT_PASSIVE_REPLY_S,
        ),
        api=api,
    )
