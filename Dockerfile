# The webhook receiver, `sophia receiver serve`, as a container. The entry point is the same command; options
# after the image name replace CMD. Needs the `sophia` console script from pyproject.toml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN useradd --system --uid 10001 --user-group --no-create-home sophia \
 && mkdir -p /var/lib/sophia-hooks /etc/sophia-hooks \
 && chown sophia:sophia /var/lib/sophia-hooks

WORKDIR /app
COPY pyproject.toml ./
COPY catalog ./catalog
COPY models ./models
COPY offline ./offline
COPY policies ./policies
COPY sophia ./sophia
COPY sql ./sql
COPY stack ./stack
# Editable on purpose: catalog/sql_files.py reads sql/ from beside the source tree, which a wheel would
# not carry. The source stays root-owned and read-only to the service user.
RUN pip install -e .

USER sophia
EXPOSE 8080
# The ledger of triggered jobs lives here, so a restarted container still knows them.
VOLUME ["/var/lib/sophia-hooks"]
HEALTHCHECK --interval=30s --timeout=3s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2)"]

ENTRYPOINT ["sophia", "receiver", "serve"]
# Mount the stack outputs at /etc/sophia-hooks/triggers.json and the service user's key at
# /etc/sophia-hooks/snowflake_key.p8; give the token(s) in SOPHIA_HOOKS_TOKENS (or --token-file).
CMD ["--host", "0.0.0.0", "--port", "8080", \
     "--triggers", "/etc/sophia-hooks/triggers.json", \
     "--ledger", "/var/lib/sophia-hooks/ledger.jsonl"]
