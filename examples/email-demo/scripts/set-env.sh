#!/usr/bin/env bash
# Sets the Cloud Manager variables of an environment. Secrets come from the CI's secret store.
set -euo pipefail
ENVIRONMENT_ID="${1:?environment id}"

# Mistake (VAR001): AEM_PROXY_HOST is reserved; setting it breaks every egress connection.
aio cloudmanager:environment:set-variables "$ENVIRONMENT_ID" \
  --programId "$CM_PROGRAM_ID" \
  --variable EMAIL_USERNAME apikey \
  --variable AEM_PROXY_HOST proxy.wknd.example.com \
  --secret EMAIL_PASSWORD "$EMAIL_PASSWORD" \
  --secret MYSQL_PASSWORD "$MYSQL_PASSWORD"
