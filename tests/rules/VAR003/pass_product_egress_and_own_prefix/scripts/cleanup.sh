#!/usr/bin/env bash
set -euo pipefail
aio cloudmanager:environment:set-variables 67890 --delete AEM_OLD_SETTING
