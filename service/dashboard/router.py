"""The dashboard page (/dashboard) and one API per chart: /api/dashboard/<chart>?from=&to=&format=csv
(staff token). The page also lists the open 好差评 follow-ups from /api/follow-ups."""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import FileResponse

from service.core import clock
from service.core.auth import require_staff
from service.core.db import SessionDep
from service.core.pages import page
from service.dashboard.charts import CHARTS, Build
from service.dashboard.csv_export import csv_filename, table_csv
from service.dashboard.period import PeriodDep
from service.dashboard.schemas import ChartTable

api_router = APIRouter(prefix="/api/dashboard", tags=["dashboard (staff)"], dependencies=[Depends(require_staff)])
page_router = APIRouter(include_in_schema=False)

NowDep = Annotated[datetime, Depends(clock.now)]
Format = Annotated[Literal["json", "csv"], Query(alias="format", description="csv: a spreadsheet of the same table")]


def _chart_endpoint(build: Build) -> Callable[..., ChartTable | Response]:
    def chart(session: SessionDep, now: NowDep, period: PeriodDep, output: Format = "json") -> ChartTable | Response:
        table = build(session, period, now)
        if output == "csv":
            return Response(table_csv(table), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{csv_filename(table)}"'})
        return table

    return chart


for name, build in CHARTS.items():
    api_router.add_api_route(f"/{name}", _chart_endpoint(build), methods=["GET"], response_model=ChartTable,
                             name=f"dashboard_{name}", summary=name)


@page_router.get("/dashboard")
def dashboard_page() -> FileResponse:
    return page("dashboard.html")
