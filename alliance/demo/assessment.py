"""Demo data of the assessment: a published year-end assessment of the demo street (with the weights its street
admin set) and last quarter's published micro-grid stars, computed from the demo district's records
("每年年终对联勤联动团队考核评价", "季考核机制，对'微网格'评星定级"). Idempotent: published ones are left alone."""

from django.utils import timezone

from alliance.assessment import actions
from alliance.assessment.models import Assessment, AssessmentWeights, GridStarRating, Status
from grids.models import GridNode
from members.models import User

# The weights the demo street set: services delivered and issues closed in time count most.
DEMO_WEIGHTS = {"claims": 20, "services": 25, "meetings": 15, "issues": 20, "satisfaction": 20}


def assessed_year(today):
    """The year the demo publishes: the demo's records are dated in the months before today, so from July on the
    year under way holds them (the year-end assessment is done in its last weeks), before July the year before."""
    return today.year if today.month >= 7 else today.year - 1


def seed(stdout=None):
    # The demo street is the one its street admin (舜玉路街道) works in.
    admin = (
        User.objects.filter(username="street_admin", role=User.Role.STREET_ADMIN).select_related("grid_node").first()
    )
    street = admin.grid_node if admin is not None else None
    if street is None or street.level != GridNode.Level.STREET:
        return
    today = timezone.localdate()
    year = assessed_year(today)
    if not AssessmentWeights.objects.filter(street=street, year=year).exists():
        actions.set_weights(by=admin, street=street, year=year, weights=DEMO_WEIGHTS)
    assessment = Assessment.objects.filter(street=street, year=year).first()
    assessment = assessment or actions.open_assessment(by=admin, street=street, year=year)
    if assessment.status == Status.DRAFT:
        actions.compute_assessment(by=admin, assessment=assessment)
        actions.publish_assessment(by=admin, assessment=assessment)
    # This year's, computed from what the demo district recorded so far, waits as a draft for the street admin.
    if year != today.year and not Assessment.objects.filter(street=street, year=today.year).exists():
        current = actions.open_assessment(by=admin, street=street, year=today.year)
        actions.compute_assessment(by=admin, assessment=current)
    q_year, quarter = actions.previous_quarter(today)
    rating = GridStarRating.objects.filter(street=street, year=q_year, quarter=quarter).first()
    rating = rating or actions.open_grid_stars(by=admin, street=street, year=q_year, quarter=quarter)
    if rating.status == Status.DRAFT:
        actions.compute_grid_stars(by=admin, rating=rating)
        actions.publish_grid_stars(by=admin, rating=rating)
    if stdout is not None:
        stdout.write(f"  年终考核：{assessment}；季度评星：{rating}")
