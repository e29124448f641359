#!/usr/bin/env bash
set -euo pipefail
aio cloudmanager:set-environment-variables --programId=12345 67890 --secret EMAIL_USERNAME "$EMAIL_USERNAME" --secret EMAIL_PASSWORD "$EMAIL_PASSWORD"
