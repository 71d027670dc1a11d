"""The Celery worker's and beat's entry point: `celery -A app.worker worker` (`make worker`) and
`celery -A app.worker beat` (`make beat`). The Flask app is built from the environment exactly as
the web server builds it, so both see the same database and broker."""

from app import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
