"""A community admin exports the orders from the list; a big export's page follows its job under the CSP."""

import pytest
from django.test import override_settings

from alliance.core import export_jobs
from alliance.core.models import ExportJob
from tests.browser_support import login, shot
from tests.members.factories import ResidentFactory
from tests.services.factories import OrderFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_orders_list_downloads_an_excel_file(desktop_page, community_admin, community):
    OrderFactory.create_batch(2, resident=ResidentFactory(grid_node=community))
    page = desktop_page
    login(page, community_admin, admin=True)

    page.goto("/admin/services/order/?status__exact=submitted")
    shot(page, "export_orders_list")
    with page.expect_download() as info:
        page.get_by_role("link", name="导出Excel").click()

    assert info.value.suggested_filename.startswith("点单-") and info.value.suggested_filename.endswith(".xlsx")


@override_settings(EXPORT_SYNC_MAX_ROWS=1)
def test_the_job_page_shows_the_download_link_when_the_job_is_done(
    desktop_page, community_admin, community, tmp_path, settings
):
    settings.EXPORT_ROOT = tmp_path
    OrderFactory.create_batch(2, resident=ResidentFactory(grid_node=community))
    page = desktop_page
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    login(page, community_admin, admin=True)

    # Past the limit: the job's page (no worker here: the broker is left alone, the job stays queued).
    page.goto("/admin/services/order/")
    page.get_by_role("link", name="导出Excel").click()
    page.locator(".export-job").wait_for()
    assert "排队中" in page.locator(".export-status").inner_text()
    shot(page, "export_job_waiting")

    # The job runs meanwhile; the page's script notices and shows the link without a click.
    export_jobs.run_job(ExportJob.objects.get().pk)
    page.get_by_role("link", name="下载 点单-").wait_for()
    shot(page, "export_job_done")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 点单-").click()
    assert info.value.suggested_filename.startswith("点单-")
    assert not [e for e in errors if "Content Security Policy" in e]
