#!/usr/bin/env bash
set -euo pipefail
ENVIRONMENT_ID="${1:?environment id}"
aio cloudmanager:environment:set-variables "$ENVIRONMENT_ID" --secret EMAIL_PASSWORD "$EMAIL_PASSWORD"
