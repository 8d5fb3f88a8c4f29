from celery import shared_task


@shared_task(name="alliance.ping", ignore_result=False, expires=30)
def ping() -> str:
    """Answers the health check: proves a worker takes tasks from the broker."""
    return "pong"
