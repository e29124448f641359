#!/usr/bin/env bash
set -euo pipefail
aio cloudmanager:environment:set-variables "$ENVIRONMENT_ID" \
  --variable EMAIL_USERNAME apikey \
  --secret EMAIL_PASSWORD "$EMAIL_PASSWORD" \
  --authorSecret API_KEY "${API_KEY}" \
  --secret SIGNING_KEY "$(cat /run/secrets/signing-key)" \
  --delete OLD_SECRET
