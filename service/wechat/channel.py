"""The WeChat channel: the callback protocol, the connector and its two clients, built from settings."""

from dataclasses import dataclass

from service.core.db import get_session_factory
from service.core.settings import Settings
from service.wechat.callback import CallbackProtocol
from service.wechat.clients import BotClient, WeChatApiClient
from service.wechat.service import WeChatConnector


@dataclass
class WeChatChannel:
    protocol: CallbackProtocol
    connector: WeChatConnector
    bot: BotClient
    api: WeChatApiClient

    async def aclose(self) -> None:
        await self.bot.aclose()
        await self.api.aclose()


def build_channel(settings: Settings, *, bot: BotClient | None = None, api: WeChatApiClient | None = None,
                  database_url: str | None = None) -> WeChatChannel:
    """The channel from settings; tests pass fake clients and their database."""
    bot = bot or BotClient(base_url=settings.RASA_URL, timeout_s=settings.WECHAT_BOT_TIMEOUT_S)
    api = api or WeChatApiClient(
        base_url=settings.WECHAT_API_BASE, app_id=settings.WECHAT_APP_ID, app_secret=settings.WECHAT_APP_SECRET
    )
    return WeChatChannel(
        protocol=CallbackProtocol(
            token=settings.WECHAT_TOKEN, app_id=settings.WECHAT_APP_ID,
            encoding_aes_key=settings.WECHAT_ENCODING_AES_KEY,
        ),
        connector=WeChatConnector(
            sessions=get_session_factory(database_url), bot=bot, api=api,
            passive_reply_s=settings.WECHAT_PASSIVE_REPLY_S,
        ),
        bot=bot,
        api=api,
    )
