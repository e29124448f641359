#!/usr/bin/env bash
set -euo pipefail
aio cloudmanager:environment:set-variables 67890 --authorVariable AEM_FEATURE_FLAGS "a,b"
