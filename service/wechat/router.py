"""GET /wechat (URL check) and POST /wechat (messages and events), as WeChat calls them."""

import logging
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Request
from fastapi.responses import PlainTextResponse, Response

from service.core import templates as t
from service.wechat.callback import BadMessage, BadSignature
from service.wechat.channel import WeChatChannel

log = logging.getLogger(__name__)

# What WeChat takes for "received, no passive reply".
SUCCESS = "success"


def get_wechat_channel(request: Request) -> WeChatChannel:
    """The channel the app built (service.main), or 503 while WECHAT_TOKEN is empty."""
    channel = getattr(request.app.state, "wechat_channel", None)
    if channel is None:
        raise HTTPException(status_code=503, detail=t.WECHAT_NOT_CONFIGURED)
    return channel


ChannelDep = Annotated[WeChatChannel, Depends(get_wechat_channel)]
router = APIRouter(tags=["wechat"])


def _verified(channel: WeChatChannel, request: Request) -> None:
    query = request.query_params
    try:
        channel.protocol.verify(
            signature=query.get("signature", ""), timestamp=query.get("timestamp", ""), nonce=query.get("nonce", "")
        )
    except BadSignature:
        log.warning("wechat callback refused: bad signature")
        raise HTTPException(status_code=403, detail=t.WECHAT_BAD_SIGNATURE) from None


@router.get("/wechat", response_class=PlainTextResponse, summary="WeChat's URL check")
async def check_url(channel: ChannelDep, request: Request) -> PlainTextResponse:
    """Echoes `echostr` when `signature` matches the token; 403 otherwise."""
    _verified(channel, request)
    return PlainTextResponse(request.query_params.get("echostr", ""))


@router.post("/wechat", summary="WeChat messages and events (plaintext or safe mode)")
async def receive(channel: ChannelDep, request: Request, background: BackgroundTasks) -> Response:
    """A passive reply (XML, encrypted in safe mode) or "success"; slow answers follow as
    customer-service messages."""
    _verified(channel, request)
    query = request.query_params
    encrypt_type = query.get("encrypt_type", "")
    try:
        message = channel.protocol.read(
            await request.body(), timestamp=query.get("timestamp", ""), nonce=query.get("nonce", ""),
            encrypt_type=encrypt_type, msg_signature=query.get("msg_signature", ""),
        )
    except BadSignature:
        log.warning("wechat message refused: bad msg_signature")
        raise HTTPException(status_code=403, detail=t.WECHAT_BAD_SIGNATURE) from None
    except BadMessage:
        log.warning("wechat message refused: unreadable body (%d bytes)", len(await request.body()))
        raise HTTPException(status_code=400, detail=t.WECHAT_BAD_MESSAGE) from None
    outcome = await channel.connector.handle(message)
    if outcome.later is not None:
        background.add_task(outcome.later)
    if outcome.reply is None:
        return PlainTextResponse(SUCCESS)
    xml = channel.protocol.reply(message, outcome.reply, encrypted=encrypt_type == "aes", nonce=query.get("nonce", ""))
    return Response(content=xml, media_type="application/xml")
