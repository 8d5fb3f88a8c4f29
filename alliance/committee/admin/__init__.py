"""Admin of the joint committee, by topic; importing the modules registers their admins (autodiscovery
imports this package): committees with seats, rotations and the settings row; meetings with agenda and
attendance; matters with their follow-up; news and notices; the beat schedule; the runs of each job."""

from alliance.committee.admin import committees, job_runs, matters, meetings, news, schedules  # noqa: F401
