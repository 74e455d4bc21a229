"""A chart's table as a CSV file: a header row of the columns' Chinese labels, UTF-8 with a byte-order
mark so Excel opens the Chinese correctly (as the work orders' export does)."""

import csv
import io

from service.dashboard.schemas import ChartTable


def table_csv(table: ChartTable) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([column.label for column in table.columns])
    writer.writerows(table.rows)
    return buffer.getvalue()


def csv_filename(table: ChartTable) -> str:
    return f"dashboard-{table.chart}-{table.start:%Y%m%d}-{table.end:%Y%m%d}.csv"
