# Duet's application image: the web process (gunicorn), the Celery worker and
# Celery beat all run from it; docker-compose.yml picks the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    DUET_MEDIA_ROOT=/data/media

WORKDIR /app

# Cairo draws the results report's charts into its DOCX (cairosvg).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libcairo2 \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, from pyproject.toml alone, so that a code change does not
# reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project itself, installed in place so that BASE_DIR stays /app
# (templates/, static/ and staticfiles/ live beside the packages).
COPY . .
RUN pip install --no-deps -e .

# Static files are collected at build time; the manifest storage is only used
# in production, so collect with production settings and throwaway values.
# Nothing here is used at run time and no database is contacted.
RUN DJANGO_ENV=production \
    DJANGO_SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost:5432/build \
    python manage.py collectstatic --noinput

# Run as an unprivileged user; it owns only the media folder (the volume).
RUN useradd --system --create-home --home-dir /home/duet --uid 10001 duet \
    && mkdir -p /data/media \
    && chown duet:duet /data/media
USER duet

EXPOSE 8000

# config/gunicorn.py: workers from WEB_CONCURRENCY, Django preloaded and shared.
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]
