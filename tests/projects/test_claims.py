"""Claiming a project: capacity and one claim per unit hold under concurrency; the claim lifecycle."""

import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connections
from PIL import Image

from alliance.core.errors import Conflict
from projects import actions
from projects.models import Claim, Project
from tests.members.factories import MemberUnitFactory, UnitOperatorFactory
from tests.projects.factories import ClaimFactory, ProjectFactory


def png(name="photo.png", size=(8, 8)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, "red").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_claimers_get_exactly_capacity_claims(community):
    # Given a published project of capacity 3 and 24 units, each with its own operator
    project = ProjectFactory(grid_node=community, capacity=3)
    operators = [UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community)) for _ in range(24)]
    barrier = threading.Barrier(len(operators))
    results: list[str] = []
    lock = threading.Lock()

    def claim(operator):
        try:
            barrier.wait()
            actions.claim_project(by=operator, project=project)
            outcome = "ok"
        except Conflict as exc:
            outcome = exc.message
        except Exception as exc:  # noqa: BLE001 - any other error fails the test below
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    # When all of them claim at once, each thread on its own database connection
    threads = [threading.Thread(target=claim, args=(op,)) for op in operators]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # Then exactly three got a place and the others were told it is full
    assert results.count("ok") == 3
    assert results.count("该项目认领名额已满") == 21
    project.refresh_from_db()
    assert Claim.objects.filter(project=project).count() == 3
    assert project.active_claims == 3


def test_a_unit_claims_a_project_once(unit_operator, community):
    project = ProjectFactory(grid_node=community, capacity=5)
    actions.claim_project(by=unit_operator, project=project)
    with pytest.raises(Conflict, match="已认领"):
        actions.claim_project(by=unit_operator, project=project)


def test_database_refuses_a_second_claim_of_one_unit(community, unit):
    project = ProjectFactory(grid_node=community, capacity=1)
    ClaimFactory(project=project, unit=unit)
    with pytest.raises(IntegrityError):
        Claim.objects.create(project=project, unit=unit)


def test_counter_cannot_exceed_capacity_in_the_database(community):
    project = ProjectFactory(grid_node=community, capacity=1)
    with pytest.raises(IntegrityError):
        Project.objects.filter(pk=project.pk).update(active_claims=2)


def test_only_published_projects_take_claims(unit_operator, community):
    project = ProjectFactory(grid_node=community, status=Project.Status.DRAFT)
    with pytest.raises(ValidationError, match="不接受认领"):
        actions.claim_project(by=unit_operator, project=project)


def test_residents_cannot_claim(resident, community):
    with pytest.raises(PermissionDenied):
        actions.claim_project(by=resident, project=ProjectFactory(grid_node=community))


def test_rejecting_a_claim_frees_its_place(unit_operator, community_admin, community):
    project = ProjectFactory(grid_node=community, capacity=1)
    claim = actions.claim_project(by=unit_operator, project=project)
    other = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community))
    with pytest.raises(Conflict):
        actions.claim_project(by=other, project=project)

    actions.reject_claim(by=community_admin, claim=claim, note="资质不符")

    assert actions.claim_project(by=other, project=project).status == Claim.Status.PENDING
    assert unit_operator.notifications.filter(key=f"claim:{claim.pk}:rejected").exists()


def test_claim_lifecycle_from_approval_to_evaluation(unit_operator, community_admin, community):
    project = ProjectFactory(grid_node=community, capacity=2)
    claim = actions.claim_project(by=unit_operator, project=project, note="我单位医护人员可参与")

    actions.approve_claim(by=community_admin, claim=claim)
    report = actions.report_progress(by=unit_operator, claim=claim, text="已开展第一次义诊,服务60人", photos=[png()])
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_PROGRESS
    assert report.photos.count() == 1
    project.refresh_from_db()
    assert project.status == Project.Status.IN_PROGRESS

    actions.complete_project(by=community_admin, project=project)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.COMPLETED

    actions.evaluate_claim(by=community_admin, claim=claim, rating=5, comment="服务周到")
    claim.refresh_from_db()
    project.refresh_from_db()
    assert (claim.status, claim.rating, claim.evaluated_by) == (Claim.Status.EVALUATED, 5, community_admin)
    assert project.status == Project.Status.EVALUATED


def test_rating_outside_one_to_five_is_refused(community_admin, community):
    claim = ClaimFactory(project=ProjectFactory(grid_node=community), status=Claim.Status.COMPLETED)
    with pytest.raises(ValidationError, match="1 到 5"):
        actions.evaluate_claim(by=community_admin, claim=claim, rating=6)


def test_progress_photos_must_be_real_small_images(unit_operator, community_admin, community):
    claim = actions.claim_project(by=unit_operator, project=ProjectFactory(grid_node=community))
    actions.approve_claim(by=community_admin, claim=claim)
    fake = SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="不是有效的图片"):
        actions.report_progress(by=unit_operator, claim=claim, text="进展", photos=[fake])
    big = SimpleUploadedFile("b.png", b"0" * (6 * 1024 * 1024), content_type="image/png")
    with pytest.raises(ValidationError, match="5MB"):
        actions.report_progress(by=unit_operator, claim=claim, text="进展", photos=[big])
    assert not claim.reports.exists()


def test_other_unit_cannot_report_on_a_claim(unit_operator, community_admin, community):
    claim = actions.claim_project(by=unit_operator, project=ProjectFactory(grid_node=community))
    actions.approve_claim(by=community_admin, claim=claim)
    other = UnitOperatorFactory(unit=MemberUnitFactory(grid_node=community))
    with pytest.raises(PermissionDenied):
        actions.report_progress(by=other, claim=claim, text="冒名填报")


def test_admin_outside_the_subtree_cannot_approve(unit_operator, other_community_admin, community):
    claim = actions.claim_project(by=unit_operator, project=ProjectFactory(grid_node=community))
    with pytest.raises(PermissionDenied):
        actions.approve_claim(by=other_community_admin, claim=claim)


def test_progress_photos_lose_their_location_data(unit_operator, community_admin, community, settings, tmp_path):
    import io

    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    claim = actions.claim_project(by=unit_operator, project=ProjectFactory(grid_node=community))
    actions.approve_claim(by=community_admin, claim=claim)
    exif = Image.Exif()
    exif[0x8825] = {2: (36.0, 39.0, 0.0)}  # GPSInfo: latitude of 舜玉路
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="JPEG", exif=exif)
    photo = SimpleUploadedFile("site.jpg", buffer.getvalue(), content_type="image/jpeg")

    report = actions.report_progress(by=unit_operator, claim=claim, text="义诊现场", photos=[photo])

    with Image.open(report.photos.get().image.path) as saved:
        assert saved.format == "JPEG" and not saved.getexif()
