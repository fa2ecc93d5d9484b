# syntax=docker/dockerfile:1
# NutriMX image: daphne (HTTP + websockets) by default; the same image runs the Celery
# worker and beat (see docker-compose.yml). Build: docker build -t nutrimx .

# --- builder: dependencies from the hash-pinned lock, translations, static files ----------
FROM python:3.11-slim AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential gettext \
 && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

COPY requirements.lock /tmp/requirements.lock
RUN pip install --require-hashes -r /tmp/requirements.lock

WORKDIR /app
COPY . .

# Settings need a SECRET_KEY to load; this dummy one exists only during the build. With
# DEBUG off, static files go to a hashed, compressed manifest (whitenoise).
RUN export SECRET_KEY=build-only-dummy-secret-key-not-used-at-runtime-0123456789 \
           DEBUG=0 DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL= \
 && if find . -path ./staticfiles -prune -o -name '*.po' -print | grep -q .; then \
        python manage.py compilemessages --ignore=.venv; fi \
 && python manage.py collectstatic --noinput \
 && rm -f /tmp/build.sqlite3 \
 && mkdir -p media var

# --- runtime ---------------------------------------------------------------------------------
FROM python:3.11-slim

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    DEBUG=0 \
    PORT=8000

RUN groupadd --gid 1000 app \
 && useradd --uid 1000 --gid 1000 --home-dir /app --no-create-home --shell /usr/sbin/nologin app

COPY --from=builder /opt/venv /opt/venv
COPY --from=builder --chown=1000:1000 /app /app
WORKDIR /app
USER 1000:1000

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=3s --start-period=40s --retries=3 \
    CMD ["python", "scripts/healthcheck.py"]

# Behind a load balancer: set BEHIND_PROXY=1 and TRUSTED_PROXY_COUNT so the scheme and the
# client IP come from X-Forwarded-*. Migrations run once per deploy (compose: "migrate").
ENTRYPOINT ["daphne", "-b", "0.0.0.0", "-p", "8000", "--proxy-headers", "--ping-interval", "20", \
            "--application-close-timeout", "20", "config.asgi:application"]
