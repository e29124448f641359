#!/usr/bin/env bash
set -euo pipefail
aio cloudmanager:environment:set-variables 67890 --variable SMTP_PASSWORD "$SMTP_PASSWORD" --publishVariable clientSecret literal-planted-secret
