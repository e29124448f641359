#!/usr/bin/env bash
set -euo pipefail
aio cloudmanager:environment:set-variables "$ENVIRONMENT_ID" \
  --variable ACME_REGION eu \
  --publishVariable ADOBE_ANALYTICS_ID "$ANALYTICS_ID"
