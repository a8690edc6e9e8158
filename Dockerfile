# The one image of the stack: web (gunicorn), Celery worker and beat, and the migrate job (docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# gettext compiles the catalogues at build time.
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN SECRET_KEY=build-only python manage.py compilemessages -v0 --ignore=.venv \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput -v0
# Not root at run time; the named volumes mounted on /data start out owned by this user.
RUN useradd --system --uid 1000 --home-dir /app portal \
    && mkdir -p /data/media /data/beat \
    && chown -R portal /data
USER portal
EXPOSE 8000
CMD ["gunicorn", "party_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--timeout", "120"]
