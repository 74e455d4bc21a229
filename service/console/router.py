"""Serves the hotline agents' console (/console); the page itself calls the tickets and assist APIs."""

from fastapi import APIRouter
from fastapi.responses import FileResponse

from service.core.pages import page

router = APIRouter(tags=["console"], include_in_schema=False)


@router.get("/console")
def console_page() -> FileResponse:
    return page("console.html")
