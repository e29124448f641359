#!/usr/bin/env bash
set -euo pipefail
aio cloudmanager:environment:set-variables 67890 --variable EMAIL_USERNAME apikey --secret EMAIL_PASSWORD "$EMAIL_PASSWORD"
